"""The explorer's files: save, save as, open, export the projection, leave, and take up recovered work.

Nothing is written over another file without asking; a file changed on disk since it was
opened is not overwritten without asking either.
"""

from __future__ import annotations

import os
from pathlib import Path

from ammoflow.scenarios.files import presets
from ammoflow.scenarios.files.scenario_toml import current_scenario_text, read_scenario, write_scenario
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.numbers import format_count
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.scenarios.model.text import visible
from ammoflow.tui import userfiles
from ammoflow.tui.explorer_base import ExplorerBase, dialog_action, same_file, slug
from ammoflow.tui.recovery import Claimed, Copy
from ammoflow.tui.runs import Run
from ammoflow.tui.state import Workspace


class ExplorerFiles(ExplorerBase):
    """Saving, opening, exporting and quitting; recovered work taken up."""

    @dialog_action
    async def action_save(self) -> None:
        await self._save(self.workspace.path)

    @dialog_action
    async def action_save_as(self) -> None:
        await self._save(None)

    async def _save(self, path: Path | None) -> bool:
        """Save to ``path``, or to a path asked for; whether it was saved.

        A path asked for that cannot be written is asked for again, the reason under it: a
        save-as says what went wrong in one place, its prompt. Saving to the file already
        worked on (ctrl+s) says it in a notification.
        """
        ws = self.workspace
        asked = path is None
        error = ""
        while True:
            if asked:
                default = str(path) if path else str(ws.path) if ws.path else f"{slug(ws.scenario.name)}.toml"
                path = await self._ask_save_path(default, error)
            if path is None or not await self._may_write(path, asked):
                return False
            scenario, template = self._to_save(path)
            try:
                # Over the file being worked on, keep its comments; over any other, replace it,
                # laid out as the file or preset the work came from, with their comments.
                fresh = template is not None or not same_file(path, ws.path)
                write_scenario(scenario, path, replace=fresh, template=template)
            except ScenarioError as exc:
                if asked:
                    error = "; ".join(exc.lines())
                    continue
                self.app.notify("\n".join(exc.lines()), title="Not saved", severity="error", timeout=8)
                return False
            break
        if scenario is not ws.scenario:  # named and described as derived: that is what is now saved
            ws.history.push(scenario, None, now=self._clock())
        ws.mark_saved(path)
        userfiles.remember(path)
        self._slot().clear()
        self._show_scenario()
        self.app.notify(f"Saved {path}", timeout=3)
        return True

    async def _ask_save_path(self, default: str, error: str) -> Path | None:
        from ammoflow.tui.dialogs.path_prompt import PathPrompt

        return await self.app.push_screen_wait(PathPrompt("Save scenario as", default, suffix=".toml", error=error))

    async def _may_write(self, path: Path, asked: bool) -> bool:
        """Whether to write ``path``: asks before replacing another file, or one changed on disk."""
        from ammoflow.scenarios.files.safe_write import exists
        from ammoflow.tui.dialogs.confirm import ConfirmScreen

        ws = self.workspace
        if asked and exists(path) and not same_file(path, ws.path):
            question = ConfirmScreen("Overwrite?", f"{path} exists. Replace it?", yes="Overwrite", danger=True)
            if not await self.app.push_screen_wait(question):
                return False
        if same_file(path, ws.path) and ws.changed_on_disk():
            question = ConfirmScreen(
                "Changed on disk",
                f"{path} was changed by something else since it was opened. Overwrite those changes?",
                yes="Overwrite",
                danger=True,
            )
            if not await self.app.push_screen_wait(question):
                return False
        return True

    def _to_save(self, path: Path) -> tuple[Scenario, str | None]:
        """What saving to ``path`` writes, and the text whose comments it keeps (None: the file's own, or none).

        Saved to another file, a scenario keeps the comments of the file it came from; one
        from a preset keeps the preset's and, when modified, says it was derived (presets.derived).
        """
        ws = self.workspace
        if same_file(path, ws.path):
            if os.path.lexists(path) or ws.origin not in presets.names():
                return ws.scenario, None
            return presets.derived(ws.scenario, ws.origin)  # a new scenario's first save to its own file
        if ws.path is not None:
            return ws.scenario, current_scenario_text(ws.path)
        if ws.origin in presets.names():
            return presets.derived(ws.scenario, ws.origin)
        return ws.scenario, None

    @dialog_action
    async def action_open(self) -> None:
        from ammoflow.tui.dialogs.confirm import ConfirmScreen
        from ammoflow.tui.dialogs.open_scenario import OpenScenarioScreen

        choice = await self.app.push_screen_wait(OpenScenarioScreen(userfiles.recent_files()))
        if choice is None:
            return
        try:
            if choice.preset is not None:
                scenario, path, origin = presets.load(choice.preset), None, choice.preset
            else:
                assert choice.path is not None  # a choice is a preset or a file
                scenario, path, origin = read_scenario(choice.path), choice.path, str(choice.path)
        except ScenarioError as exc:
            self.app.notify("\n".join(exc.lines()[:8]), title="Cannot open", severity="error", timeout=10)
            return
        if self.workspace.modified:
            question = ConfirmScreen(
                "Unsaved changes", "Open another scenario and lose the unsaved changes?", yes="Discard", danger=True
            )
            if not await self.app.push_screen_wait(question):
                return
        self.open_scenario(scenario, path, origin)

    def open_scenario(self, scenario: Scenario, path: Path | None, origin: str, *, keep_baseline: bool = True) -> None:
        """Work on ``scenario``; it becomes the baseline, and a baseline pinned before is kept as a run.

        Comparing the new scenario with the old baseline without a word would mislead; dropping
        that baseline would lose it. So it stays on the charts and in the figures as a run, and
        a notification says so.
        """
        old = self.workspace
        result = self._result
        self.workspace = Workspace.open(scenario, path, origin)
        if path is not None:
            userfiles.remember(path)
        self._slot().clear()
        known = result is not None and result.baseline[0] == old.baseline
        if keep_baseline and known and old.pinned and old.baseline != scenario and result is not None:
            _, frame, figures = result.baseline
            kept = self.runs.add(Run(old.baseline_name, old.baseline, frame, figures), taken=["baseline"])
            self.app.notify(
                f"Baseline: {visible(scenario.name)}. The previous one is kept as the run {visible(kept.label)}.",
                timeout=5,
            )
        self._after_edit()

    @dialog_action
    async def action_export(self) -> None:
        from ammoflow.scenarios.files.projection_file import EXPORT_NAMES, export_format, projection_bytes

        result = self._result
        if result is None:
            return
        path = await self.write_chosen(
            "Export the projection: .csv or .parquet",
            f"{slug(result.scenario.name)}.csv",
            ".csv",
            export_format,
            lambda path: projection_bytes(result.frame, export_format(path)),
        )
        if path is not None:
            months = format_count(result.scenario.months, "month")
            self.app.notify(f"Exported {months} as {EXPORT_NAMES[export_format(path)]} to {path}", timeout=3)

    @dialog_action
    async def action_quit(self) -> None:
        from ammoflow.tui.dialogs.confirm import QuitScreen

        ws = self.workspace
        if ws.modified:
            where = f"to {ws.path}" if ws.path is not None else "to any file"
            answer = await self.app.push_screen_wait(QuitScreen(where))
            if answer == "stay" or (answer == "save" and not await self._save(ws.path)):
                return
        self._slot().clear()
        self.app.exit()

    def restore(self, claimed: Claimed, found: Copy) -> None:
        """Take up recovered work where it came from, then keep it in this explorer's slot."""
        # The work belongs to where it came from, not to whatever this start opened:
        # saving it must never land on another file, and must notice if that file has
        # changed on disk since the work began.
        scenario, path, origin = _recovery_origin(found)
        self.open_scenario(scenario, path, origin, keep_baseline=False)  # the start's scenario was never compared
        if path is not None:
            self.workspace.disk_fingerprint = found.fingerprint
        self._changed(found.scenario)
        self.keep_work()  # the work is in this explorer's slot before the claim goes
        slot = self._slot()
        slot.release(claimed)
        message = "Restored the unsaved scenario."
        if waiting := slot.waiting():
            more = "scenario" if waiting == 1 else "scenarios"
            message += f" {waiting} more unsaved {more} will be offered at the next start."
        self.app.notify(message, timeout=6 if waiting else 3)


def _recovery_origin(found: Copy) -> tuple[Scenario, Path | None, str]:
    """The saved scenario the recovered work started from: its file, its preset, or none."""
    if found.path is not None and found.path.is_file():
        try:
            return read_scenario(found.path), found.path, str(found.path)
        except ScenarioError:
            pass
    if found.preset and found.preset in presets.names():
        return presets.load(found.preset), None, found.preset
    return presets.load("baseline"), None, "recovered"
