"""Keys that arrive together act in the order they were typed.

Over a slow SSH link (or from a fast typist, or tmux send-keys) several keys reach the
program in one read and are queued before the first is handled. Each test queues its
keys at once, as the terminal delivers them, and checks the outcome a user meant.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, ClassVar

import pytest
from test_parameters import PanelHost, error_text, help_text, panel_of
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input

from ammoflow.scenarios.model.registry import BY_KEY
from ammoflow.scenarios.model.scenario import baseline
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.dialogs.seek import SeekScreen
from ammoflow.tui.keys import HOLD_LIMIT, FieldInput, TypeAhead
from ammoflow.tui.panels.parameters import ParametersPanel


@pytest.fixture(autouse=True)
def private_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMMOFLOW_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)


CHARACTERS = {"enter": "\r", "escape": "\x1b", "backspace": "\x7f"}


async def send_together(pilot: Any, *keys: str, settle: int = 40) -> None:
    """Queue ``keys`` at once, then let the app handle them."""
    for key in keys:
        character = CHARACTERS.get(key, key if len(key) == 1 else None)
        pilot.app.post_message(events.Key(key, character))
    for _ in range(settle):
        await pilot.pause()
    await asyncio.sleep(0.05)
    await pilot.pause()


class FieldHost(TypeAhead, App[None]):
    def compose(self) -> ComposeResult:
        yield FieldInput(id="field")


async def test_editing_keys_in_a_field_act_in_turn_with_the_characters() -> None:
    app = FieldHost()
    async with app.run_test() as pilot:
        await pilot.pause()
        await send_together(pilot, "5", "0", "backspace", "1", "left", "9", settle=5)
        assert app.query_one(FieldInput).value == "591"


class SubmitHost(TypeAhead, App[None]):
    """A field on a screen without ``on_input_submitted``: the app takes what it submits."""

    submitted: list[str]

    def compose(self) -> ComposeResult:
        self.submitted = []
        yield FieldInput(id="field")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submitted.append(event.value)


async def test_enter_in_a_field_submits_it_on_a_screen_that_does_not_handle_it() -> None:
    app = SubmitHost()
    async with app.run_test() as pilot:
        await pilot.pause()
        await send_together(pilot, "4", "2", "enter", settle=5)
        assert app.submitted == ["42"]


# -- the parameter panel ------------------------------------------------------------


async def test_a_refused_value_typed_ahead_says_why_and_keeps_saying_it() -> None:
    # "abc" and Enter in one read: the changes typed before Enter, still on their way when
    # Enter refuses the value, must not wipe the message as if the user had typed since.
    app = PanelHost()
    async with app.run_test(size=(120, 40)) as pilot:
        row = panel_of(app).row("nk_capacity_russia")
        row.slider.focus()
        await send_together(pilot, "enter", *"abc", "enter")
        assert '"abc" is not a number' in (error_text(row) or "")


async def test_keys_arriving_together_each_move_one_row() -> None:
    # Over a slow link several key presses arrive in one read and are queued before any is
    # handled: each must still move one row, not all land on the row after the first.
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = panel_of(app)
        keys = list(panel.rows)
        await send_together(pilot, *["down"] * 7, settle=2)
        assert app.focused is panel.row(keys[7]).slider
        await send_together(pilot, *["up"] * 3, settle=2)
        assert app.focused is panel.row(keys[4]).slider
        assert BY_KEY[keys[4]].description in help_text(app)


async def test_a_value_typed_together_with_its_enter_keys_lands_in_the_field() -> None:
    # Enter, the digits and Enter again in one read, as a fast typist over SSH sends them.
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = panel_of(app)
        keys = list(panel.rows)
        await send_together(pilot, "down", "enter", "5", "0", "enter", settle=4)
        assert keys[1] == "nk_utilisation_russia"
        assert app.changes == [(keys[1], 50)]
        assert app.focused is panel.row(keys[1]).slider


async def test_keys_typed_ahead_after_a_value_go_where_the_user_meant() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = panel_of(app)
        keys = list(panel.rows)  # nk_capacity_russia, nk_utilisation_russia, nk_capacity_other, ...
        await send_together(pilot, "enter", "9", "0", "k", "enter", "down", "left")
        assert app.changes[0] == (keys[0], 90_000)
        assert app.focused is panel.row(keys[1]).slider
        assert app.changes[1] == (keys[1], 100 - BY_KEY[keys[1]].step)
        await send_together(pilot, "enter", "5", "escape", "down", "down")
        assert len(app.changes) == 2  # Escape changed nothing
        assert app.focused is panel.row(keys[3]).slider
        assert not panel.row(keys[1]).editing


# -- the explorer -------------------------------------------------------------------


async def explorer(pilot: Any) -> AmmoflowApp:
    app: AmmoflowApp = pilot.app
    for _ in range(100):
        await pilot.pause()
        if app.explorer.result is not None and not app.explorer.busy:
            break
    return app


async def test_a_goal_seek_typed_ahead_reaches_the_dialog() -> None:
    async with AmmoflowApp(offer_recovery=False).run_test(size=(120, 40)) as pilot:
        app = await explorer(pilot)
        app.query_one(ParametersPanel).focus_parameter("ru_production")
        await pilot.pause()
        await send_together(pilot, "g", *"never", "enter")
        screen = app.screen
        assert isinstance(screen, SeekScreen)
        assert screen.inputs[2] == "never"
        assert not app.query_one(ParametersPanel).row("ru_production").editing  # Enter was the dialog's
        for _ in range(200):
            await pilot.pause()
            if screen.result is not None:
                break
        # The search ran on what was typed (from the shipment rate, where seek starts).
        assert screen.result is not None and screen.result.parameter_key == "containers_per_month"


async def test_uncertainty_settings_typed_ahead_are_applied() -> None:
    async with AmmoflowApp(offer_recovery=False).run_test(size=(120, 40)) as pilot:
        app = await explorer(pilot)
        await send_together(pilot, "U", *"5000", "enter")
        assert app.explorer.workspace.scenario.uncertainty.runs == 5_000


async def test_slider_steps_typed_before_pinning_are_part_of_the_baseline() -> None:
    async with AmmoflowApp(offer_recovery=False).run_test(size=(120, 40)) as pilot:
        app = await explorer(pilot)
        app.query_one(ParametersPanel).focus_parameter("containers_per_month")
        await pilot.pause()
        await send_together(pilot, "right", "right", "b", "right")
        step = BY_KEY["containers_per_month"].step
        assert app.explorer.workspace.baseline.values["containers_per_month"] == 1_100 + 2 * step
        assert app.explorer.workspace.scenario.values["containers_per_month"] == 1_100 + 3 * step


async def test_keys_after_an_action_without_a_dialog_are_not_held(tmp_path: Path) -> None:
    from ammoflow.scenarios.files.scenario_toml import write_scenario

    path = tmp_path / "mine.toml"
    write_scenario(baseline(), path)
    app = AmmoflowApp(baseline(), path, str(path), offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await explorer(pilot)
        app.query_one(ParametersPanel).focus_parameter("containers_per_month")
        await pilot.pause()
        # Saving to the file already named opens no dialog: the keys behind it go on to the slider.
        await send_together(pilot, "ctrl+s", "right")
        assert not app.holding_keys
        assert (
            app.explorer.workspace.scenario.values["containers_per_month"]
            == 1_100 + BY_KEY["containers_per_month"].step
        )


async def test_held_keys_are_let_go_in_the_end_even_if_no_dialog_comes() -> None:
    async with AmmoflowApp(offer_recovery=False).run_test(size=(120, 40)) as pilot:
        app = await explorer(pilot)
        app.query_one(ParametersPanel).focus_parameter("containers_per_month")
        await pilot.pause()
        app.hold_keys()  # as an action does that means to open a dialog, which then never opens
        await send_together(pilot, "right", settle=2)
        assert app.explorer.workspace.scenario.values["containers_per_month"] == 1_100
        await asyncio.sleep(HOLD_LIMIT + 0.2)
        for _ in range(20):
            await pilot.pause()
        assert not app.holding_keys
        assert (
            app.explorer.workspace.scenario.values["containers_per_month"]
            == 1_100 + BY_KEY["containers_per_month"].step
        )


async def test_an_undo_typed_straight_after_a_step_undoes_that_step() -> None:
    async with AmmoflowApp(offer_recovery=False).run_test(size=(120, 40)) as pilot:
        app = await explorer(pilot)
        panel = app.query_one(ParametersPanel)
        panel.focus_parameter("ru_fire_rate")
        await pilot.pause()
        await send_together(pilot, "right")
        await send_together(pilot, "down", "right", "ctrl+z")
        # The second step is undone, not the first.
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == 20_000 + BY_KEY["ru_fire_rate"].step
        assert app.explorer.workspace.scenario.values["return_containers_ratio"] == 1.3
        assert panel.values["return_containers_ratio"] == 1.3


async def test_quitting_straight_after_a_step_still_asks_about_it() -> None:
    from ammoflow.tui.dialogs.confirm import QuitScreen

    async with AmmoflowApp(offer_recovery=False).run_test(size=(120, 40)) as pilot:
        app = await explorer(pilot)
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.pause()
        await send_together(pilot, "right", "q")
        assert isinstance(app.screen, QuitScreen)  # unsaved changes: asked, not lost
        assert app.explorer.workspace.modified


async def test_steps_on_two_rows_in_one_burst_both_count() -> None:
    async with AmmoflowApp(offer_recovery=False).run_test(size=(120, 40)) as pilot:
        app = await explorer(pilot)
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.pause()
        await send_together(pilot, "right", "down", "right")
        values = app.explorer.workspace.scenario.values
        assert values["ru_fire_rate"] == 20_000 + BY_KEY["ru_fire_rate"].step
        assert values["return_containers_ratio"] == pytest.approx(1.3 + BY_KEY["return_containers_ratio"].step)


async def test_a_key_that_means_nothing_here_does_not_answer_a_question_asked_after_it() -> None:
    from ammoflow.tui.dialogs.confirm import QuitScreen

    async with AmmoflowApp(offer_recovery=False).run_test(size=(120, 40)) as pilot:
        app = await explorer(pilot)
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.pause()
        await send_together(pilot, "right", "y", "q")  # "y" is nothing on a slider: not a yes to quitting
        assert isinstance(app.screen, QuitScreen)
        assert app.is_running


async def test_keys_typed_after_a_dialogs_enter_come_after_it() -> None:
    async with AmmoflowApp(offer_recovery=False).run_test(size=(120, 40)) as pilot:
        app = await explorer(pilot)
        await send_together(pilot, "U", *"7000", "enter", "b")
        assert app.explorer.workspace.scenario.uncertainty.runs == 7_000
        assert app.explorer.workspace.baseline.uncertainty.runs == 7_000  # "b" pinned the scenario the dialog made


async def test_an_answer_typed_ahead_reaches_the_question_the_action_asks_next(tmp_path: Path) -> None:
    from ammoflow.scenarios.files.scenario_toml import read_scenario, write_scenario

    write_scenario(baseline().with_value("ru_fire_rate", 33_000), tmp_path / "baseline.toml")
    async with AmmoflowApp(offer_recovery=False).run_test(size=(120, 40)) as pilot:
        await explorer(pilot)
        # Save: the name offered is baseline.toml, which exists, so the action asks before overwriting.
        await send_together(pilot, "ctrl+s", "enter", "y", settle=80)
        assert read_scenario(tmp_path / "baseline.toml").values["ru_fire_rate"] == 20_000


async def test_moving_into_the_open_dialogs_list_keeps_up_with_the_keys() -> None:
    from ammoflow.scenarios.files import presets

    async with AmmoflowApp(offer_recovery=False).run_test(size=(120, 40)) as pilot:
        app = await explorer(pilot)
        await send_together(pilot, "ctrl+o", "down", "down", "enter")
        assert app.explorer.workspace.origin == presets.names()[1]


async def test_a_change_typed_ahead_from_the_changes_table_reaches_its_dialog() -> None:
    from ammoflow.scenarios.model.scenario import Change

    async with AmmoflowApp(offer_recovery=False).run_test(size=(120, 40)) as pilot:
        app = await explorer(pilot)
        from ammoflow.tui.panels.changes import ChangesTable

        await send_together(pilot, "7")
        app.query_one(ChangesTable).focus()
        await pilot.pause()
        assert isinstance(app.focused, ChangesTable)
        await send_together(pilot, "a", *"2026-03", "enter", settle=60)
        assert [c.month for c in app.explorer.workspace.scenario.changes] == ["2026-03"]
        assert isinstance(app.explorer.workspace.scenario.changes[0], Change)


async def test_enter_on_a_tornado_bar_then_a_step_steps_that_parameter() -> None:
    async with AmmoflowApp(offer_recovery=False).run_test(size=(120, 40)) as pilot:
        app = await explorer(pilot)
        await send_together(pilot, "8")
        bars = app.query_one("TornadoBars")
        for _ in range(100):
            await pilot.pause()
            if bars.has_class("-ready") or getattr(bars, "tornado", None) is not None:
                break
        bars.focus()
        await pilot.pause()
        await send_together(pilot, "enter", "right")
        key = app.query_one(ParametersPanel).focused_key
        assert key is not None
        assert app.explorer.workspace.scenario.values[key] == BY_KEY[key].default + BY_KEY[key].step


async def test_tabbing_past_a_drop_down_in_a_burst_keeps_the_typing() -> None:
    from ammoflow.scenarios.model.scenario import Change

    async with AmmoflowApp(offer_recovery=False).run_test(size=(120, 40)) as pilot:
        app = await explorer(pilot)
        app.query_one(ParametersPanel).focus_parameter("containers_per_month")
        await pilot.pause()
        # Month (kept), past the parameter drop-down, into the value: replaced by 500.
        await send_together(pilot, "a", "tab", "tab", *"500", "enter", settle=60)
        assert app.explorer.workspace.scenario.changes == (Change("2025-09", "containers_per_month", 500),)


async def test_a_refused_target_typed_ahead_says_why_and_keeps_saying_it() -> None:
    async with AmmoflowApp(offer_recovery=False).run_test(size=(120, 40)) as pilot:
        app = await explorer(pilot)
        # The figure offered is a month: "2M" is refused, and the changes typed before Enter,
        # still on their way, must not wipe the message.
        await send_together(pilot, "g", "2", "M", "enter")
        screen = app.screen
        assert isinstance(screen, SeekScreen)
        assert "must be a month" in str(screen.query_one("#status").render())


async def test_a_refused_number_of_runs_typed_ahead_says_why() -> None:
    from ammoflow.tui.dialogs.uncertainty import UncertaintyScreen

    async with AmmoflowApp(offer_recovery=False).run_test(size=(120, 40)) as pilot:
        app = await explorer(pilot)
        await send_together(pilot, "U", *"200k", "enter")
        screen = app.screen
        assert isinstance(screen, UncertaintyScreen)
        assert "from 1 to 100,000" in screen.error("runs")


# -- Escape read together with the key after it ----------------------------------------


async def test_escape_then_a_digit_read_together_leaves_the_field_and_shows_that_tab() -> None:
    from textual.widgets import TabbedContent

    from ammoflow.tui.keys import EscapeThenKey

    async with AmmoflowApp(offer_recovery=False).run_test(size=(120, 40)) as pilot:
        app = await explorer(pilot)
        row = app.query_one(ParametersPanel).row("nk_capacity_russia")
        row.slider.focus()
        await send_together(pilot, "enter", settle=5)
        assert row.editing
        app.post_message(EscapeThenKey("alt+3", "3", "3"))  # as the terminal's parser reads "\x1b3"
        await send_together(pilot, settle=20)
        assert not row.editing
        assert app.explorer.workspace.scenario.values["nk_capacity_russia"] == 150_000
        assert app.query_one(TabbedContent).active == "stocks"


class AltHost(TypeAhead, App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("alt+b", "mark", "Mark")]
    marks = 0

    def compose(self) -> ComposeResult:
        yield FieldInput(id="field")

    def action_mark(self) -> None:
        self.marks += 1


async def test_escape_then_a_key_with_an_alt_binding_is_that_binding() -> None:
    from ammoflow.tui.keys import EscapeThenKey

    app = AltHost()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.post_message(EscapeThenKey("alt+b", "b", "b"))
        await send_together(pilot, settle=10)
        assert app.marks == 1
        assert app.query_one(FieldInput).value == ""
