"""The explorer screen: it owns the workspace and the views of it.

An edit goes one way: a slider (or an undo, a file, a dialog) makes a new immutable scenario
in the workspace, in the same turn as the key that made it; the explorer then starts the jobs
(the projection, the bands, the tornado: :class:`ammoflow.tui.jobs.Job`, newest wins); their answers are
drawn by the views. Nothing reads the sliders back: a key typed straight after a step acts
on the scenario the step made. The model is described in docs/model.md.
"""

from __future__ import annotations

import asyncio
import functools
import os
import re
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import attrs
import polars as pl
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import Reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane, Tabs

from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.files import presets
from ammoflow.scenarios.files.safe_write import write_atomic
from ammoflow.scenarios.files.scenario_toml import current_scenario_text, read_scenario, write_scenario
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.figures import KeyFigures, key_figures
from ammoflow.scenarios.model.months import month_of
from ammoflow.scenarios.model.numbers import format_count
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.scenarios.model.text import excerpt, visible
from ammoflow.tui import userfiles
from ammoflow.tui.dialogs.base import Dialog
from ammoflow.tui.jobs import Job
from ammoflow.tui.keys import TypeAhead, focus_now
from ammoflow.tui.panels import chart_tabs as charts
from ammoflow.tui.panels import tab_labels
from ammoflow.tui.panels.bands import Bands, BandsStatus
from ammoflow.tui.panels.changes import ChangesTable, ScheduleView, then_note
from ammoflow.tui.panels.figures import Compared, KeyFiguresView, months_of
from ammoflow.tui.panels.model_view import ModelView
from ammoflow.tui.panels.month_table import MonthTable
from ammoflow.tui.panels.observed import ObservedView
from ammoflow.tui.panels.parameters import ParametersPanel
from ammoflow.tui.panels.tornado import TornadoView
from ammoflow.tui.recovery import Claimed, Copy, Slot
from ammoflow.tui.render.words import label_of
from ammoflow.tui.runs import Run, Runs, project_run, write_comparison
from ammoflow.tui.state import CopySchedule, Workspace
from ammoflow.tui.widgets.chart import Chart

MIN_WIDTH, MIN_HEIGHT = 60, 20
FULL_WIDTH, FULL_HEIGHT = 100, 30

Baseline = tuple[Scenario, pl.DataFrame, KeyFigures]

TAB_TITLES = {tab.id: tab.title for tab in charts.TABS} | {
    "figures-tab": "Figures",
    "changes": "Changes",
    "sensitivity": "Tornado",
    "table-tab": "Table",
    "observed-tab": "Observed",
    "model-tab": "Model",
}
"""Each tab's full title, by its pane's id; narrow terminals show shorter ones (tab_labels)."""


@attrs.frozen(eq=False)
class Projection:
    """A scenario projected: its frame and key figures, and those of the baseline it is compared with."""

    scenario: Scenario
    frame: pl.DataFrame
    figures: KeyFigures
    baseline: Baseline


@attrs.frozen(eq=False)
class _Asked:
    """What a projection is asked for: the scenario, the baseline, and the baseline already projected."""

    scenario: Scenario
    baseline: Scenario
    known: Baseline | None


def dialog_action(method: Callable[..., Awaitable[None]]) -> Callable[..., object]:
    """An action that may open dialogs, run in a worker (one at a time).

    Keys typed after it are held until its first dialog has focus (or it ends without
    one): typed ahead, they belong to the dialog, not to the slider behind it.
    """

    @functools.wraps(method)
    async def released(owner: Any, *args: object) -> None:
        try:
            await method(owner, *args)
        finally:
            owner.app.release_keys()

    worker = work(exclusive=True, group="dialog")(released)

    @functools.wraps(method)
    def action(owner: Any, *args: object) -> object:
        owner.app.hold_keys()
        return worker(owner, *args)

    action.opens_dialog = True  # type: ignore[attr-defined]  # read by check_action
    return action


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "scenario"


