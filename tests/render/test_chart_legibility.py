"""Charts never hide a series: lines that run together are named together, the Front in rounds a day."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.files import presets
from ammoflow.tui.panels.chart_tabs import BY_ID, Compared, chart_data, coinciding
from ammoflow.tui.render.chart_data import Series
from ammoflow.tui.render.chart_layout import chart_rows
from ammoflow.tui.render.chart_plan import plan
from ammoflow.tui.render.plotext_canvas import Canvas

values = st.lists(st.sampled_from([0.0, 1.0, 2.0, math.nan]), min_size=6, max_size=6)


@given(st.lists(values, min_size=2, max_size=4))
def test_every_month_where_lines_agree_is_drawn_once_named_for_exactly_those_lines(columns: list[list[float]]) -> None:
    lines = [Series(f"l{i}", column) for i, column in enumerate(columns)]
    found = coinciding(lines)
    for month in range(6):
        groups: dict[float, set[str]] = {}
        for line in lines:
            if not math.isnan(line.y[month]):
                groups.setdefault(line.y[month], set()).add(line.label)
        expected = {frozenset(names) for names in groups.values() if len(names) > 1}
        drawn = {frozenset(item.label.split(" = ")) for item in found if not math.isnan(item.y[month])}
        if len(found) < 3:  # past three groups the glyphs run out and the rest go undrawn
            assert drawn == expected
        else:
            assert drawn <= expected
    assert len({item.glyph for item in found}) == len(found)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (60, 16)])
def test_shipped_and_arrived_both_show_on_the_flows_chart(size: tuple[int, int]) -> None:
    scenario = presets.load("baseline")
    data = chart_data(BY_ID["flows"], scenario, project(scenario))
    glyphs = dict(zip((item.label for item in data.series), plan(data.series).glyphs, strict=True))
    rows = chart_rows(data, *size, Canvas())
    plot = "\n".join(text for text, _ in rows[2:-4])
    legend = "\n".join(text for text, _ in rows[-3:])
    assert glyphs["shipped"] in plot and glyphs["arrived"] in plot
    together = [label for label in glyphs if "arrived" in label and "shipped" in label]
    assert together, "where they run together they are named together"
    assert any(f"{glyphs[label]} {label}" in legend for label in together)


def test_the_front_chart_is_in_rounds_a_day_like_the_fire_rate_slider() -> None:
    scenario = presets.load("baseline")
    frame = project(scenario)
    base = frame.with_columns(frame["ru_fired"] * 0.5)
    data = chart_data(BY_ID["front"], scenario, frame, compared=[Compared("half", base)])
    assert data.y_unit == "rounds/day"
    by_label = {item.label: item for item in data.series}
    rate = scenario.values["ru_fire_rate"]
    assert by_label["demand"].y[0] == pytest.approx(rate)
    days = frame["days"].to_list()
    fired = frame["ru_fired"].to_list()
    assert list(by_label["fired"].y) == pytest.approx([f / d for f, d in zip(fired, days, strict=True)])
    assert list(by_label["half"].y) == pytest.approx([0.5 * f / d for f, d in zip(fired, days, strict=True)])
