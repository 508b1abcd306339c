"""The chart's cursor: a rule on one month and a readout of every series' value there."""

from __future__ import annotations

import math

import pytest
from chart_samples import month_labels

from ammoflow.scenarios.model.numbers import format_compact_table
from ammoflow.tui.render.chart_data import ChartData, Series
from ammoflow.tui.render.chart_layout import chart_rows
from ammoflow.tui.render.chart_plan import CURSOR, CURSOR_GLYPH, plan
from ammoflow.tui.render.chart_readout import NO_VALUE, series_value
from ammoflow.tui.render.plotext_canvas import Canvas

MONTHS = 24


@pytest.fixture(scope="module")
def canvas() -> Canvas:
    return Canvas()


def data() -> ChartData:
    return ChartData(
        "Stocks",
        "rounds",
        month_labels(MONTHS),
        [
            Series("5-95%", [1e5 * i for i in range(MONTHS)], kind="band", y_high=[3e5 * i for i in range(MONTHS)]),
            Series(
                "25-75%",
                [1.5e5 * i for i in range(MONTHS)],
                kind="band",
                y_high=[2.5e5 * i for i in range(MONTHS)],
                y_mid=[2e5 * i for i in range(MONTHS)],
            ),
            Series("projected", [2.1e5 * i for i in range(MONTHS)]),
            Series("baseline", [1.7e5 * i for i in range(MONTHS)], kind="baseline"),
            Series("observed", [1.234e6], kind="markers", x=[6.5]),
        ],
    )


def cursor_columns(rows: list[tuple[str, str]]) -> set[int]:
    return {
        i
        for text, codes in rows
        for i, (char, code) in enumerate(zip(text, codes, strict=True))
        if code == CURSOR and char == CURSOR_GLYPH
    }


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (60, 16)])
def test_the_cursor_is_one_rule_that_moves_right_month_by_month(canvas: Canvas, size: tuple[int, int]) -> None:
    columns = []
    for month in (3, 4, 12, MONTHS - 1):
        rows = chart_rows(data(), *size, canvas, cursor=month)
        found = cursor_columns(rows)
        assert len(found) == 1, f"one column, not {sorted(found)}"
        plot_rows = sum(1 for text, codes in rows if CURSOR in codes)
        assert plot_rows >= (size[1] - 10) // 2, "a rule down the plot, not a dot"
        columns.append(found.pop())
    assert columns == sorted(set(columns)), "later months further right"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_the_readout_gives_the_month_the_unit_and_every_series_value(canvas: Canvas, size: tuple[int, int]) -> None:
    shown = "\n".join(text for text, _ in chart_rows(data(), *size, canvas, cursor=7))
    glyphs = plan(data().series).glyphs
    assert "2024-04 rounds" in shown
    assert f"{glyphs[2]} projected {format_compact_table(2.1e5 * 7)}" in shown
    assert f"{glyphs[3]} baseline {format_compact_table(1.7e5 * 7)}" in shown
    assert f"{glyphs[0]} 5-95% {format_compact_table(1e5 * 7)}–{format_compact_table(3e5 * 7)}" in shown
    assert f"(median {format_compact_table(2e5 * 7)})" in shown
    assert f"{glyphs[4]} observed {format_compact_table(1.234e6)}" in shown, "the observation in that month"


def test_an_observation_is_read_only_in_its_own_month(canvas: Canvas) -> None:
    shown = "\n".join(text for text, _ in chart_rows(data(), 120, 40, canvas, cursor=8))
    glyphs = plan(data().series).glyphs
    assert f"{glyphs[4]} observed {NO_VALUE}" in shown, "nothing observed in the month after"
    assert format_compact_table(1.234e6) not in shown


def test_without_a_cursor_the_chart_is_as_before(canvas: Canvas) -> None:
    rows = chart_rows(data(), 80, 24, canvas)
    assert not cursor_columns(rows)
    assert all("▸" not in text for text, _ in rows)


def test_a_gap_reads_as_no_value() -> None:
    series = Series("a", [1.0, math.nan, 3.0])
    assert [series_value(series, i) for i in range(4)] == ["1", NO_VALUE, "3", NO_VALUE]


def test_a_narrow_readout_drops_the_names_before_the_values(canvas: Canvas) -> None:
    rows = chart_rows(data(), 60, 16, canvas, cursor=7)
    shown = "\n".join(text for text, _ in rows[:4])
    assert format_compact_table(2.1e5 * 7) in shown
    assert format_compact_table(1.7e5 * 7) in shown