def same_file(path: Path, other: Path | None) -> bool:
    """Whether two paths, however spelt (relative, absolute, through links), lead to the same place."""
    return other is not None and os.path.realpath(path) == os.path.realpath(other)


FIRST_LEVER = "containers_per_month"
"""Where goal seek and fit start: the pace of shipments, which every headline figure and every
observation (counts of containers and rounds shipped) depends on. Not the focused slider: that
may be one that moves nothing the figures show (the other-export lines)."""

TITLE_FRAME = len("ammoflow — ") + 18
"""Columns of the header that the title's words cannot use: the app's name, the icon, the margins."""


def title_for(name: str, path: Path | None, modified: bool, width: int) -> str:
    """The header's words: the name, whether it is modified, and the file ctrl+s writes.

    The marker and the file always show; a long name is cut in the middle to leave them room.
    """
    marker = " ● modified" if modified else ""
    target = f" · {excerpt(path.name, 30)}" if path is not None else " · no file yet"
    room = max(12, width - TITLE_FRAME - len(marker) - len(target))
    shown = visible(name)
    if len(shown) > room:
        shown = f"{shown[: room - room // 3 - 1]}…{shown[-(room // 3) :]}"
    return f"{shown}{marker}{target}"


QUIT = Binding("ctrl+q,q", "quit", "Quit", id="app.quit", tooltip="Quit (asks if there are unsaved changes)")


class _QuitFirst(Screen[None]):
    """Quit leads the footer and the help's list, where Textual's App puts its own ctrl+q."""

    BINDINGS: ClassVar[list[BindingType]] = [QUIT]


