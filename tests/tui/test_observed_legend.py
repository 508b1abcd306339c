"""The Observed tab's legend names every shape its chart shows, at 80x24 and at 60x20, beside its table.

The chart draws each observation by its shape and fill (docs/model.md, "Consistent or not"):
a shape left unnamed leaves the chart unreadable, so for every observation highlighted the
legend holds a whole ``glyph label`` entry for each glyph the plot or the readout shows.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from pilot_waits import settle
from textual.widgets import DataTable

from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.render.cells import ELLIPSIS
from ammoflow.tui.render.chart_plan import mark_glyph, plan
from ammoflow.tui.widgets.chart import Chart


def shown_and_legend(chart: Chart) -> tuple[str, list[str]]:
    """What the chart shows above its x axis (readout and plot), and its legend's rows."""
    rows = chart.rows
    axis = next(i for i, row in enumerate(rows) if "└" in row)
    return "".join(rows[:axis]), [row.rstrip() for row in rows[axis + 2 :] if row.strip()]


def names(chart: Chart) -> dict[str, tuple[str, ...]]:
    """Each glyph the chart can draw, for a series or a mark, with the labels that name it."""
    data = chart.data
    assert data is not None
    named = {
        glyph: tuple(label for label in (item.label, item.short) if label)
        for glyph, item in zip(plan(data.series).glyphs, data.series, strict=True)
    }
    named.update({mark_glyph(i): tuple(x for x in (mark.label, mark.short) if x) for i, mark in enumerate(data.marks)})
    return named


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
async def test_every_shape_on_the_observed_chart_is_named_whole_in_its_legend(size: tuple[int, int]) -> None:
    app = AmmoflowApp(offer_recovery=False)
    app.today = lambda: date(2025, 6, 15)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        await pilot.press("0")
        await settle(pilot, app)
        table = app.query_one("#observed-table", DataTable)
        chart = app.query_one("#observed-chart", Chart)
        table.focus()
        assert table.row_count >= 10
        # The table keeps rows for three observations under its header (it is the point of the tab).
        assert table.scrollable_content_region.height >= 1 + 3
        seen_shapes: set[str] = set()
        for row in range(table.row_count):
            if row:
                await pilot.press("down")
                await settle(pilot, app)
            shown, legend = shown_and_legend(chart)
            assert legend, f"row {row}: no legend"
            assert not any(line.endswith(ELLIPSIS) for line in legend), (row, legend)
            for glyph, labels in names(chart).items():
                if glyph not in shown:
                    continue
                seen_shapes.add(glyph)
                entry = rf"(?:^|  ){re.escape(glyph)} (?:{'|'.join(map(re.escape, labels))})(?:  |$)"
                assert any(re.search(entry, line) for line in legend), (row, glyph, labels, legend)
        # The shapes the shipped observations are drawn as, the projection and both marks were checked.
        assert {"▲", "◆", "◇", "△", "┃", "╎"} <= seen_shapes
