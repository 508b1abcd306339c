"""Saving from the explorer: ctrl+s on a hand-written file, and export, as a user does them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pilot_waits import settle
from textual.widgets import Input

from ammoflow.scenarios.files.scenario_toml import read_scenario
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.panels.parameters import ParametersPanel

# Each test has a state folder and a working folder of its own (see conftest.py).
pytestmark = pytest.mark.usefixtures("private_state")

# As some editors leave it: no newline at the end, and the last line ends in a comment.
NO_FINAL_NEWLINE = (
    'name = "Cutback"\nstart = "2024-01"\nmonths = 24\n\n[parameters]\ncontainers_per_month = 1100\n\n'
    '[[changes]]\nfrom = "2024-06"\nparameter = "containers_per_month"\nvalue = 500 # halved'
)


async def add_change(pilot, app: AmmoflowApp, month: str, value: str) -> None:  # type: ignore[no-untyped-def]
    app.query_one(ParametersPanel).focus_parameter("containers_per_month")
    await pilot.press("a")
    await pilot.pause()
    field = app.screen.query_one("#value", Input)
    app.screen.query_one("#month", Input).value, field.value = month, value
    field.focus()
    await pilot.press("enter")
    await settle(pilot, app)


async def add_a_change_and_save(path: Path) -> Scenario:
    """Open ``path`` in the explorer, add a change (2025-01: 300 containers) and save with ctrl+s;
    the scenario the explorer then holds."""
    app = AmmoflowApp(read_scenario(path), path, str(path), offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await add_change(pilot, app, "2025-01", "300")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        return app.explorer.workspace.scenario


async def test_a_change_added_to_a_file_without_a_final_newline_saves_a_file_that_opens(private_state: Path) -> None:
    path = private_state / "cutback.toml"
    path.write_text(NO_FINAL_NEWLINE)
    expected = await add_a_change_and_save(path)

    assert [(c.month, c.value) for c in read_scenario(path).changes] == [("2024-06", 500), ("2025-01", 300)]
    assert read_scenario(path) == expected
    assert "value = 500 # halved\n" in path.read_text()


async def test_ctrl_s_writes_through_a_symbolic_link(private_state: Path) -> None:
    (private_state / "real").mkdir()
    target = private_state / "real" / "cutback.toml"
    target.write_text(NO_FINAL_NEWLINE)
    link = private_state / "cutback.toml"
    link.symlink_to(target)
    await add_a_change_and_save(link)

    assert link.is_symlink()
    assert len(read_scenario(target).changes) == 2


async def test_exporting_over_a_symbolic_link_to_nowhere_asks_first(private_state: Path) -> None:
    link = private_state / "out.csv"
    link.symlink_to("missing.csv")
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(Input).value = "out.csv"
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("escape")
        await pilot.pause()

    assert link.is_symlink() and not os.path.exists(link)