class ExplorerScreen(_QuitFirst):
    """Move sliders, watch the projection follow, save the scenario.

    The binding ids keep their ``app.`` prefix: users name them in the ``[keymap]`` table.
    """

    BINDING_GROUP_TITLE = "General"
    # Textual repaints the whole screen when the focus moves (a full frame to the terminal); the
    # widgets whose look depends on focus repaint themselves, so the rest need not be written.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="app.save", tooltip="Save the scenario to its file"),
        Binding("S", "save_as", "Save as", id="app.save_as", show=False, tooltip="Save to another file"),
        Binding("ctrl+o", "open", "Open", id="app.open", tooltip="Open a preset or a scenario file"),
        Binding("e", "export", "Export", id="app.export", show=False, tooltip="Write the projection as CSV or Parquet"),
        Binding("b", "pin_baseline", "Pin baseline", id="app.pin_baseline", tooltip="Compare against this scenario"),
        Binding("u", "toggle_fans", "Uncertainty", id="app.toggle_fans", tooltip="Monte Carlo bands on the charts"),
        Binding(
            "o",
            "toggle_given",
            "Given observations",
            id="app.toggle_given",
            show=False,
            tooltip="Bands on all assumptions, or given the observations",
        ),
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
        Binding(
            "7",
            "changes",
            "Changes",
            id="app.tab_changes",
            show=False,
            tooltip="The changes over time, to add or remove",
        ),
        Binding("8", "show_tab('sensitivity')", "Tornado", id="app.tab_sensitivity", show=False),
        Binding("9", "show_tab('table-tab')", "Table", id="app.tab_table", show=False),
        Binding("0", "show_tab('observed-tab')", "Observed", id="app.tab_observed", show=False),
        Binding("m", "show_tab('model-tab')", "Model", id="app.tab_model", show=False, tooltip="The model, this month"),
        Binding(
            "X", "export_chart", "Export chart", id="app.export_chart", show=False, tooltip="The chart as SVG or text"
        ),
        Binding("c", "toggle_cursor", "Cursor", id="app.cursor", tooltip="Read every value at one month"),
        Binding("left_square_bracket", "step_cursor(-1)", "Cursor back", id="app.cursor_back", show=False),
        Binding("right_square_bracket", "step_cursor(1)", "Cursor on", id="app.cursor_on", show=False),
        Binding("g", "seek", "Goal seek", id="app.seek", show=False, tooltip="Find the value that reaches a target"),
        Binding("F", "fit", "Fit", id="app.fit", show=False, tooltip="Fit parameters to the observations"),
        Binding(
            "B", "backtest", "Backtest", id="app.backtest", show=False, tooltip="Score forecasts made at a past date"
        ),
        Binding(
            "E",
            "scenario",
            "Scenario",
            id="app.scenario",
            show=False,
            tooltip="Read and edit the name, description, notes, start and horizon",
        ),
        Binding("k", "keep_run", "Keep run", id="app.keep_run", tooltip="Keep this scenario as a run to compare"),
        Binding("K", "runs", "Runs", id="app.runs", show=False, tooltip="Runs compared and the baseline"),
        Binding(
            "v", "next_compared", "Versus", id="app.next_compared", show=False, tooltip="Next run the change is against"
        ),
        Binding("t", "toggle_dark", "Light/dark", id="app.toggle_dark", show=False, tooltip="Switch light and dark"),
        Binding("f1,question_mark", "help", "Help", id="app.help", tooltip="Every key"),
        QUIT,
    ]

    def __init__(
        self,
        workspace: Workspace,
        observations: tuple[Observation, ...],
        *,
        slot: Callable[[], Slot],
        clock: Callable[[], float],
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.observations = observations
        self._slot = slot  # the app's recovery slot (tests may swap it before the start)
        self._clock = clock  # when edits happen: undo steps, the recovery copy
        self._today = today  # the present the charts mark (tests fix it)
        self.copy_schedule = CopySchedule()
        self._copy_timer: Timer | None = None
        self._focus_before_small: Widget | None = None
        self._result: Projection | None = None
        self._projections: Job[_Asked, Projection] = Job(
            self,
            lambda asked, _stopped: self._project(asked),
            done=lambda _asked, projection: self._show_result(projection),
            failed=lambda _asked, error: self.app.notify(
                f"This scenario could not be projected ({error})", severity="error", timeout=8
            ),
            interim=True,  # during a burst of steps the screen keeps up, newest first
            name="compute",
        )
        self._bands_view = BandsStatus(self._draw, observations, id="fan-status")
        # Every edit updates these two: held, not looked up in the DOM each time.
        self._parameters = ParametersPanel(id="parameters", edited=self._take_in)
        self._changes = ChangesTable(id="changes-table")
        self._schedule = ScheduleView(id="schedule")
        self.cursor_month: str | None = None
        """The month ("2025-06") the charts' cursor reads, kept as the projection changes; None: off."""
        self._focus_before_cursor: Widget | None = None  # given back the arrows when the cursor goes off
        self._compared_text: str | None = None  # the line above the figures table, as last shown
        # Runs kept for comparison: projected once each, in a job of its own, never on a slider step.
        self.runs = Runs()
        self._compared_index = 0
        self._charted: list[charts.Compared] = []
        self._keeping: list[Job[tuple[str, Scenario], Run]] = []

    # -- what the explorer shows, for scripts and tests -----------------------------------

    @property
    def result(self) -> Projection | None:
        """The projection on screen: its scenario, frame and key figures (None before the first)."""
        return self._result

    @property
    def bands(self) -> Bands | None:
        """The uncertainty bands last drawn (None while they are off or not yet computed)."""
        return self._bands_view.bands

    @property
    def fans_on(self) -> bool:
        """Whether the uncertainty bands are on."""
        return self._bands_view.wanted

    @property
    def fans_given(self) -> bool:
        """Whether the bands are those given the observations (else on all assumptions)."""
        return self._bands_view.given

    @property
    def busy(self) -> bool:
        """Whether the projection of the newest scenario is still being computed or waiting to be."""
        return self._projections.busy

    @property
    def bands_current(self) -> bool:
        """Whether the bands drawn are the newest asked for (the scenario's latest, with the latest settings)."""
        view = self._bands_view
        return not view.job.busy and view.current_for(self.workspace.scenario)

    @property
    def bands_running(self) -> bool:
        """Whether a Monte Carlo run for the bands is under way."""
        return self._bands_view.job.running

    async def settled(self) -> None:
        """Return once every job asked for (projection, bands, tornado, runs kept) is done and its answer drawn."""
        bands = self._bands_view.job
        tornadoes = list(self.query(TornadoView))  # none before the screen is composed
        while (
            self._projections.busy
            or bands.busy
            or any(view.computing for view in tornadoes)
            or any(job.busy for job in self._keeping)
        ):
            await self._projections.wait()
            await bands.wait()
            for job in list(self._keeping):
                await job.wait()
            for view in tornadoes:
                await view.settled()
        await asyncio.sleep(0)  # the answers' redraws are queued: let them run

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Horizontal(id="main"):
            yield self._parameters
            with Vertical(id="results"):
                with TabbedContent(id="tabs"):
                    for tab in charts.TABS:
                        with TabPane(tab.title, id=tab.id):
                            yield Chart(id=f"chart-{tab.id}", cursor_keys=True)
                    with TabPane(TAB_TITLES["figures-tab"], id="figures-tab"):
                        line = Static("", id="compared-line", classes="hint", markup=False)
                        line.styles.text_wrap, line.styles.text_overflow = "nowrap", "ellipsis"
                        yield line
                        yield KeyFiguresView(id="figures-full")
                    with TabPane(TAB_TITLES["changes"], id="changes"):
                        yield Static(
                            "From a month on, a parameter moves to a new value, at once or phased in over months."
                            " a: add, x/delete: remove.",
                            classes="hint",
                        )
                        yield self._changes
                        yield self._schedule
                    with TabPane(TAB_TITLES["sensitivity"], id="sensitivity"):
                        yield TornadoView(id="tornado")
                    with TabPane(TAB_TITLES["table-tab"], id="table-tab"):
                        yield MonthTable(id="month-table")
                    with TabPane(TAB_TITLES["observed-tab"], id="observed-tab"):
                        yield ObservedView(id="observed")
                    with TabPane(TAB_TITLES["model-tab"], id="model-tab"):
                        yield ModelView(id="model")
                yield self._bands_view
                yield KeyFiguresView(id="figures")
        yield Static(
            f"The terminal is too small for ammoflow.\nMake it at least {MIN_WIDTH}x{MIN_HEIGHT}.\n"
            "Until then keys do nothing but quit (q).",
            id="too-small",
        )
        yield Footer()

    def on_mount(self) -> None:
        self._parameters.focus_parameter(registry.KEYS[0])
        self._apply_size(self.app.size.width, self.app.size.height)
        self.call_after_refresh(self._fit_tab_labels)
        self._show_scenario()
        # The first projection is computed here, before the first frame, so that frame is
        # complete; every later one runs in a worker.
        self._projections.run_now(_Asked(self.workspace.scenario, self._compared_baseline(), None))
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        self.call_after_refresh(self._draw)  # the charts take their colours from the theme

    def on_resize(self, event: events.Resize) -> None:
        self._apply_size(event.size.width, event.size.height)
        ws = self.workspace
        self.app.sub_title = title_for(ws.scenario.name, ws.path, ws.modified, event.size.width)
        self.call_after_refresh(self._fit_tab_labels)

    def _fit_tab_labels(self) -> None:
        """Tab labels short enough that every tab shows in the bar (see tab_labels)."""
        tabbed = self.query_one("#tabs", TabbedContent)
        bar = tabbed.query_one(Tabs)
        if not bar.size.width:
            return
        panes = list(tabbed.query(TabPane))
        chosen = tab_labels.fitting([TAB_TITLES[pane.id or ""] for pane in panes], bar.size.width)
        for pane, label in zip(panes, chosen.labels, strict=True):
            tab = tabbed.get_tab(pane)
            tab.label = label
            tab.styles.padding = (0, chosen.padding[1], 0, chosen.padding[0])

    @property
    def too_small(self) -> bool:
        """Whether the terminal is too small and the note stands in for the explorer."""
        return self.has_class("-too-small")

    def _apply_size(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        compact = width < FULL_WIDTH or height < FULL_HEIGHT
        if small and not self.too_small:
            # Hidden widgets lose the focus: remember where it was, to give it back.
            self._focus_before_small = self.focused
        elif not small and self.too_small:
            self.call_after_refresh(self._refocus_after_small)
        self.set_class(small, "-too-small")
        self.set_class(compact, "-compact")
        # Between the full layout and a wide one, rows take two lines so the chart keeps its width.
        self.set_class(not compact and width < 120, "-medium")
        # Below 80 columns the chart gets the room: narrower parameters, the figures in their tab.
        self.set_class(width < 80, "-narrow")
        self._place_figures()
        self.query_one("#figures", KeyFiguresView).set_compact(compact)

    def _refocus_after_small(self) -> None:
        """The focus back where it was before the note, or on the first parameter."""
        before, self._focus_before_small = self._focus_before_small, None
        if before is not None and before.is_attached and before.focusable:
            before.focus()
        elif self.focused is None:
            self._parameters.focus_parameter(registry.KEYS[0])

    # -- edits: every one goes through the workspace ---------------------------------------

    def _show_scenario(self) -> None:
        ws = self.workspace
        self.app.sub_title = title_for(ws.scenario.name, ws.path, ws.modified, self.app.size.width)
        self._parameters.show_values(ws.scenario.values, ws.saved.values)
        self._changes.show(ws.scenario)
        self._schedule.show(ws.scenario)
        self._parameters.show_notes({key: then_note(ws.scenario, key) for key in registry.KEYS})

    def _take_in(self, key: str, value: float) -> None:
        """A value the user set on a slider, into the scenario, in the turn of the key that set it."""
        if self.workspace.scenario.values[key] == value:
            return
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
        self._request_compute()
        self._bands_view.ask(self.workspace.scenario)
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

    def action_pin_baseline(self) -> None:
        ws = self.workspace
        name = ws.scenario.name + (" (modified)" if ws.modified else "")
        ws.pin(ws.scenario, name)
        ws.history.seal()  # undo after pinning goes back to what was pinned
        self._request_compute()
        self.app.notify(f"Pinned as the baseline: {visible(name)}. Charts draw it dim, figures compare.", timeout=3)

    # -- runs kept for comparison ------------------------------------------------------------

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
        if len(compared) > 1:
            chosen = compared[self._compared_index % len(compared)].name
            return f"{base} · change vs {visible(chosen)} · v next · K runs"
        return f"{base} · k keep run · K runs"

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
        self.app.notify(f"Kept run: {visible(kept.label)} (m lists the runs)", timeout=3)

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

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab

    def action_changes(self) -> None:
        """The Changes tab, with the keyboard in its table (Tab from the sliders took 15 presses)."""
        self.action_show_tab("changes")
        focus_now(self._changes)

    def action_toggle_dark(self) -> None:
        self.app.theme = "textual-light" if self.app.current_theme.dark else "textual-dark"

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

    # -- files ---------------------------------------------------------------------

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
        from ammoflow.scenarios.files.safe_write import exists
        from ammoflow.tui.dialogs.confirm import ConfirmScreen
        from ammoflow.tui.dialogs.path_prompt import PathPrompt

        result = self._result
        if result is None:
            return
        default = f"{slug(result.scenario.name)}.csv"
        prompt = PathPrompt("Export the projection: .csv or .parquet", default, suffix=".csv", check=export_format)
        path = await self.app.push_screen_wait(prompt)
        if path is None:
            return
        if exists(path):  # a symbolic link to nowhere too: writing creates its target
            question = ConfirmScreen("Overwrite?", f"{path} exists. Replace it?", yes="Overwrite", danger=True)
            if not await self.app.push_screen_wait(question):
                return
        try:
            write_atomic(path, projection_bytes(result.frame, export_format(path)))
        except ScenarioError as exc:
            self.app.notify("\n".join(exc.lines()), title="Not exported", severity="error")
            return
        months = format_count(result.scenario.months, "month")
        self.app.notify(f"Exported {months} as {EXPORT_NAMES[export_format(path)]} to {path}", timeout=3)

    @dialog_action
    async def action_export_chart(self) -> None:
        """The chart on screen as an SVG picture, or as plain text when the name ends in .txt."""
        from ammoflow.scenarios.files.safe_write import exists
        from ammoflow.tui.dialogs.confirm import ConfirmScreen
        from ammoflow.tui.dialogs.path_prompt import PathPrompt

        active = self.query_one("#tabs", TabbedContent).active
        chart = self.query_one(f"#chart-{active}", Chart) if active in charts.BY_ID else None
        if active == "observed-tab":
            chart = self.query_one(ObservedView).query_one(Chart)
        if chart is None or chart.data is None:
            self.app.notify("Only a chart can be exported: show one first (keys 1 to 5).", severity="warning")
            return
        name = f"{slug(self.workspace.scenario.name)}-{slug(chart.data.title)}.svg"
        prompt = PathPrompt("Export the chart as SVG (or as text: end the name in .txt)", name, suffix=".svg")
        path = await self.app.push_screen_wait(prompt)
        if path is None:
            return
        if path.suffix.lower() not in (".svg", ".txt"):
            self.app.notify(f"{path.name}: a chart is exported as .svg or .txt", title="Not exported", severity="error")
            return
        if exists(path):
            question = ConfirmScreen("Overwrite?", f"{path} exists. Replace it?", yes="Overwrite", danger=True)
            if not await self.app.push_screen_wait(question):
                return
        text = chart.as_text() if path.suffix.lower() == ".txt" else chart.as_svg(chart.data.title)
        try:
            write_atomic(path, text)
        except ScenarioError as exc:
            self.app.notify("\n".join(exc.lines()), title="Not exported", severity="error")
            return
        self.app.notify(f"Exported the chart to {path}", timeout=3)

    # -- leaving, recovering, help ------------------------------------------------------

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

    @dialog_action
    async def action_help(self) -> None:
        from ammoflow.tui.dialogs.help import HelpScreen, binding_sections, explanations

        sections = [*binding_sections(self.app), *explanations(charts.MARKERS)]
        await self.app.push_screen_wait(HelpScreen(sections))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No dialog opens over another (from the palette, say); quit may still ask.

        Dialog actions run one at a time: a second would cancel the first one's action and
        leave its dialog on screen with nothing to act on its answer. While the terminal is too
        small only quit acts: anything else would change what cannot be seen.
        """
        if action == "quit":
            return True
        if self.too_small:
            return False
        if not isinstance(self.app.screen, Dialog):
            return True
        return not getattr(getattr(self, f"action_{action}", None), "opens_dialog", False)

    # -- computing ---------------------------------------------------------------------

    def _compared_baseline(self) -> Scenario:
        """The baseline the projection is compared with: the scenario itself when none is pinned."""
        ws = self.workspace
        return ws.baseline if ws.pinned else ws.scenario

    def _as_of(self) -> int:
        """The month the "as of" key figures are read at: today's (docs/model.md, "Key figures")."""
        return month_of(self._today())

    def _request_compute(self) -> None:
        known = self._result.baseline if self._result else None
        self._projections.start(_Asked(self.workspace.scenario, self._compared_baseline(), known))

    def _project(self, asked: _Asked) -> Projection:
        scenario, baseline, known = asked.scenario, asked.baseline, asked.known
        frame = project(scenario)
        figures = key_figures(frame, scenario, self.observations, self._as_of())
        if known is not None and known[0] == baseline:
            base = known
        elif baseline == scenario:
            base = (baseline, frame, figures)
        else:
            base_frame = project(baseline)
            base = (baseline, base_frame, key_figures(base_frame, baseline, self.observations, self._as_of()))
        return Projection(scenario, frame, figures, base)

    def _show_result(self, projection: Projection) -> None:
        self._result = projection
        self._draw()

    def _draw(self) -> None:
        result = self._result
        if result is None:
            return
        compared = self.compared()
        self._compared_index %= max(1, len(compared))
        bands = self._bands_view.bands
        ranges = bands.figures if bands is not None and self._bands_view.fans_for(result.scenario) else None
        months = months_of(result.scenario.start, result.scenario.months)
        for view in (self.query_one("#figures", KeyFiguresView), self.query_one("#figures-full", KeyFiguresView)):
            view.show(result.figures, compared, chosen=self._compared_index, ranges=ranges, months=months)
        line = self._compared_line(compared)
        if line != self._compared_text:  # an update lays the screen out again: only when it changed
            self._compared_text = line
            self.query_one("#compared-line", Static).update(line)
        active = self.query_one("#tabs", TabbedContent).active
        if active == "sensitivity":
            self.query_one(TornadoView).show(result.scenario)
        self._draw_chart(active)

    def _draw_chart(self, tab_id: str) -> None:
        result = self._result
        if result is not None and tab_id == "table-tab":
            self.query_one(MonthTable).show(result.frame, self._cursor_index(result.scenario))
        if result is not None and tab_id == "model-tab":
            self.query_one(ModelView).show(result.scenario, result.frame, self._cursor_index(result.scenario))
        if result is not None and tab_id == "observed-tab":
            checks = result.figures.observations
            self.query_one(ObservedView).show(result.scenario, result.frame, checks, self.observations, self._today())
        if result is None or tab_id not in charts.BY_ID:
            return
        base_scenario, base_frame, _ = result.baseline
        pinned = self.workspace.pinned and base_scenario != result.scenario
        compared = ([charts.Compared("baseline", base_frame)] if pinned else []) + self._chart_runs()
        fans = self._bands_view.fans_for(result.scenario)
        data = charts.chart_data(
            charts.BY_ID[tab_id],
            result.scenario,
            result.frame,
            compared=compared,
            observations=self.observations,
            fans=fans,
            today=self._today(),
        )
        chart = self.query_one(f"#chart-{tab_id}", Chart)
        chart.show(data)
        chart.set_cursor(self._cursor_index(result.scenario))

    # -- the charts' cursor: moving it redraws the chart shown, never projects ----------------

    def _cursor_index(self, scenario: Scenario) -> int | None:
        labels = scenario.month_labels()
        return labels.index(self.cursor_month) if self.cursor_month in labels else None

    def _put_cursor(self, index: int | None) -> None:
        labels = self.workspace.scenario.month_labels()
        self.cursor_month = None if index is None else labels[min(max(index, 0), len(labels) - 1)]
        active = self.query_one("#tabs", TabbedContent).active
        if active in charts.BY_ID and self._result is not None:  # the chart as drawn, the cursor moved
            self.query_one(f"#chart-{active}", Chart).set_cursor(self._cursor_index(self._result.scenario))
        else:
            self._draw_chart(active)

    def action_toggle_cursor(self) -> None:
        """The cursor on at the present (or the first month when the present is outside), or off."""
        if self.cursor_month is not None:
            self._put_cursor(None)
            before, self._focus_before_cursor = self._focus_before_cursor, None
            if isinstance(self.focused, (Chart, MonthTable)) and before is not None and before.is_attached:
                before.focus()  # the arrows go back to the slider they moved before the cursor took them
            return
        labels = self.workspace.scenario.month_labels()
        now = f"{self._today():%Y-%m}"
        self._put_cursor(labels.index(now) if now in labels else 0)
        self._focus_before_cursor = self.focused
        active = self.query_one("#tabs", TabbedContent).active
        if active in charts.BY_ID:
            self.query_one(f"#chart-{active}", Chart).focus()  # the arrows move it from here
        elif active == "table-tab":
            self.query_one(MonthTable).focus()

    def action_step_cursor(self, step: int) -> None:
        index = self._cursor_index(self.workspace.scenario)
        if index is None:
            self.action_toggle_cursor()
        else:
            self._put_cursor(index + step)

    @on(Chart.CursorMoved)
    @on(MonthTable.CursorMoved)
    def _chart_cursor_moved(self, event: Chart.CursorMoved | MonthTable.CursorMoved) -> None:
        self._put_cursor(event.index)

    def _place_figures(self) -> None:
        """The figures under the charts, unless the Figures tab shows them or the screen is narrow."""
        tabs = self.query("#tabs").results(TabbedContent)
        active = next((tab.active for tab in tabs), "")
        self.query_one("#figures", KeyFiguresView).display = active != "figures-tab" and not self.has_class("-narrow")

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        # The Figures tab shows the full table; the one under the charts would repeat it.
        self._place_figures()
        if event.pane.id == "sensitivity" and self._result is not None:
            self.query_one(TornadoView).show(self._result.scenario)
        self._draw_chart(event.pane.id or "")

    @on(ParametersPanel.AboutRequested)
    def _about_parameter(self, event: ParametersPanel.AboutRequested) -> None:
        from ammoflow.tui.dialogs.parameter_info import ParameterInfoScreen

        self.app.push_screen(ParameterInfoScreen(event.parameter, event.value))

    @on(TornadoView.ParameterChosen)
    def _tornado_chose(self, event: TornadoView.ParameterChosen) -> None:
        self._parameters.focus_parameter(event.key)
        self.app.release_keys()  # type: ignore[attr-defined]  # held since Enter on the bar: the slider's now

    # -- uncertainty bands -------------------------------------------------------------

    def action_toggle_fans(self) -> None:
        self._bands_view.toggle(self.workspace.scenario)

    def action_toggle_given(self) -> None:
        """Bands on all assumptions or given the observations; computed in the bands' job, keys never wait."""
        self._bands_view.toggle_given(self.workspace.scenario)

    @dialog_action
    async def action_uncertainty_settings(self) -> None:
        from ammoflow.tui.dialogs.uncertainty import UncertaintyScreen

        settings = await self.app.push_screen_wait(UncertaintyScreen(self.workspace.scenario))
        if settings is None or settings == self.workspace.scenario.uncertainty:
            return
        self._changed(attrs.evolve(self.workspace.scenario, uncertainty=settings))
        if not self.fans_on:
            self.action_toggle_fans()  # settings for the bands: show them
        self.app.notify(
            f"Uncertainty: {settings.runs:,} runs, {settings.distribution}, {settings.sampling}, "
            f"seed {settings.seed} (ctrl+z undoes)",
            timeout=4,
        )

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
        self.app.notify(f"Scenario details changed{note} (ctrl+z undoes)", timeout=4)

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
        self.app.notify(f"{parameter.label}: {parameter.format(choice.value)} (ctrl+z undoes)", timeout=4)

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
        self.app.notify(f"Fitted: {fitted} (ctrl+z undoes)", timeout=5)

    @dialog_action
    async def action_backtest(self) -> None:
        from ammoflow.tui.dialogs.backtest import BacktestScreen

        await self.app.push_screen_wait(BacktestScreen(self.workspace.scenario, self.observations))


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
