"""Overlapping bands stay readable: every band, line, run and observation keeps cells of its own.

The outer band (5-95%) is drawn as its two edges, the inner one (25-75%) filled, every band's
edges over every band's fill, and the lines, compared runs and observations over all bands.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import polars as pl
import pytest

from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.files import presets
from ammoflow.tui.panels.chart_tabs import BY_ID, Compared, Fans, chart_data, fan_columns
from ammoflow.tui.render.chart_data import ChartData, Series
from ammoflow.tui.render.chart_layout import lay_out
from ammoflow.tui.render.chart_plan import plan
from ammoflow.tui.render.plotext_canvas import Canvas

SIZES = [(45, 15), (58, 30), (100, 30)]  # the chart at 80x24, at 120x40, and wide


def fans(frame: pl.DataFrame, columns: Sequence[str]) -> Fans:
    """Percentile bands around the projection, widening with the months, each column's its own width.

    Widths are a share of the chart's whole range, different for each column, so that two
    columns' bands overlap without lying on the same cells (as Monte Carlo bands do).
    """
    scale = max(max(frame[column].to_list()) for column in columns)
    out: dict[str, dict[float, list[float]]] = {}
    for k, column in enumerate(columns):
        values = frame[column].to_list()
        out[column] = {
            q: [v + (q - 50) / 45 * scale * (0.2 + 0.1 * k) * (0.5 + i / len(values)) for i, v in enumerate(values)]
            for q in (5.0, 25.0, 50.0, 75.0, 95.0)
        }
    return out


def drawn(tab: str, size: tuple[int, int], compared: Sequence[Compared] = ()) -> tuple[ChartData, list[str]]:
    """The tab's chart with bands on every column that has them: its data and its plot's codes."""
    scenario = presets.load("baseline")
    frame = project(scenario)
    data = chart_data(BY_ID[tab], scenario, frame, compared=compared, fans=fans(frame, fan_columns(BY_ID[tab])))
    layout = lay_out(data, *size, Canvas())
    assert layout.plot is not None
    plot = layout.plot
    codes = [codes[plot.left : plot.right] for _, codes in layout.rows[plot.top : plot.bottom - 2]]
    return data, codes


def columns_spanned(values: Sequence[float], months: int, width: int) -> set[int]:
    """The plot columns of the months where a series has a value."""
    return {round(i * (width - 1) / (months - 1)) for i, v in enumerate(values) if not math.isnan(v)}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("tab", ["stocks", "front", "flows", "rounds"])
def test_no_two_series_share_a_glyph_and_each_shows(tab: str, size: tuple[int, int]) -> None:
    data, codes = drawn(tab, size)
    chart_plan = plan(data.series)
    assert len(set(chart_plan.glyphs)) == len(data.series), "a glyph names one series"
    assert len(set(chart_plan.codes)) == len(data.series), "a style code paints one series"
    if len(codes) < 20:
        return  # seven rows for three series' bands: some must share the cells a line takes
    for item, code in zip(data.series, chart_plan.codes, strict=True):
        if not item.joins:  # lines running together are drawn where they do, if anywhere
            assert any(code in row for row in codes), item.label


FLAT = {  # two series' bands, overlapping: percentile -> value, the same every month
    "nk_stock": {5.0: 20.0, 25.0: 40.0, 50.0: 50.0, 75.0: 60.0, 95.0: 80.0},
    "ru_stock": {5.0: 30.0, 25.0: 55.0, 50.0: 70.0, 75.0: 85.0, 95.0: 110.0},
}


@pytest.mark.parametrize("size", [(58, 30), (100, 36)])
def test_where_two_series_bands_overlap_each_bands_edges_stay_in_sight(size: tuple[int, int]) -> None:
    scenario = presets.load("baseline")
    months = scenario.months
    frame = pl.DataFrame({"month": scenario.month_labels(), "nk_stock": [50.0] * months, "ru_stock": [70.0] * months})
    bands: Fans = {column: {q: [v] * months for q, v in fan.items()} for column, fan in FLAT.items()}
    # Two observations in the first month pin the axes from 0 to 110, however few series show.
    scale = Series("scale", [0.0, 110.0], kind="markers", x=[0.0, 0.0])
    shown = chart_data(BY_ID["stocks"], scenario, frame, fans=bands)
    data = ChartData(shown.title, shown.y_unit, shown.x_labels, [*shown.series, scale])
    chart_plan = plan(data.series)
    together = lay_out(data, *size, Canvas())
    assert together.plot is not None
    plot = together.plot
    column = (plot.left + plot.right) // 2
    for index, item in enumerate(data.series):
        if item.kind != "band":
            continue
        # Where the band's edges lie: the band drawn alone (the others gaps, so that the
        # legend, and with it the plot's height, stays the same).
        alone = [
            other if k == index or other is scale else replace(other, y=[math.nan] * len(other.y), y_high=None)
            for k, other in enumerate(data.series)
        ]
        solo = lay_out(replace(data, series=alone), *size, Canvas()).rows
        code = chart_plan.codes[index]
        rows = [y for y in range(plot.top, plot.bottom - 2) if solo[y][1][column] == code]
        assert rows, item.label
        for y in (rows[0], rows[-1]):  # the band's top and bottom edges
            cell = together.rows[y][1][plot.left + 1 : plot.right]
            assert cell.count(chart_plan.codes[index]) >= 0.9 * len(cell), (item.label, y)


@pytest.mark.parametrize("size", SIZES)
def test_a_run_inside_the_bands_shows_wherever_no_line_runs_over_it(size: tuple[int, int]) -> None:
    scenario = presets.load("baseline")
    frame = project(scenario)
    run = frame.with_columns(pl.col("cumulative_rounds") * 0.97)  # inside the inner band
    data, codes = drawn("rounds", size, compared=[Compared("slower", run)])
    chart_plan = plan(data.series)
    code = chart_plan.codes[[item.label for item in data.series].index("slower")]
    line = chart_plan.codes[[item.label for item in data.series].index("projected")]
    width = len(codes[0])
    visible = {x for row in codes for x, c in enumerate(row) if c == code}
    under_line = {x for row in codes for x, c in enumerate(row) if c == line}
    spanned = columns_spanned(run["cumulative_rounds"].to_list(), frame.height, width)
    assert len(visible | under_line) >= 0.9 * len(spanned)
