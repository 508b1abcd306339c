"""The explorer's edits: every change to the scenario goes through the workspace, here.

A slider's value, an undo, a reset, a change over time, the scenario's details, a goal seek
or a fit: each makes a new scenario in the workspace (one undo step), then the screen is
shown again, the projection and the bands asked for, and the recovery copy scheduled.
"""

from __future__ import annotations

import time

from textual import on

from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.numbers import format_count
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.explorer_base import FIRST_LEVER, ExplorerBase, dialog_action, title_for
from ammoflow.tui.keys import TypeAhead
from ammoflow.tui.panels.changes import ChangesTable, then_note
from ammoflow.tui.recovery import Copy
from ammoflow.tui.render.words import label_of


class ExplorerEdits(ExplorerBase):
    """Edits of the scenario, by keys, sliders and dialogs; the recovery copy of the work."""

    def _show_scenario(self) -> None:
        ws = self.workspace
        self.app.sub_title = title_for(ws.scenario.name, ws.path, ws.modified, self.app.size.width)
        self._parameters.show_values(ws.scenario.values, ws.saved.values)
        self._changes.show(ws.scenario)
        self._schedule.show(ws.scenario)
        self._parameters.show_notes({key: then_note(ws.scenario, key) for key in registry.KEYS})

    def _take_in(self, key: str, value: float) -> None:
        """A value the user set on a slider, into the scenario, in the turn of the key that set it."""
        before = self.workspace.scenario.values[key]
        if before == value:
            return
        self._noted_way(key, before, value)
        try:
            scenario = self.workspace.scenario.with_value(key, value)
        except ScenarioError as exc:
            self.app.notify(exc.render(), severity="error")
            self._show_scenario()
            return
        self._changed(scenario, topic=key)

    def _changed(self, scenario: Scenario, topic: str | None = None) -> None:
        """Every edit comes through here: history, screen, recomputation, recovery copy.

        Steps merge into one undo step by when their keys were typed, not when they were
        handled: a burst of keys on a busy machine is still one move.
        """
        typed = self.app.typed_at if isinstance(self.app, TypeAhead) else None
        self.workspace.history.push(scenario, topic, now=self._clock() if typed is None else typed)
        self._after_edit()

    def _after_edit(self) -> None:
        self._show_scenario()
        self._request_compute()  # the bands, when on, are asked for once it is done (_show_result)
        delay = self.copy_schedule.edited(self._clock())
        if self._copy_timer is not None:
            self._copy_timer.stop()
        # Already due (the loop was busy): as soon as this key is handled. Textual cannot time 0 s.
        self._copy_timer = self.set_timer(max(delay, 0.001), self.keep_work, name="recovery copy")

    def keep_work(self) -> None:
        """Bring the recovery slot up to date: the unsaved work, or nothing when all is saved."""
        if self._copy_timer is not None:
            self._copy_timer.stop()
            self._copy_timer = None
        self.copy_schedule.written()
        ws = self.workspace
        if not ws.modified:
            self._slot().clear()
            return
        path = None
        if ws.path is not None:
            try:
                path = ws.path.absolute()
            except OSError:  # the working folder is gone; the path is as good as it gets
                path = ws.path
        preset = ws.origin if ws.path is None else None
        self._slot().write(Copy(ws.scenario, time.time(), path, preset, ws.disk_fingerprint))

    def action_undo(self) -> None:
        if self.workspace.history.undo():
            self._after_edit()
        else:
            self.app.notify("Nothing to undo.", timeout=2)

    def action_redo(self) -> None:
        if self.workspace.history.redo():
            self._after_edit()
        else:
            self.app.notify("Nothing to redo.", timeout=2)

    def _focused_parameter(self) -> str | None:
        return self._parameters.focused_key

    def action_reset_parameter(self) -> None:
        key = self._focused_parameter()
        if key is None:
            self.app.notify("Focus a parameter to reset it.", timeout=3)
            return
        saved = self.workspace.saved.values[key]
        self._changed(self.workspace.scenario.with_value(key, saved))
        self.app.notify(f"{registry.BY_KEY[key].label}: back to {registry.BY_KEY[key].format(saved)}", timeout=2)

    def action_reset_all(self) -> None:
        self._changed(self.workspace.saved)
        self.app.notify("Every parameter is back to the saved scenario.", timeout=3)

    @on(ChangesTable.AddRequested)
    def _add_change_requested(self) -> None:
        self.action_add_change()

    @on(ChangesTable.RemoveRequested)
    def _remove_change(self, event: ChangesTable.RemoveRequested) -> None:
        changes = list(self.workspace.scenario.changes)
        removed = changes.pop(event.index)
        self._changed(self.workspace.scenario.with_changes(changes))
        self.app.notify(f"Removed: {label_of(removed.parameter)} from {removed.month}", timeout=3)

    @dialog_action
    async def action_add_change(self) -> None:
        from ammoflow.tui.dialogs.add_change import AddChangeScreen

        dialog = AddChangeScreen(self.workspace.scenario, self._focused_parameter())
        change = await self.app.push_screen_wait(dialog)
        if change is None:
            return
        try:
            self._changed(self.workspace.scenario.with_change(change))
        except ScenarioError as exc:
            self.app.notify(exc.render(), severity="error")
            return
        self.action_show_tab("changes")

    def action_focus_parameter(self, key: str) -> None:
        self._parameters.focus_parameter(key)

    def action_edit_parameter(self, key: str) -> None:
        """Focus a parameter and open its field to type an exact value."""
        self._parameters.edit_parameter(key)

    @dialog_action
    async def action_scenario(self) -> None:
        """Name, description, notes, start and horizon: one form, one undo step."""
        from ammoflow.tui.dialogs.scenario_details import ScenarioScreen

        edited = await self.app.push_screen_wait(ScenarioScreen(self.workspace.scenario))
        if edited is None or edited == self.workspace.scenario:
            return
        before = self.workspace.scenario
        self._changed(edited)
        lost = sum(1 for change in before.changes if change not in edited.changes)
        note = f"; {format_count(lost, 'change')} outside the new horizon folded in or dropped" if lost > 0 else ""
        self.app.notify(f"Scenario details changed{note} ({self.key_of('undo')} undoes)", timeout=4)

    # -- goal seek and fit ---------------------------------------------------------------

    @dialog_action
    async def action_seek(self) -> None:
        from ammoflow.tui.dialogs.seek import SeekScreen

        dialog = SeekScreen(self.workspace.scenario, FIRST_LEVER)
        choice = await self.app.push_screen_wait(dialog)
        if choice is None:
            return
        parameter = registry.BY_KEY[choice.parameter_key]
        self._changed(self.workspace.scenario.with_value(choice.parameter_key, choice.value))
        self._parameters.focus_parameter(choice.parameter_key)
        undo = self.key_of("undo")
        self.app.notify(f"{parameter.label}: {parameter.format(choice.value)} ({undo} undoes)", timeout=4)

    @dialog_action
    async def action_fit(self) -> None:
        from ammoflow.tui.dialogs.fit import FitScreen

        keys = (FIRST_LEVER,)
        result = await self.app.push_screen_wait(FitScreen(self.workspace.scenario, self.observations, keys=keys))
        if result is None:
            return
        # The whole fit, a schedule's every step included, is one edit: one ctrl+z takes it back.
        self._changed(result.scenario)
        if result.steps:
            parameter = registry.BY_KEY[result.keys[0]]
            fitted = f"{parameter.label} " + ", ".join(
                f"{parameter.format(s.value)} from {s.month}" for s in result.steps
            )
        else:
            fitted = ", ".join(
                f"{registry.BY_KEY[k].label} {registry.BY_KEY[k].format(v)}" for k, v in result.values.items()
            )
        self.app.notify(f"Fitted: {fitted} ({self.key_of('undo')} undoes)", timeout=5)
