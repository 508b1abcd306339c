"""A cell of the plot maps back to the month drawn there, with the geometry the drawing used."""

from __future__ import annotations

import pytest

from ammoflow.tui.render.chart_data import ChartData, Mark, Series
from ammoflow.tui.render.chart_layout import lay_out
from ammoflow.tui.render.chart_plan import CURSOR
from ammoflow.tui.render.plotext_canvas import Canvas


def months(count: int) -> list[str]:
    return [f"{2023 + (i + 8) // 12}-{(i + 8) % 12 + 1:02d}" for i in range(count)]


def data(count: int, top: float) -> ChartData:
    return ChartData(
        "Rounds shipped",
        "rounds",
        months(count),
        # Two observations at the corners set the scale and leave the rules in between in sight.
        [Series("observed", [0.0, top], kind="markers", x=[0.0, count - 1.0])],
        [Mark("now", count / 2)],
    )


def cursor_column(chart: ChartData, size: tuple[int, int], canvas: Canvas, month: int) -> tuple[int, list[int]]:
    """The column the cursor rule is drawn in for ``month``, and the plot rows it crosses."""
    layout = lay_out(chart, *size, canvas, cursor=month)
    assert layout.plot is not None
    found = {
        (codes.index(CURSOR), y)
        for y, (_, codes) in enumerate(layout.rows)
        if layout.plot.top <= y < layout.plot.bottom and CURSOR in codes
    }
    columns = {x for x, _ in found}
    assert len(columns) == 1, found
    return columns.pop(), sorted(y for _, y in found)


@pytest.mark.parametrize("count", [1, 2, 7, 48, 120])
@pytest.mark.parametrize("size", [(45, 15), (58, 30), (20, 9), (118, 20)])
@pytest.mark.parametrize("top", [9.0, 12_345.0, 7.5e9])
def test_a_click_where_a_months_rule_is_drawn_puts_the_cursor_on_that_rule(
    count: int, size: tuple[int, int], top: float
) -> None:
    chart = data(count, top)
    canvas = Canvas()
    plot = lay_out(chart, *size, canvas).plot
    assert plot is not None
    for month in range(count):
        column, rows = cursor_column(chart, size, canvas, month)
        for y in (rows[0], rows[-1], plot.bottom - 1):
            picked = plot.month_at(column, y)
            assert picked is not None
            # Months sharing a column are told apart by none: the one picked is drawn there.
            assert cursor_column(chart, size, canvas, picked)[0] == column


def test_cells_outside_the_plot_pick_no_month() -> None:
    chart = data(48, 1e6)
    layout = lay_out(chart, 45, 15, Canvas())
    plot = layout.plot
    assert plot is not None
    assert plot.month_at(plot.left - 1, plot.top) is None, "the y axis's labels"
    assert plot.month_at(plot.left, plot.top - 1) is None, "the title"
    assert plot.month_at(plot.left, plot.bottom) is None, "the legend"
    assert plot.month_at(plot.right, plot.top) is None
    assert plot.month_at(plot.left, plot.top) == 0
    assert plot.month_at(plot.right - 1, plot.bottom - 1) == 47
    legend = layout.rows[plot.bottom][0]
    assert "now" in legend


def test_a_chart_too_small_or_without_data_has_no_plot_to_click() -> None:
    assert lay_out(data(10, 1.0), 10, 4, Canvas()).plot is None
    assert lay_out(None, 45, 15, Canvas()).plot is None
