"""The Scenario dialog (E): name, description, notes, start and horizon read and edited in the explorer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest
from pilot_waits import settle
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from ammoflow.scenarios.files.scenario_toml import read_scenario
from ammoflow.scenarios.model.scenario import Change, baseline
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.dialogs.scenario_details import ScenarioScreen

pytestmark = pytest.mark.usefixtures("private_state")


async def open_dialog(pilot: Pilot[Any], app: AmmoflowApp) -> ScenarioScreen:
    await settle(pilot, app)
    await pilot.press("E")
    await pilot.pause()
    assert isinstance(app.screen, ScenarioScreen)
    return app.screen


async def test_everything_edited_at_once_is_one_undo_step() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_dialog(pilot, app)
        before = app.explorer.workspace.scenario
        dialog.query_one("#name", Input).value = "Cutback"
        dialog.query_one("#description", TextArea).text = "Shipments halve."
        dialog.query_one("#notes", TextArea).text = "Source: my reading.\nSecond line."
        dialog.query_one("#start", Input).value = "2024-01"
        dialog.query_one("#months", Input).value = "24"
        dialog.query_one("#name", Input).focus()
        await pilot.press("enter")
        await settle(pilot, app)
        scenario = app.explorer.workspace.scenario
        assert (scenario.name, scenario.description, scenario.notes) == (
            "Cutback",
            "Shipments halve.",
            "Source: my reading.\nSecond line.",
        )
        assert (scenario.start, scenario.months) == ("2024-01", 24)
        assert app.explorer.result is not None and app.explorer.result.frame.height == 24
        assert "Cutback" in app.sub_title
        await pilot.press("ctrl+z")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario == before


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("start", "2024-13", "start: "),
        ("start", "soon", "start: "),
        ("months", "0", "months = 0 is outside its range 1 to 240 months"),
        ("months", "4.5", "months must be a whole number from 1 to 240"),
        ("months", "241", "months = 241 is outside its range 1 to 240 months"),
    ],
)
async def test_a_bad_start_or_horizon_is_shown_under_its_field_and_nothing_changes(
    field: str, typed: str, message: str
) -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot, app)
        before = app.explorer.workspace.scenario
        dialog.query_one(f"#{field}", Input).value = typed
        dialog.query_one(f"#{field}", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        assert dialog.error(field).startswith("✗ " + message) or message in dialog.error(field)
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario == before


async def test_hostile_text_is_shown_written_out_and_kept_when_left_alone(private_state: Path) -> None:
    hostile = attrs.evolve(baseline(), name="Evil\x1b[31m", notes="one\x07\ntwo\n")
    app = AmmoflowApp(hostile, offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_dialog(pilot, app)
        assert dialog.query_one("#name", Input).value == "Evil\\x1b[31m"
        assert dialog.query_one("#notes", TextArea).text == "one\\x07\ntwo\n"
        dialog.query_one("#description", TextArea).text = "Now described."
        dialog.query_one("#start", Input).focus()
        await pilot.press("enter")
        await settle(pilot, app)
        scenario = app.explorer.workspace.scenario
        assert (scenario.name, scenario.notes, scenario.description) == (
            "Evil\x1b[31m",
            "one\x07\ntwo\n",
            "Now described.",
        )


async def test_a_later_start_folds_earlier_changes_in_and_says_so() -> None:
    scenario = baseline().with_changes(
        [Change("2024-01", "ru_fire_rate", 30_000), Change("2027-01", "ru_fire_rate", 10)]
    )
    app = AmmoflowApp(scenario, offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_dialog(pilot, app)
        dialog.query_one("#start", Input).value = "2025-01"
        dialog.query_one("#months", Input).value = "12"
        dialog.query_one("#start", Input).focus()
        await pilot.press("enter")
        await settle(pilot, app)
        edited = app.explorer.workspace.scenario
        assert edited.values["ru_fire_rate"] == 30_000
        assert edited.changes == ()
        assert any("2 changes outside the new horizon" in str(n.message) for n in app._notifications)


async def test_the_details_are_saved_with_ctrl_s(private_state: Path) -> None:
    path = private_state / "mine.toml"
    path.write_text('name = "Mine"  # kept\n')
    app = AmmoflowApp(read_scenario(path), path, str(path), offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_dialog(pilot, app)
        dialog.query_one("#description", TextArea).text = "Two lines\nof description"
        dialog.query_one("#name", Input).focus()
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    assert read_scenario(path).description == "Two lines\nof description"
    assert "# kept" in path.read_text()


async def test_the_notice_names_the_undo_key_as_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A notice that says how to undo names the key the ``[keymap]`` gave undo, and that key undoes."""
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"app.undo" = "ctrl+u"\n', encoding="utf-8")
    monkeypatch.setenv("AMMOFLOW_CONFIG", str(config))
    told: list[str] = []
    app = AmmoflowApp(offer_recovery=False)
    notify = app.notify
    monkeypatch.setattr(app, "notify", lambda message, *a, **k: (told.append(str(message)), notify(message, *a, **k)))
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_dialog(pilot, app)
        dialog.query_one("#name", Input).value = "Cutback"
        dialog.query_one("#name", Input).focus()
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.name == "Cutback"
        changed = [message for message in told if message.startswith("Scenario details changed")]
        assert changed and changed[0].endswith("(^u undoes)"), changed
        await pilot.press("ctrl+u")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.name != "Cutback"
