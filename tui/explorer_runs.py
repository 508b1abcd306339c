"""Runs kept for comparison and the baseline: kept, overlaid, listed, exported.

Each run is projected once, in a job of its own, never on a slider step; the figures set
them beside the scenario and the charts overlay them.
"""

from __future__ import annotations

from ammoflow.scenarios.files import presets
from ammoflow.scenarios.files.scenario_toml import read_scenario
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.scenarios.model.text import visible
from ammoflow.tui import userfiles
from ammoflow.tui.explorer_base import ExplorerBase, dialog_action
from ammoflow.tui.jobs import Job
from ammoflow.tui.panels import chart_tabs as charts
from ammoflow.tui.panels.figures import Compared
from ammoflow.tui.runs import Run, project_run, write_comparison


class ExplorerRuns(ExplorerBase):
    """The pinned baseline and the runs kept beside the scenario."""

    def action_pin_baseline(self) -> None:
        ws = self.workspace
        name = ws.scenario.name + (" (modified)" if ws.modified else "")
        ws.pin(ws.scenario, name)
        ws.history.seal()  # undo after pinning goes back to what was pinned
        self._request_compute()
        self.app.notify(f"Pinned as the baseline: {visible(name)}. Charts draw it dim, figures compare.", timeout=3)

    def compared(self) -> list[Compared]:
        """What the figures set beside the scenario: the pinned baseline (when it differs), then the kept runs."""
        out = []
        result = self._result
        if result is not None and self.workspace.pinned and result.baseline[0] != result.scenario:
            out.append(Compared("baseline", result.baseline[2]))
        out += [Compared(run.label, run.figures) for run in self.runs.items]
        return out

    def compared_runs(self) -> list[Run]:
        """The runs the charts overlay and the export writes: the pinned baseline, then the kept runs."""
        result = self._result
        out = []
        if result is not None and self.workspace.pinned and result.baseline[0] != result.scenario:
            scenario, frame, figures = result.baseline
            out.append(Run(f"baseline: {self.workspace.baseline_name}", scenario, frame, figures))
        return out + list(self.runs.items)

    def _chart_runs(self) -> list[charts.Compared]:
        """The kept runs as the charts take them, made once per run: a chart redraws only when they change."""
        made = {(c.label, id(c.frame)): c for c in self._charted}
        self._charted = [made.get((r.label, id(r.frame))) or charts.Compared(r.label, r.frame) for r in self.runs.items]
        return list(self._charted)

    def _compared_line(self, compared: list[Compared]) -> str:
        ws = self.workspace
        base = f"Baseline: {visible(ws.baseline_name)}" if ws.pinned else "No baseline"
        runs = self.key_of("runs")
        if len(compared) > 1:
            chosen = compared[self._compared_index % len(compared)].name
            return f"{base} · change vs {visible(chosen)} · {self.key_of('next_compared')} next · {runs} runs"
        return f"{base} · {self.key_of('keep_run')} keep run · {runs} runs"

    def keep_run(self, scenario: Scenario, label: str) -> None:
        """Project ``scenario`` once, off the key path, and keep it under ``label`` (made unique)."""
        job: Job[tuple[str, Scenario], Run] = Job(
            self,
            lambda asked, _stopped: project_run(asked[0], asked[1], self.observations, self._as_of()),
            done=lambda _asked, run: self._kept(run, job),
            failed=lambda _asked, error: self.app.notify(f"Not kept: {error}", severity="error", timeout=6),
            name="keep run",
        )
        self._keeping.append(job)
        job.start((label, scenario))

    def _kept(self, run: Run, job: Job[tuple[str, Scenario], Run]) -> None:
        if job in self._keeping:
            self._keeping.remove(job)
        kept = self.runs.add(run, taken=["baseline"])
        self._compared_index = len(self.compared()) - 1  # the change is against the run just kept
        self._draw()
        self.app.notify(f"Kept run: {visible(kept.label)} ({self.key_of('runs')} lists the runs)", timeout=3)

    def action_keep_run(self) -> None:
        ws = self.workspace
        self.keep_run(ws.scenario, ws.scenario.name + (" (modified)" if ws.modified else ""))

    def action_next_compared(self) -> None:
        compared = self.compared()
        if len(compared) < 2:
            self.app.notify("Nothing else to compare with: k keeps this scenario as a run.", timeout=3)
            return
        self._compared_index = (self._compared_index + 1) % len(compared)
        self._draw()

    @dialog_action
    async def action_runs(self) -> None:
        from ammoflow.tui.dialogs.runs import RunsScreen

        ws = self.workspace
        choice = await self.app.push_screen_wait(RunsScreen(ws.baseline_name if ws.pinned else None, self.runs.labels))
        if choice is None:
            return
        if choice.action == "add_current":
            self.action_keep_run()
        elif choice.action == "add_other":
            await self._keep_other()
        elif choice.action == "remove":
            self.runs.remove(choice.label)
            self._draw()
            self.app.notify(f"Removed run: {visible(choice.label)}", timeout=3)
        elif choice.action == "rename":
            try:
                renamed = self.runs.rename(choice.label, choice.text, taken=["baseline"])
            except ScenarioError as exc:
                self.app.notify(exc.render(), severity="error", timeout=5)
                return
            self._draw()
            self.app.notify(f"Renamed to {visible(renamed.label)}", timeout=3)
        elif choice.action == "export":
            await self._export_comparison()
        elif choice.action == "unpin":
            ws.pinned = False
            self._request_compute()
            self.app.notify("Baseline unpinned: nothing is compared until b pins one.", timeout=3)
        else:  # pin_saved
            ws.pin(ws.saved, ws.saved.name)
            self._request_compute()
            where = f" ({ws.path})" if ws.path else ""
            self.app.notify(f"Baseline: {visible(ws.saved.name)}, as saved{where}.", timeout=3)

    async def _keep_other(self) -> None:
        from ammoflow.tui.dialogs.open_scenario import OpenScenarioScreen

        choice = await self.app.push_screen_wait(OpenScenarioScreen(userfiles.recent_files()))
        if choice is None:
            return
        try:
            if choice.preset is not None:
                scenario = presets.load(choice.preset)
            else:
                assert choice.path is not None  # a choice is a preset or a file
                scenario = read_scenario(choice.path)
        except ScenarioError as exc:
            self.app.notify("\n".join(exc.lines()[:8]), title="Cannot keep", severity="error", timeout=10)
            return
        self.keep_run(scenario, scenario.name)

    async def _export_comparison(self) -> None:
        from ammoflow.scenarios.files.safe_write import exists
        from ammoflow.tui.dialogs.confirm import ConfirmScreen
        from ammoflow.tui.dialogs.path_prompt import PathPrompt
        from ammoflow.tui.runs import figures_path

        result = self._result
        if result is None:
            return
        this = Run(f"this: {result.scenario.name}", result.scenario, result.frame, result.figures)
        runs = [this, *self.compared_runs()]
        path = await self.app.push_screen_wait(
            PathPrompt("Export the comparison (.csv or .parquet)", "comparison.csv", suffix=".csv")
        )
        if path is None:
            return
        taken = [p for p in (path, figures_path(path)) if exists(p)]
        if taken:
            names = " and ".join(str(p) for p in taken)
            question = ConfirmScreen("Overwrite?", f"{names} exists. Replace?", yes="Overwrite", danger=True)
            if not await self.app.push_screen_wait(question):
                return
        try:
            months, figures = write_comparison(runs, path)
        except ScenarioError as exc:
            self.app.notify("\n".join(exc.lines()), title="Not exported", severity="error")
            return
        self.app.notify(f"Exported {len(runs)} runs to {months} and their key figures to {figures}", timeout=4)
