"""The explorer's rough edges, each as a user met it: focus after "too small", the tab bar,
typed values, the quit dialog, fitted precision, long names, sources, saving honestly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pilot_waits import settle
from textual.widgets import TabbedContent

from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.explorer import TAB_TITLES
from ammoflow.tui.panels import tab_labels
from ammoflow.tui.panels.parameters import ParametersPanel

pytestmark = pytest.mark.usefixtures("private_state")


async def test_after_too_small_the_focus_comes_back_to_the_parameter_it_was_on() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        panel = app.query_one(ParametersPanel)
        panel.focus_parameter("ru_fire_rate")
        await pilot.pause()
        await pilot.resize_terminal(59, 19)
        await pilot.pause()
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert panel.focused_key == "ru_fire_rate"
        await pilot.press("right")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == 20_500


async def test_while_too_small_keys_that_change_things_do_nothing_unseen() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.resize_terminal(59, 19)
        await pilot.pause()
        app.explorer.workspace.baseline = app.explorer.workspace.scenario.with_value("ru_fire_rate", 30_000)
        pinned = app.explorer.workspace.baseline
        await pilot.press("3", "b", "u", "right")
        await settle(pilot, app)
        assert app.explorer.workspace.baseline is pinned
        assert not app.explorer.fans_on
        assert not app.explorer.workspace.modified
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert app.query_one("#tabs", TabbedContent).active == "containers"


@pytest.mark.parametrize("size", [(120, 40), (100, 30), (80, 24)], ids=["120x40", "100x30", "80x24"])
async def test_every_tab_is_visible_in_the_tab_bar(size: tuple[int, int]) -> None:
    from textual.widgets import Tab, Tabs

    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        bar = app.query_one("#tabs", TabbedContent).query_one(Tabs)
        tabs = list(bar.query(Tab))
        assert len(tabs) == 8
        for tab in tabs:
            assert tab.region.width > 0, tab.label_text
            assert bar.region.x <= tab.region.x and tab.region.right <= bar.region.right, tab.label_text
        assert any("Torn" in tab.label_text for tab in tabs)


@given(st.integers(min_value=0, max_value=200))
def test_tab_labels_fit_whenever_the_shortest_do(width: int) -> None:
    titles = list(TAB_TITLES.values())
    chosen = tab_labels.fitting(titles, width)
    shortest = tab_labels.TabLabels(tuple(tab_labels.SHORTEST[t] for t in titles), (1, 0))
    assert chosen.width <= width or chosen == shortest
    assert len(chosen.labels) == len(titles)
    if width >= len(" ".join(titles)) + 2 * len(titles):
        assert chosen.labels == tuple(titles)  # full names wherever they fit with Textual's spacing
