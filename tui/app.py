"""The interactive explorer.

Data flows one way: a slider (or an undo, or a file) makes a new immutable scenario;
the engine projects it in a worker thread; the charts and the key figures show the
result. A burst of key presses starts at most one computation at a time, always on the
newest scenario, and a result older than the one on screen is dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import re
import signal
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import ClassVar

import attrs
import polars as pl
from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.files import presets
from ammoflow.scenarios.files.observation_csv import read_observations
from ammoflow.scenarios.files.scenario_toml import read_scenario, write_atomic, write_scenario
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.figures import KeyFigures, key_figures
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.scenarios.model.text import visible
from ammoflow.tui import userfiles
from ammoflow.tui.commands import ExplorerCommands
from ammoflow.tui.dialogs.base import Dialog
from ammoflow.tui.keys import TypeAhead
from ammoflow.tui.panels import chart_tabs as charts
from ammoflow.tui.panels.changes import ChangesTable
from ammoflow.tui.panels.figures import KeyFiguresView
from ammoflow.tui.panels.parameters import ParametersPanel
from ammoflow.tui.panels.tornado import TornadoView
from ammoflow.tui.recovery import Claimed, Copy, Slot
from ammoflow.tui.state import CopySchedule, Workspace
from ammoflow.tui.widgets.chart import Chart
from textual import on, work
from textual.actions import ActionParseResult
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

MIN_WIDTH, MIN_HEIGHT = 60, 20
FULL_WIDTH, FULL_HEIGHT = 100, 30
# SIGHUP (a dropped SSH connection) and SIGTERM end the explorer like a crash would, keeping the
# unsaved work for the next start; the exit status says which signal it was (128 + its number).
STOP_SIGNALS = (signal.SIGHUP, signal.SIGTERM)


class ProjectionReady(Message):
    """A projection finished in the worker."""

    def __init__(
        self,
        generation: int,
        scenario: Scenario,
        frame: pl.DataFrame,
        figures: KeyFigures,
        baseline: tuple[Scenario, pl.DataFrame, KeyFigures],
    ) -> None:
        super().__init__()
        self.generation = generation
        self.scenario = scenario
        self.frame = frame
        self.figures = figures
        self.baseline = baseline


class ProjectionFailed(Message):
    """A projection raised in the worker (a bug, but the explorer must carry on)."""

    def __init__(self, generation: int, error: str) -> None:
        super().__init__()
        self.generation = generation
        self.error = error


class FansReady(Message):
    """Uncertainty bands finished in the worker."""

    def __init__(self, generation: int, scenario: Scenario, fans: charts.Fans, runs: int, error: str = "") -> None:
        super().__init__()
        self.generation = generation
        self.scenario = scenario
        self.fans = fans
        self.runs = runs
        self.error = error


def dialog_action(method: Callable[..., Awaitable[None]]) -> Callable[..., object]:
    """An action that may open dialogs, run in a worker (one at a time).

    Keys typed after it are held until its first dialog has focus (or it ends without
    one): typed ahead, they belong to the dialog, not to the slider behind it.
    """

    @functools.wraps(method)
    async def released(app: AmmoflowApp, *args: object) -> None:
        try:
            await method(app, *args)
        finally:
            app.release_keys()

    worker = work(exclusive=True, group="dialog")(released)

    @functools.wraps(method)
    def action(app: AmmoflowApp, *args: object) -> object:
        app.hold_keys()
        return worker(app, *args)

    action.opens_dialog = True  # type: ignore[attr-defined]
    return action


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "scenario"


def same_file(path: Path, other: Path | None) -> bool:
    """Whether two paths, however spelt (relative, absolute, through links), lead to the same place."""
    return other is not None and os.path.realpath(path) == os.path.realpath(other)


class AmmoflowApp(TypeAhead, App[None]):
    """Move sliders, watch the projection follow, save the scenario."""

    TITLE = "ammoflow"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ExplorerCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="app.save", tooltip="Save the scenario to its file"),
        Binding("S", "save_as", "Save as", id="app.save_as", show=False, tooltip="Save to another file"),
        Binding("ctrl+o", "open", "Open", id="app.open", tooltip="Open a preset or a scenario file"),
        Binding("e", "export", "Export CSV", id="app.export", show=False, tooltip="Write the projection as CSV"),
        Binding("b", "pin_baseline", "Pin baseline", id="app.pin_baseline", tooltip="Compare against this scenario"),
        Binding("u", "toggle_fans", "Uncertainty", id="app.toggle_fans", tooltip="Monte Carlo bands on the charts"),
        Binding(
            "U",
            "uncertainty_settings",
            "Uncertainty settings",
            id="app.uncertainty_settings",
            show=False,
            tooltip="Runs, distribution, sampling and seed of the bands",
        ),
        Binding("ctrl+z", "undo", "Undo", id="app.undo", tooltip="Undo the last change"),
        Binding("ctrl+y", "redo", "Redo", id="app.redo", show=False, tooltip="Redo what was undone"),
        Binding(
            "r", "reset_parameter", "Reset", id="app.reset_parameter", show=False, tooltip="Focused parameter to saved"
        ),
        Binding("R", "reset_all", "Reset all", id="app.reset_all", show=False, tooltip="Everything back to saved"),
        Binding("a", "add_change", "Add change", id="app.add_change", show=False, tooltip="Add a change over time"),
        Binding("1", "show_tab('containers')", "Shipped", id="app.tab_containers", show=False),
        Binding("2", "show_tab('rounds')", "Rounds", id="app.tab_rounds", show=False),
        Binding("3", "show_tab('stocks')", "Stocks", id="app.tab_stocks", show=False),
        Binding("4", "show_tab('front')", "Front", id="app.tab_front", show=False),
        Binding("5", "show_tab('flows')", "Flows", id="app.tab_flows", show=False),
        Binding("6", "show_tab('figures-tab')", "Figures", id="app.tab_figures", show=False),
        Binding("7", "show_tab('changes')", "Changes", id="app.tab_changes", show=False),
        Binding("8", "show_tab('sensitivity')", "Tornado", id="app.tab_sensitivity", show=False),
        Binding("g", "seek", "Goal seek", id="app.seek", show=False, tooltip="Find the value that reaches a target"),
        Binding("F", "fit", "Fit", id="app.fit", show=False, tooltip="Fit parameters to the observations"),
        Binding("t", "toggle_dark", "Light/dark", id="app.toggle_dark", show=False, tooltip="Switch light and dark"),
        Binding("f1,question_mark", "help", "Help", id="app.help", tooltip="Every key"),
        Binding("ctrl+q,q", "quit", "Quit", id="app.quit", tooltip="Quit (asks if there are unsaved changes)"),
    ]

    def __init__(
        self,
        scenario: Scenario | None = None,
        path: Path | None = None,
        origin: str = "baseline",
        *,
        observations: tuple[Observation, ...] | None = None,
        offer_recovery: bool = True,
    ) -> None:
        super().__init__()
        scenario = scenario or presets.load("baseline")
        self.workspace = Workspace.open(scenario, path, origin)
        self.observations = observations if observations is not None else read_observations()
        self.offer_recovery = offer_recovery
        self._generation = 0
        self._shown_generation = -1
        self._computing = False
        self._pending = False
        self._result: ProjectionReady | None = None
        self.slot = Slot()
        self.copy_schedule = CopySchedule()
        self._copy_timer = None
        self.clock: Callable[[], float] = time.monotonic  # when edits happen: undo steps, the recovery copy
        self.stopped_by: int | None = None  # the signal that ended the explorer, if one did
        self.catching: frozenset[int] = frozenset()  # the stop signals this explorer handles itself
        # Seconds a signal's orderly exit may take before the process ends regardless (a terminal
        # that hung up can make the exit block on writes to it); None leaves it to the caller.
        self.hard_exit_after: float | None = None
        self.fans_on = False
        self._fans: FansReady | None = None
        self._fans_generation = 0
        self._fans_timer = None
        self._fans_running = False
        self._fans_progress = (0, 0, 0)  # (generation, runs done, runs in all), written by the worker
        self._notices: list[str] = []

    # -- what the explorer shows, for scripts and tests -----------------------------------

    @property
    def explorer(self) -> AmmoflowApp:
        """The explorer: what it shows, and when it has settled."""
        return self

    @property
    def notices(self) -> tuple[str, ...]:
        """Every notification shown so far, oldest first, as shown (a log: none expires from it)."""
        return tuple(self._notices)

    async def settled(self) -> None:
        """Return once every job asked for (projection, bands) is done and its result drawn."""
        while self.busy or self._fans_running:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0)

    @property
    def result(self) -> ProjectionReady | None:
        """The projection on screen: its scenario, frame and key figures (None before the first)."""
        return self._result

    @property
    def bands(self) -> FansReady | None:
        """The uncertainty bands last drawn (None while they are off or not yet computed)."""
        return self._fans

    @property
    def busy(self) -> bool:
        """Whether the projection of the newest scenario is still being computed or waiting to be."""
        return self._computing or self._pending

    @property
    def bands_current(self) -> bool:
        """Whether the bands drawn are the newest asked for (the scenario's latest, with the latest settings)."""
        return self._fans is not None and self._fans.generation == self._fans_generation

    @property
    def bands_running(self) -> bool:
        """Whether a Monte Carlo run for the bands is under way."""
        return self._fans_running

    # -- layout ----------------------------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification; it quotes names, paths and files, so it is plain text with control characters written out.

        Each line is made visible on its own: a notification may list several problems.
        """
        shown = "\n".join(visible(line) for line in message.split("\n"))
        self._notices.append(shown)
        super().notify(shown, title=visible(title), severity=severity, timeout=timeout, markup=markup)

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Horizontal(id="main"):
            yield ParametersPanel(id="parameters")
            with Vertical(id="results"):
                with TabbedContent(id="tabs"):
                    for tab in charts.TABS:
                        with TabPane(tab.title, id=tab.id):
                            yield Chart(id=f"chart-{tab.id}")
                    with TabPane("Figures", id="figures-tab"):
                        yield KeyFiguresView(id="figures-full")
                    with TabPane("Changes", id="changes"):
                        yield Static(
                            "Step changes: from a month on, a parameter takes a new value. a: add, x/delete: remove.",
                            classes="hint",
                        )
                        yield ChangesTable(id="changes-table")
                    with TabPane("Tornado", id="sensitivity"):
                        yield TornadoView(id="tornado")
                yield Static("", id="fan-status")
                yield KeyFiguresView(id="figures")
        yield Static(
            f"The terminal is too small for ammoflow.\nMake it at least {MIN_WIDTH}x{MIN_HEIGHT}.",
            id="too-small",
        )
        yield Footer()

    def on_mount(self) -> None:
        keymap, problems = userfiles.read_keymap(binding_ids())
        if keymap:
            self.set_keymap(keymap)
        for problem in problems:
            self.notify(problem, title="Key bindings", severity="warning", timeout=10)
        self.query_one(ParametersPanel).focus_parameter(registry.KEYS[0])
        self._apply_size(self.size.width, self.size.height)
        self._show_scenario()
        # The first projection is computed here, before the first frame, so that frame is
        # complete; every later one runs in a worker.
        self._generation += 1
        self.on_projection_ready(
            self._projection(self.workspace.scenario, self.workspace.baseline, None, self._generation)
        )
        self._catch_stop_signals(True)
        if self.offer_recovery:
            self._offer_recovery()

    def on_unmount(self) -> None:
        self._catch_stop_signals(False)

    def _catch_stop_signals(self, catch: bool) -> None:
        loop = asyncio.get_running_loop()
        caught = set()
        for number in STOP_SIGNALS:
            # Not possible off the main thread or on some platforms: the default action then stays.
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                if catch:
                    loop.add_signal_handler(number, self._stop_on_signal, number)
                    caught.add(number)
                else:
                    loop.remove_signal_handler(number)
        self.catching = frozenset(caught)

    def _stop_on_signal(self, number: int) -> None:
        """Keep the unsaved work, then leave as on quit (the terminal restored), exit status 128 + signal.

        After a hang-up the terminal is gone and writes to it fail or block; the copy is
        written first, and ``hard_exit_after`` bounds the rest.
        """
        self.keep_work()
        self.stopped_by = number
        if self.hard_exit_after is not None:
            deadline = threading.Timer(self.hard_exit_after, os._exit, args=(128 + number,))
            deadline.daemon = True  # it must not keep a process that is done from ending
            deadline.start()
        self.exit(return_code=128 + number)

    @property
    def exit_status(self) -> int:
        """What the process should exit with: 128 + the signal that stopped it, 1 after a crash, else 0."""
        if self.stopped_by is not None:
            return 128 + self.stopped_by
        return self.return_code or 0

    def on_resize(self, event) -> None:  # type: ignore[no-untyped-def]
        self._apply_size(event.size.width, event.size.height)

    def _apply_size(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        compact = width < FULL_WIDTH or height < FULL_HEIGHT
        self.screen.set_class(small, "-too-small")
        self.screen.set_class(compact, "-compact")
        # Between the full layout and a wide one, rows take two lines so the chart keeps its width.
        self.screen.set_class(not compact and width < 120, "-medium")
        self.query_one("#figures", KeyFiguresView).set_compact(compact)

    # -- showing the scenario ------------------------------------------------------------

    def _show_scenario(self) -> None:
        ws = self.workspace
        marker = " ● modified" if ws.modified else ""
        self.sub_title = f"{visible(ws.scenario.name)}{marker}"
        self.query_one(ParametersPanel).show_values(ws.scenario.values, ws.saved.values)
        self.query_one(ChangesTable).show(ws.scenario)

    def _changed(self, scenario: Scenario, topic: str | None = None) -> None:
        """Every edit comes through here: history, screen, recomputation, recovery copy."""
        self.workspace.history.push(scenario, topic, now=self.clock())
        self._after_edit()

    def _after_edit(self) -> None:
        self._show_scenario()
        self._request_compute()
        self._request_fans()
        delay = self.copy_schedule.edited(self.clock())
        if self._copy_timer is not None:
            self._copy_timer.stop()
        # Already due (the loop was busy): as soon as this key is handled. Textual cannot time 0 s.
        self._copy_timer = self.set_timer(max(delay, 0.001), self.keep_work, name="recovery copy")

    def keep_work(self) -> None:
        """Bring this explorer's recovery slot up to date: the unsaved work, or nothing when all is saved."""
        if self._copy_timer is not None:
            self._copy_timer.stop()
            self._copy_timer = None
        self.copy_schedule.written()
        ws = self.workspace
        if not ws.modified:
            self.slot.clear()
            return
        path = None
        if ws.path is not None:
            try:
                path = ws.path.absolute()
            except OSError:  # the working folder is gone; the path is as good as it gets
                path = ws.path
        preset = ws.origin if ws.path is None else None
        self.slot.write(Copy(ws.scenario, time.time(), path, preset, ws.disk_fingerprint))

    # -- computing ---------------------------------------------------------------------

    def _request_compute(self) -> None:
        self._generation += 1
        if self._computing:
            self._pending = True
            return
        self._start_compute()

    def _start_compute(self) -> None:
        self._computing = True
        self._pending = False
        baseline = self._result.baseline if self._result else None
        self._compute(self.workspace.scenario, self.workspace.baseline, baseline, self._generation)

    @work(thread=True, exit_on_error=False, group="compute")
    def _compute(
        self,
        scenario: Scenario,
        baseline: Scenario,
        known: tuple[Scenario, pl.DataFrame, KeyFigures] | None,
        generation: int,
    ) -> None:
        try:
            self.post_message(self._projection(scenario, baseline, known, generation))
        except Exception as exc:  # the next edit must still be computed, and the user told
            self.post_message(ProjectionFailed(generation, f"{type(exc).__name__}: {exc}"))

    def _projection(
        self,
        scenario: Scenario,
        baseline: Scenario,
        known: tuple[Scenario, pl.DataFrame, KeyFigures] | None,
        generation: int,
    ) -> ProjectionReady:
        frame = project(scenario)
        figures = key_figures(frame, scenario, self.observations)
        if known is not None and known[0] == baseline:
            base = known
        elif baseline == scenario:
            base = (baseline, frame, figures)
        else:
            base_frame = project(baseline)
            base = (baseline, base_frame, key_figures(base_frame, baseline, self.observations))
        return ProjectionReady(generation, scenario, frame, figures, base)

    def on_projection_failed(self, message: ProjectionFailed) -> None:
        self._computing = False
        if self._pending:
            self._start_compute()
        self.notify(f"This scenario could not be projected ({message.error})", severity="error", timeout=8)

    def on_projection_ready(self, message: ProjectionReady) -> None:
        self._computing = False
        if self._pending:
            self._start_compute()
        if message.generation <= self._shown_generation:
            return
        self._shown_generation = message.generation
        self._result = message
        self._draw()

    def _draw(self) -> None:
        result = self._result
        if result is None:
            return
        same_as_baseline = result.baseline[0] == result.scenario
        compared = None if same_as_baseline else result.baseline[2]
        self.query_one("#figures", KeyFiguresView).show(result.figures, compared)
        self.query_one("#figures-full", KeyFiguresView).show(result.figures, compared)
        active = self.query_one("#tabs", TabbedContent).active
        if active == "sensitivity":
            self.query_one(TornadoView).show(result.scenario)
        self._draw_chart(active)

    def _draw_chart(self, tab_id: str) -> None:
        result = self._result
        if result is None or tab_id not in charts.BY_ID:
            return
        base_scenario, base_frame, _ = result.baseline
        baseline = None if base_scenario == result.scenario else (base_scenario, base_frame)
        fans = self._fans.fans if self.fans_on and self._fans and self._fans.scenario == result.scenario else None
        data = charts.chart_data(
            charts.BY_ID[tab_id],
            result.scenario,
            result.frame,
            baseline=baseline,
            observations=self.observations,
            fans=fans,
        )
        self.query_one(f"#chart-{tab_id}", Chart).show(data)

    # -- uncertainty fans --------------------------------------------------------------

    def action_toggle_fans(self) -> None:
        self.fans_on = not self.fans_on
        status = self.query_one("#fan-status", Static)
        status.display = self.fans_on
        if self.fans_on:
            self._request_fans()
        else:
            self._fans = None
            self._fans_generation += 1  # whatever is still running is stale now
            if self._fans_timer is not None:
                self._fans_timer.stop()
                self._fans_timer = None
            self._draw()

    def _request_fans(self) -> None:
        if not self.fans_on:
            return
        self._fans_generation += 1
        if self._fans_timer is None:
            # Say so only when a run takes long enough to notice (200 ms), then how far it has got.
            self._fans_progress = (self._fans_generation, 0, 0)
            self._fans_timer = self.set_timer(0.2, self._start_fans_ticker)
        if self._fans_running:
            return  # the running one stops at its next chunk and starts the newest
        self._fans_running = True
        self._simulate(self.workspace.scenario, self._fans_generation)

    def _start_fans_ticker(self) -> None:
        if not self._fans_running:
            return  # the bands came first; their timer was stopped after this call was queued
        self._show_fans_running()
        self._fans_timer = self.set_interval(0.1, self._show_fans_running)

    def _show_fans_running(self) -> None:
        if not self._fans_running:
            return  # a tick queued before the bands arrived and its timer stopped: the status says so already
        runs = self.workspace.scenario.uncertainty.runs
        generation, done, total = self._fans_progress
        share = f" {done / total:.0%}" if generation == self._fans_generation and total else ""
        self.query_one("#fan-status", Static).update(f"Uncertainty: running {runs:,} Monte Carlo runs…{share}")

    @work(thread=True, exit_on_error=False, group="fans")
    def _simulate(self, scenario: Scenario, generation: int) -> None:
        """One Monte Carlo run at a time; a run the user has moved past stops between chunks."""
        from ammoflow.scenarios.analysis.montecarlo import QUANTILES, Stopped, simulate

        columns = sorted({column for tab in charts.TABS for column in charts.fan_columns(tab)})
        try:
            simulation = simulate(  # only the bands are kept: bounded memory at 100,000 runs of 240 months
                scenario,
                columns=columns,
                qs=QUANTILES,
                chunk=5_000,
                stop=lambda: generation != self._fans_generation,
                progress=lambda done, total: setattr(self, "_fans_progress", (generation, done, total)),
            )
        except Stopped:
            self.post_message(FansReady(generation, scenario, {}, 0))
            return
        except Exception as exc:  # bands are extra: say so and let the next edit try again
            self.post_message(FansReady(generation, scenario, {}, 0, error=f"{type(exc).__name__}: {exc}"))
            return
        fans = {column: simulation.percentiles(column) for column in columns}
        self.post_message(FansReady(generation, scenario, fans, simulation.runs))

    def on_fans_ready(self, message: FansReady) -> None:
        self._fans_running = False
        if self.fans_on and message.generation != self._fans_generation:
            self._fans_running = True  # the newest scenario, now
            self._simulate(self.workspace.scenario, self._fans_generation)
            return
        if not self.fans_on:
            return
        if self._fans_timer is not None:
            self._fans_timer.stop()
            self._fans_timer = None
        if message.error:
            self.query_one("#fan-status", Static).update(f"Uncertainty could not be computed ({message.error})")
            return
        self._fans = message
        u = message.scenario.uncertainty
        self.query_one("#fan-status", Static).update(
            f"Bands of {message.runs:,} runs · {u.distribution} · seed {u.seed} · U settings"
        )
        self._draw()

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        # The Figures tab shows the full table; the one under the charts would repeat it.
        self.query_one("#figures", KeyFiguresView).display = event.pane.id != "figures-tab"
        if event.pane.id == "sensitivity" and self._result is not None:
            self.query_one(TornadoView).show(self._result.scenario)
        self._draw_chart(event.pane.id or "")

    @on(TornadoView.ParameterChosen)
    def _tornado_chose(self, event: TornadoView.ParameterChosen) -> None:
        self.query_one(ParametersPanel).focus_parameter(event.key)
        self.release_keys()  # held since Enter on the bar: they are the slider's now

    @dialog_action
    async def action_uncertainty_settings(self) -> None:
        from ammoflow.tui.dialogs.uncertainty import UncertaintyScreen

        settings = await self.push_screen_wait(UncertaintyScreen(self.workspace.scenario))
        if settings is None or settings == self.workspace.scenario.uncertainty:
            return
        self._changed(attrs.evolve(self.workspace.scenario, uncertainty=settings))
        if not self.fans_on:
            self.action_toggle_fans()  # settings for the bands: show them
        self.notify(
            f"Uncertainty: {settings.runs:,} runs, {settings.distribution}, {settings.sampling}, "
            f"seed {settings.seed} (ctrl+z undoes)",
            timeout=4,
        )

    # -- goal seek and fit ---------------------------------------------------------------

    @dialog_action
    async def action_seek(self) -> None:
        from ammoflow.tui.dialogs.seek import SeekScreen

        choice = await self.push_screen_wait(SeekScreen(self.workspace.scenario, self._focused_parameter()))
        if choice is None:
            return
        parameter = registry.BY_KEY[choice.parameter_key]
        self._changed(self.workspace.scenario.with_value(choice.parameter_key, choice.value))
        self.query_one(ParametersPanel).focus_parameter(choice.parameter_key)
        self.notify(f"{parameter.label}: {parameter.format(choice.value)} (ctrl+z undoes)", timeout=4)

    @dialog_action
    async def action_fit(self) -> None:
        from ammoflow.tui.dialogs.fit import FitScreen

        focused = self._focused_parameter()
        keys = (focused,) if focused else ("containers_per_month",)
        values = await self.push_screen_wait(FitScreen(self.workspace.scenario, self.observations, keys=keys))
        if not values:
            return
        self._changed(self.workspace.scenario.with_values(values))
        fitted = ", ".join(registry.BY_KEY[k].format(v) for k, v in values.items())
        self.notify(f"Fitted: {fitted} (ctrl+z undoes)", timeout=5)

    # -- edits ---------------------------------------------------------------------

    @on(ParametersPanel.ValueChanged)
    def _parameter_changed(self, event: ParametersPanel.ValueChanged) -> None:
        # The slider's value now, not the message's: with keys typed ahead, later steps (or an
        # undo) may have come and gone while this message was on its way.
        self._take_in(event.key, self.query_one(ParametersPanel).row(event.key).value)

    def _take_in(self, key: str, value: float) -> None:
        """A value the user set on a slider, into the scenario."""
        if self.workspace.scenario.values[key] == value:
            return  # taken in already (by the catch-up): redrawing would undo steps still on their way
        try:
            scenario = self.workspace.scenario.with_value(key, value)
        except ScenarioError as exc:
            self.notify(exc.render(), severity="error")
            self._show_scenario()
            return
        self._changed(scenario, topic=key)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Every action (a key, the palette, a click) starts from the values the sliders show.

        A slider step reaches the scenario by message; a key typed straight after it (pin
        the baseline, undo, quit) would otherwise act on the scenario from before the step.
        """
        self._catch_up()
        return await super().run_action(action, default_namespace, namespaces)

    def _catch_up(self) -> None:
        try:
            shown = self.query_one(ParametersPanel).values
        except NoMatches:  # not composed yet
            return
        for key, value in shown.items():
            if self.workspace.scenario.values[key] != value:
                self._take_in(key, value)

    def action_undo(self) -> None:
        if self.workspace.history.undo():
            self._after_edit()
        else:
            self.notify("Nothing to undo.", timeout=2)

    def action_redo(self) -> None:
        if self.workspace.history.redo():
            self._after_edit()
        else:
            self.notify("Nothing to redo.", timeout=2)

    def _focused_parameter(self) -> str | None:
        return self.query_one(ParametersPanel).focused_key

    def action_reset_parameter(self) -> None:
        key = self._focused_parameter()
        if key is None:
            self.notify("Focus a parameter to reset it.", timeout=3)
            return
        saved = self.workspace.saved.values[key]
        self._changed(self.workspace.scenario.with_value(key, saved))
        self.notify(f"{registry.BY_KEY[key].label}: back to {registry.BY_KEY[key].format(saved)}", timeout=2)

    def action_reset_all(self) -> None:
        ws = self.workspace
        self._changed(ws.saved)
        self.notify("Every parameter is back to the saved scenario.", timeout=3)

    def action_pin_baseline(self) -> None:
        self.workspace.baseline = self.workspace.scenario
        self.workspace.history.seal()  # undo after pinning goes back to what was pinned
        self._request_compute()
        self.notify("Pinned as the baseline: charts draw it dim, figures compare against it.", timeout=3)

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def watch_theme(self) -> None:
        if self.is_mounted:
            self.call_after_refresh(self._draw)

    @on(ChangesTable.AddRequested)
    def _add_change_requested(self) -> None:
        self.action_add_change()

    @on(ChangesTable.RemoveRequested)
    def _remove_change(self, event: ChangesTable.RemoveRequested) -> None:
        changes = list(self.workspace.scenario.changes)
        removed = changes.pop(event.index)
        self._changed(self.workspace.scenario.with_changes(changes))
        self.notify(f"Removed: {removed.parameter} from {removed.month}", timeout=3)

    @dialog_action
    async def action_add_change(self) -> None:
        from ammoflow.tui.dialogs.add_change import AddChangeScreen

        change = await self.push_screen_wait(AddChangeScreen(self.workspace.scenario, self._focused_parameter()))
        if change is None:
            return
        scenario = self.workspace.scenario
        kept = [c for c in scenario.changes if (c.month, c.parameter) != (change.month, change.parameter)]
        try:
            self._changed(scenario.with_changes([*kept, change]))
        except ScenarioError as exc:
            self.notify(exc.render(), severity="error")
            return
        self.action_show_tab("changes")

    # -- files ---------------------------------------------------------------------

    @dialog_action
    async def action_save(self) -> None:
        await self._save(self.workspace.path)

    @dialog_action
    async def action_save_as(self) -> None:
        await self._save(None)

    async def _save(self, path: Path | None) -> bool:
        from ammoflow.scenarios.files.safe_write import exists
        from ammoflow.tui.dialogs.confirm import ConfirmScreen
        from ammoflow.tui.dialogs.path_prompt import PathPrompt

        ws = self.workspace
        if path is None:
            default = str(ws.path) if ws.path else f"{slug(ws.scenario.name)}.toml"
            path = await self.push_screen_wait(PathPrompt("Save scenario as", default, suffix=".toml"))
            if path is None:
                return False
            if exists(path) and not same_file(path, ws.path):
                question = ConfirmScreen("Overwrite?", f"{path} exists. Replace it?", yes="Overwrite", danger=True)
                if not await self.push_screen_wait(question):
                    return False
        if same_file(path, ws.path) and ws.changed_on_disk():
            question = ConfirmScreen(
                "Changed on disk",
                f"{path} was changed by something else since it was opened. Overwrite those changes?",
                yes="Overwrite",
                danger=True,
            )
            if not await self.push_screen_wait(question):
                return False
        try:
            # Over the file being worked on, keep its comments; over any other, replace it.
            write_scenario(ws.scenario, path, replace=not same_file(path, ws.path))
        except ScenarioError as exc:
            self.notify("\n".join(exc.lines()), title="Not saved", severity="error", timeout=8)
            return False
        ws.mark_saved(path)
        userfiles.remember(path)
        self.slot.clear()
        self._show_scenario()
        self.notify(f"Saved {path}", timeout=3)
        return True

    @dialog_action
    async def action_open(self) -> None:
        from ammoflow.tui.dialogs.confirm import ConfirmScreen
        from ammoflow.tui.dialogs.open_scenario import OpenScenarioScreen

        choice = await self.push_screen_wait(OpenScenarioScreen(userfiles.recent_files()))
        if choice is None:
            return
        try:
            if choice.preset is not None:
                scenario, path, origin = presets.load(choice.preset), None, choice.preset
            else:
                scenario, path, origin = read_scenario(choice.path), choice.path, str(choice.path)
        except ScenarioError as exc:
            self.notify("\n".join(exc.lines()[:8]), title="Cannot open", severity="error", timeout=10)
            return
        if self.workspace.modified:
            question = ConfirmScreen(
                "Unsaved changes", "Open another scenario and lose the unsaved changes?", yes="Discard", danger=True
            )
            if not await self.push_screen_wait(question):
                return
        self.open_scenario(scenario, path, origin)

    def open_scenario(self, scenario: Scenario, path: Path | None, origin: str) -> None:
        baseline = self.workspace.baseline
        self.workspace = Workspace.open(scenario, path, origin)
        self.workspace.baseline = baseline  # the pinned comparison stays across files
        if path is not None:
            userfiles.remember(path)
        self.slot.clear()
        self._after_edit()

    @dialog_action
    async def action_export(self) -> None:
        from ammoflow.scenarios.files.safe_write import exists
        from ammoflow.tui.dialogs.confirm import ConfirmScreen
        from ammoflow.tui.dialogs.path_prompt import PathPrompt

        result = self._result
        if result is None:
            return
        default = f"{slug(result.scenario.name)}.csv"
        path = await self.push_screen_wait(PathPrompt("Export the projection as CSV", default, suffix=".csv"))
        if path is None:
            return
        if exists(path):  # a symbolic link to nowhere too: writing creates its target
            question = ConfirmScreen("Overwrite?", f"{path} exists. Replace it?", yes="Overwrite", danger=True)
            if not await self.push_screen_wait(question):
                return
        try:
            write_atomic(path, result.frame.write_csv())
        except ScenarioError as exc:
            self.notify("\n".join(exc.lines()), title="Not exported", severity="error")
            return
        self.notify(f"Exported {result.scenario.months} months to {path}", timeout=3)

    # -- leaving, recovering, help ------------------------------------------------------

    @dialog_action
    async def action_quit(self) -> None:
        from ammoflow.tui.dialogs.confirm import ConfirmScreen

        if self.workspace.modified:
            question = ConfirmScreen(
                "Unsaved changes",
                "Quit without saving? (ctrl+s saves)",
                yes="Quit",
                no="Stay",
                danger=True,
            )
            if not await self.push_screen_wait(question):
                return
        self.slot.clear()
        self.exit()

    @dialog_action
    async def _offer_recovery(self) -> None:
        """Offer the work of explorers that stopped without saving, newest first, one after another.

        Declining one moves on to the next; restoring one ends the offers, and any still
        waiting are offered at the next start (this explorer says how many).
        """
        from ammoflow.tui.dialogs.recovery import RecoverScreen

        while (claimed := self.slot.claim_next()) is not None:
            found = claimed.copy
            if found is None:
                self.notify(claimed.problem, title="Recovery", severity="warning", timeout=10)
                continue
            if await self.push_screen_wait(RecoverScreen(found.when, found.scenario.name, found.source)):
                self._restore(claimed, found)
                return
            self.slot.release(claimed)

    def _restore(self, claimed: Claimed, found: Copy) -> None:
        # The work belongs to where it came from, not to whatever this start opened:
        # saving it must never land on another file, and must notice if that file has
        # changed on disk since the work began.
        scenario, path, origin = self._recovery_origin(found)
        self.open_scenario(scenario, path, origin)
        if path is not None:
            self.workspace.disk_fingerprint = found.fingerprint
        self._changed(found.scenario)
        self.keep_work()  # the work is in this explorer's slot before the claim goes
        self.slot.release(claimed)
        message = "Restored the unsaved scenario."
        if waiting := self.slot.waiting():
            more = "scenario" if waiting == 1 else "scenarios"
            message += f" {waiting} more unsaved {more} will be offered at the next start."
        self.notify(message, timeout=6 if waiting else 3)

    @staticmethod
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

    @dialog_action
    async def action_help(self) -> None:
        from ammoflow.tui.dialogs.help import HelpScreen, binding_sections

        await self.push_screen_wait(HelpScreen(binding_sections(self)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No dialog opens over another (from the palette, say); quit may still ask.

        Dialog actions run one at a time: a second would cancel the first one's action and
        leave its dialog on screen with nothing to act on its answer.
        """
        if action == "quit" or not isinstance(self.screen, Dialog):
            return True
        return not getattr(getattr(self, f"action_{action}", None), "opens_dialog", False)

    def on_dialog_ready(self, message: Dialog.Ready) -> None:
        message.stop()
        self.release_keys()

    def action_focus_parameter(self, key: str) -> None:
        self.query_one(ParametersPanel).focus_parameter(key)

    def action_edit_parameter(self, key: str) -> None:
        """Focus a parameter and open its field to type an exact value."""
        self.query_one(ParametersPanel).edit_parameter(key)


def binding_ids() -> set[str]:
    """Every binding id a user may remap in the ``[keymap]`` table of the config file."""
    from ammoflow.tui.dialogs.add_change import AddChangeScreen
    from ammoflow.tui.dialogs.confirm import ConfirmScreen
    from ammoflow.tui.dialogs.fit import FitScreen
    from ammoflow.tui.dialogs.help import HelpScreen
    from ammoflow.tui.dialogs.open_scenario import OpenScenarioScreen
    from ammoflow.tui.dialogs.path_prompt import PathPrompt
    from ammoflow.tui.dialogs.recovery import RecoverScreen
    from ammoflow.tui.dialogs.seek import SeekScreen
    from ammoflow.tui.panels.parameters import ParameterRow
    from ammoflow.tui.panels.tornado import TornadoBars
    from ammoflow.tui.widgets.slider import FloatSlider

    owners = (AmmoflowApp, ParametersPanel, ParameterRow, FloatSlider, ChangesTable, TornadoView, TornadoBars)
    screens = (AddChangeScreen, ConfirmScreen, HelpScreen, OpenScenarioScreen, PathPrompt, RecoverScreen)
    screens += (SeekScreen, FitScreen)
    return {b.id for owner in (*owners, *screens) for b in owner.BINDINGS if isinstance(b, Binding) and b.id}


def run_app(argument: str, path: Path | None) -> int:
    """Open the explorer on a preset name or a file (already checked by the CLI); its exit status.

    After a crash the unsaved work is kept for the next start, and the status is not 0.
    """
    scenario = read_scenario(path) if path is not None else presets.load(argument)
    app = AmmoflowApp(scenario, path, str(path) if path else argument)
    app.hard_exit_after = 5.0
    app.run()
    if app.exit_status:
        with contextlib.suppress(Exception):  # already failing; the status must still get out
            app.keep_work()
    return app.exit_status
