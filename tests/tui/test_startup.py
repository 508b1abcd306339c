"""What the explorer loads before its first screen: only what that screen shows.

Each module a start imports is start-up time a user waits through. The explorer is run in a
process of its own (this one has imported everything already) under Textual's Pilot, and
says which of the package's modules were loaded once its first screen had settled.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pilot_waits import settle
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.panels.chart_tabs import TABS
from ammoflow.tui.panels.model_view import ModelView
from ammoflow.tui.panels.month_table import MonthTable
from ammoflow.tui.panels.observed import ObservedView
from ammoflow.tui.panels.tornado import TornadoView
from ammoflow.tui.widgets.chart import Chart

REPO = Path(__file__).resolve().parents[2]

FIRST_SCREEN = """
import asyncio, json, sys
sys.path.insert(0, sys.argv[1])
from ammoflow.tui.app import AmmoflowApp
from pilot_waits import settle

async def main() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        print(json.dumps(sorted(name for name in sys.modules if name.startswith("ammoflow."))))

asyncio.run(main())
"""


def run_script(script: str, env: dict[str, str]) -> str:
    """``script`` run by a fresh interpreter in the repository (this folder's helpers importable): its output."""
    done = subprocess.run(
        [sys.executable, "-c", script, str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=os.environ | env,
        timeout=120,
        check=True,
    )
    return done.stdout


def loaded_at_start(config: Path) -> set[str]:
    """The package's modules loaded once the explorer's first screen has settled."""
    out = run_script(FIRST_SCREEN, {"AMMOFLOW_CONFIG": str(config)})
    return set(json.loads(out.strip().splitlines()[-1]))


def test_a_start_without_a_config_file_loads_no_dialog(tmp_path: Path) -> None:
    """The dialogs (and the analyses behind them) load when first opened, not at every start."""
    loaded = loaded_at_start(tmp_path / "no-config.toml")
    assert "ammoflow.tui.explorer" in loaded  # the explorer did start
    dialogs = {name for name in loaded if name.startswith("ammoflow.tui.dialogs.")}
    assert dialogs <= {"ammoflow.tui.dialogs.base"}
    assert not {name for name in loaded if name.startswith("ammoflow.tui.cli")}
    for analysis in ("fit", "seek", "backtest", "montecarlo", "conditioning", "likelihood"):
        assert f"ammoflow.scenarios.analysis.{analysis}" not in loaded


def test_a_config_file_is_checked_against_every_binding(tmp_path: Path) -> None:
    """With a keymap to check, every binding id must be known: the dialogs' too, so they load."""
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"app.save" = "ctrl+w"\n')
    loaded = loaded_at_start(config)
    assert "ammoflow.tui.dialogs.fit" in loaded


HELD_COLLECTOR = """
import asyncio, gc, json, sys
sys.path.insert(0, sys.argv[1])
from ammoflow.tui import collector
collector.hold()  # as the `ammoflow` command does before it imports the explorer
from ammoflow.tui.app import AmmoflowApp
from pilot_waits import settle

async def main() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        held = not gc.isenabled()
        await settle(pilot, app)
        await pilot.pause()
        print(json.dumps([held, gc.isenabled(), gc.get_freeze_count()]))

asyncio.run(main())
"""


def test_the_garbage_collector_held_off_for_the_start_runs_again_once_the_first_frame_is_out(tmp_path: Path) -> None:
    """Held off, it would never collect again: memory that cycles hold would grow for as long as the explorer runs."""
    env = {"AMMOFLOW_CONFIG": str(tmp_path / "no-config.toml"), "AMMOFLOW_STATE_DIR": str(tmp_path)}
    out = run_script(HELD_COLLECTOR, env)
    held_at_start, on_after, frozen = json.loads(out.strip().splitlines()[-1])
    assert held_at_start
    assert on_after
    assert frozen > 100_000  # what start-up made is left out of later collections


def test_a_collector_turned_off_by_the_caller_stays_off() -> None:
    """Holding and releasing give back only what they took: a program that keeps the collector off keeps it off."""
    import gc

    from ammoflow.tui import collector

    gc.disable()
    try:
        collector.hold()
        collector.release()
        assert not gc.isenabled()
        assert gc.get_freeze_count() == 0
    finally:
        gc.enable()


CHOSEN_AT_ONCE = [("3", "stocks", "#chart-stocks"), ("9", "table-tab", "#month-table")]


@pytest.mark.parametrize(("key", "pane", "shown"), CHOSEN_AT_ONCE)
async def test_a_tab_chosen_by_a_key_typed_during_the_start_shows_its_view(key: str, pane: str, shown: str) -> None:
    """The panes not shown at start are filled just after the first frame; a key typed before
    that (the explorer was slow to start, the user was not) finds its pane filled all the same."""
    app = AmmoflowApp(offer_recovery=False)
    seen: list[object] = []

    async def at_once(pilot: Pilot[None]) -> None:  # as soon as the app runs, before its first frame
        await pilot.press(key, "u")  # and the bands, which draw into the pane shown
        await settle(pilot, app)
        seen.extend([app.query_one("#tabs", TabbedContent).active, app.screen.query_one(shown).region.area > 0])
        app.exit()

    await app.run_async(headless=True, size=(120, 40), auto_pilot=at_once)
    assert seen == [pane, True]


async def test_every_pane_is_filled_once_the_start_has_settled() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.pause()
        assert len(app.screen.query(Chart)) == len(TABS) + 1  # the observed tab has one as well
        for view in (TornadoView, MonthTable, ObservedView, ModelView):
            assert len(app.screen.query(view)) == 1
