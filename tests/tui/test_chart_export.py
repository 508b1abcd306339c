"""Exporting the chart on screen from the explorer: as an SVG picture or as plain text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pilot_waits import settle, settle_until
from textual.widgets import Input

from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.dialogs.path_prompt import PathPrompt
from ammoflow.tui.widgets.chart import Chart


def new_app() -> AmmoflowApp:
    app = AmmoflowApp(offer_recovery=False)
    app.today = lambda: date(2025, 6, 15)
    return app


async def export(app: AmmoflowApp, pilot, name: str | None) -> str:  # type: ignore[no-untyped-def]
    """Press E on the chart shown, type ``name`` (None: keep the default), Enter; the default offered."""
    await pilot.press("X")
    await settle_until(pilot, lambda: isinstance(app.screen, PathPrompt))
    field = app.screen.query_one(Input)
    offered = field.value
    if name is not None:
        field.value = name
    await pilot.press("enter")
    await settle_until(pilot, lambda: not isinstance(app.screen, PathPrompt))
    await pilot.pause()
    return offered


async def test_the_chart_exports_as_text_exactly_as_drawn(private_state: Path) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("3", "c")
        await settle(pilot, app)
        await export(app, pilot, "stocks.txt")
        await settle_until(pilot, lambda: (private_state / "stocks.txt").exists())
        text = (private_state / "stocks.txt").read_text()
        chart = app.query_one("#chart-stocks", Chart)
        assert text == "".join(row.rstrip() + "\n" for row in chart.rows)
        assert "Stockpiles at month end" in text and "▸ 2025-06" in text and "North Korea" in text


async def test_the_chart_exports_as_svg_under_a_name_of_its_own(private_state: Path) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("2")
        await settle(pilot, app)
        offered = await export(app, pilot, None)
        assert offered.endswith(".svg") and "rounds-shipped" in offered
        path = private_state / Path(offered).name
        await settle_until(pilot, lambda: path.exists())
        svg = path.read_text()
        assert svg.startswith("<svg") and "Rounds" in svg and "projected" in svg


async def test_only_svg_or_text_and_only_a_chart(private_state: Path) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("X")
        await settle_until(pilot, lambda: isinstance(app.screen, PathPrompt))
        app.screen.query_one(Input).value = "chart.png"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PathPrompt), "the prompt stays open with the reason"
        assert "chart.png: the chart is exported as .svg, .txt" in str(app.screen.query_one("#error").render())
        assert not (private_state / "chart.png").exists()
        await pilot.press("escape")
        await pilot.press("6", "X")
        await settle_until(pilot, lambda: any("Only a chart" in str(n.message) for n in app._notifications))
        assert any("Only a chart" in str(n.message) for n in app._notifications)
        assert not isinstance(app.screen, PathPrompt), "no prompt away from the charts"
