"""Any number of named runs drawn dim beside the projection, each in its own glyph and named in the legend."""

from __future__ import annotations

import math

import pytest

from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.files import presets
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.panels.chart_tabs import BY_ID, Compared, chart_data
from ammoflow.tui.render.chart_layout import chart_rows
from ammoflow.tui.render.chart_plan import plan
from ammoflow.tui.render.plotext_canvas import Canvas

PRESETS = ("baseline", "nk-cutback-2025", "seed-article", "us-state-dept")


@pytest.fixture(scope="module")
def runs() -> tuple[Scenario, list[Compared]]:
    current = presets.load(PRESETS[0])
    compared = [Compared(name, project(presets.load(name))) for name in PRESETS[1:]]
    return current, compared


def test_every_compared_run_is_one_dim_series_named_by_its_label(runs: tuple[Scenario, list[Compared]]) -> None:
    current, compared = runs
    data = chart_data(BY_ID["rounds"], current, project(current), compared=compared)
    dim = [item for item in data.series if item.kind == "baseline"]
    assert [item.label for item in dim] == list(PRESETS[1:])
    assert [item.run for item in dim] == [0, 1, 2]
    labels = current.month_labels()
    for item, run in zip(dim, compared, strict=True):
        by_month = dict(zip(run.frame["month"].to_list(), run.frame["cumulative_rounds"].to_list(), strict=True))
        for month, value in zip(labels, item.y, strict=True):
            if month in by_month:
                assert value == pytest.approx(by_month[month])
            else:
                assert math.isnan(value)


def test_a_tab_of_two_columns_names_each_runs_line(runs: tuple[Scenario, list[Compared]]) -> None:
    current, compared = runs
    data = chart_data(BY_ID["stocks"], current, project(current), compared=compared[:2])
    dim = [item.label for item in data.series if item.kind == "baseline"]
    assert dim == [
        "nk-cutback-2025 North Korea",
        "nk-cutback-2025 Russia",
        "seed-article North Korea",
        "seed-article Russia",
    ]


def test_no_compared_run_draws_no_dim_series(runs: tuple[Scenario, list[Compared]]) -> None:
    current, _ = runs
    data = chart_data(BY_ID["rounds"], current, project(current))
    assert not [item for item in data.series if item.kind == "baseline"]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_three_runs_each_drawn_in_their_own_glyph_and_named_in_the_legend(
    runs: tuple[Scenario, list[Compared]], size: tuple[int, int]
) -> None:
    current, compared = runs
    data = chart_data(BY_ID["rounds"], current, project(current), compared=compared)
    glyphs = plan(data.series).glyphs
    dim = [i for i, item in enumerate(data.series) if item.kind == "baseline"]
    assert len({glyphs[i] for i in dim}) == 3, "each run its own glyph"
    rows = chart_rows(data, *size, Canvas())
    text = "\n".join(line for line, _ in rows)
    for i in dim:
        assert f"{glyphs[i]} {data.series[i].label}" in text, f"{data.series[i].label} named in the legend"
        plot = "\n".join(line for line, _ in rows[2:-2])
        assert glyphs[i] in plot, f"{data.series[i].label} drawn"


def test_a_run_over_other_months_is_drawn_where_the_months_meet(runs: tuple[Scenario, list[Compared]]) -> None:
    current, compared = runs
    later = Compared("later", compared[0].frame.slice(12))
    data = chart_data(BY_ID["rounds"], current, project(current), compared=[later])
    (dim,) = [item for item in data.series if item.kind == "baseline"]
    assert all(math.isnan(value) for value in dim.y[:12])
    assert not any(math.isnan(value) for value in dim.y[12 : len(later.frame) + 12])
