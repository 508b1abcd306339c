"""At the smallest size the explorer runs at (60x20) the chart gets the room."""

from __future__ import annotations

from pilot_waits import settle

from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.panels.figures import KeyFiguresView
from ammoflow.tui.widgets.chart import Chart


async def test_at_60x20_the_chart_takes_the_rows_the_figures_took_and_more_columns() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot, app)
        chart = app.query_one("#chart-containers", Chart)
        assert not app.query_one("#figures", KeyFiguresView).display, "the figures keep their own tab"
        assert chart.size.height >= 14
        assert chart.size.width >= 26
        await pilot.press("6")
        await settle(pilot, app)
        assert app.query_one("#figures-full", KeyFiguresView).display
        await pilot.resize_terminal(100, 30)
        await pilot.press("1")
        await settle(pilot, app)
        assert app.query_one("#figures", KeyFiguresView).display, "back under the chart when there is room"
