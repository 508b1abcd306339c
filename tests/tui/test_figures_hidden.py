"""The Figures tab's table follows the steps taken while another tab is shown.

A step repaints only the figures on screen; the full table, in a tab not shown, is painted
when its tab is shown again, and must then show the figures of the latest step, not those
it last painted.
"""

from __future__ import annotations

from pilot_waits import settle
from textual.geometry import Region

from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.panels.figures import KeyFiguresView


def painted(view: KeyFiguresView) -> list[str]:
    """The rows the view paints on the screen, as text, without its padding."""
    width, height = view.outer_size
    rows = [strip.text.strip() for strip in view.render_lines(Region(0, 0, width, height))]
    return [row for row in rows if row]


async def test_the_figures_tab_shows_the_latest_step_taken_while_it_was_hidden() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("6")  # the Figures tab, painted once
        await settle(pilot, app)
        full = app.query_one("#figures-full", KeyFiguresView)
        first = painted(full)
        await pilot.press("1")
        await settle(pilot, app)
        for _ in range(3):
            await pilot.press("right")
            await settle(pilot, app)
        await pilot.press("6")
        await settle(pilot, app)
        now = painted(full)
        assert now != first  # the steps changed the figures
        assert now == [line.strip() for line in full.text.splitlines()]
