"""The explorer screen: it owns the workspace and the views of it.

An edit goes one way: a slider (or an undo, a file, a dialog) makes a new immutable scenario
in the workspace, in the same turn as the key that made it; the explorer then starts the jobs
(the projection, the bands, the tornado: :class:`ammoflow.tui.jobs.Job`, newest wins); their answers are
drawn by the views. Nothing reads the sliders back: a key typed straight after a step acts
on the scenario the step made. The model is described in docs/model.md.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import ClassVar

import attrs
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import Reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.answers import Answers
from ammoflow.tui.dialogs.base import Dialog
from ammoflow.tui.explorer_ahead import Ahead, ExplorerAhead
from ammoflow.tui.explorer_base import (
    MIN_HEIGHT,
    MIN_WIDTH,
    QUIT,
    TAB_TITLES,
    Asked,
    Projection,
    dialog_action,
    same_file,
)
from ammoflow.tui.explorer_cursor import ExplorerCursor
from ammoflow.tui.explorer_drawing import ExplorerDrawing
from ammoflow.tui.explorer_edits import ExplorerEdits
from ammoflow.tui.explorer_export import ExplorerExport
from ammoflow.tui.explorer_files import ExplorerFiles
from ammoflow.tui.explorer_runs import ExplorerRuns
from ammoflow.tui.explorer_size import ExplorerSizing
from ammoflow.tui.jobs import Job
from ammoflow.tui.keys import focus_now
from ammoflow.tui.panels import chart_tabs as charts
from ammoflow.tui.panels.bands import Bands, BandsStatus
from ammoflow.tui.panels.changes import ChangesTable, ScheduleView
from ammoflow.tui.panels.figures import KeyFiguresView
from ammoflow.tui.panels.model_view import ModelView
from ammoflow.tui.panels.month_table import MonthTable
from ammoflow.tui.panels.observed import ObservedView
from ammoflow.tui.panels.parameters import ParametersPanel
from ammoflow.tui.panels.tornado import TornadoView
from ammoflow.tui.recovery import Slot
from ammoflow.tui.runs import Run, Runs
from ammoflow.tui.state import CopySchedule, Workspace
from ammoflow.tui.widgets.chart import Chart

__all__ = ["TAB_TITLES", "ExplorerScreen", "dialog_action", "same_file"]


class ExplorerScreen(
    ExplorerEdits,
    ExplorerRuns,
    ExplorerCursor,
    ExplorerFiles,
    ExplorerExport,
    ExplorerDrawing,
    ExplorerAhead,
    ExplorerSizing,
):
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
            "X",
            "export_chart",
            "Export the view: a chart as SVG or text, the table as CSV, Parquet or text, the model as text or SVG",
            id="app.export_chart",
            show=False,
            tooltip="The view shown as a file; the name's ending picks the form",
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
        self._projections: Job[Asked, Projection] = Job(
            self,
            lambda asked, _stopped: self._project(asked),
            done=lambda _asked, projection: self._show_result(projection),
            failed=lambda _asked, error: self._projection_failed(error),
            interim=True,  # during a burst of steps the screen keeps up, newest first
            name="compute",
        )
        self._held: Timer | None = None  # a projection waiting a moment for its bands
        self._bands_view = BandsStatus(self._bands_drawn, observations, id="fan-status")
        # Every edit updates these two: held, not looked up in the DOM each time.
        self._parameters = ParametersPanel(id="parameters", edited=self._take_in)
        self._changes = ChangesTable(id="changes-table")
        self._schedule = ScheduleView(id="schedule")
        self.cursor_month: str | None = None
        """The month ("2025-06") the charts' cursor reads, kept as the projection changes; None: off."""
        self._focus_before_cursor: Widget | None = None  # given back the arrows when the cursor goes off
        self._focus_outside_cursor: Widget | None = None  # the last to have the keyboard, but a chart or table
        self._key_names: dict[str, str] = {}  # action -> the key shown in hints (key_of)
        self._compared_text: str | None = None  # the line above the figures table, as last shown
        # Runs kept for comparison: projected once each, in a job of its own, never on a slider step.
        self.runs = Runs()
        self._compared_index = 0
        self._charted: list[charts.Compared] = []
        self._keeping: list[Job[tuple[str, Scenario], Run]] = []
        self._resumed_before = False  # see on_screen_resume
        self._answers = Answers()
        self._ahead: Job[Ahead, None] = Job(
            self,
            lambda ahead, stopped: self._work_ahead(ahead, stopped),
            done=lambda _ahead, _none: None,  # kept in the answers as they come
            failed=lambda _ahead, _error: None,  # the step that asks for it computes it again, and says why
            name="look-ahead",
        )
        self._answering: Projection | None = None
        self._ahead_due = False
        self._frame_out = False
        self._last_way = {}
        self._unfilled = {}  # pane id -> its content, until _fill_panes

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
        return self._projections.busy or self._answering is not None

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
        """Return once every job asked for (projection, bands, tornado, runs kept, the look-ahead) is done
        and its answer drawn."""
        bands = self._bands_view.job
        tornadoes = list(self.query(TornadoView))  # none before the screen is composed
        while (
            self._projections.busy
            or self._answering is not None
            or bands.busy
            or any(view.computing for view in tornadoes)
            or any(job.busy for job in self._keeping)
            or self._held is not None
            or self._ahead_due
            or self._ahead.busy
        ):
            if self._held is not None and not bands.busy:  # its bands failed: drawn without them now
                self._draw_held()
            if self._ahead_due or self._answering is not None:
                await asyncio.sleep(0.001)  # each comes once the frame under way is out
            await self._projections.wait()
            await bands.wait()
            await self._ahead.wait()
            for job in list(self._keeping):
                await job.wait()
            for view in tornadoes:
                await view.settled()
        await asyncio.sleep(0)  # the answers' redraws are queued: let them run

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        later = self._unfilled  # what the panes not shown at start hold: see _fill_panes
        yield Header(icon="◆")
        with Horizontal(id="main"):
            yield self._parameters
            with Vertical(id="results"):
                with TabbedContent(id="tabs"):
                    for index, tab in enumerate(charts.TABS):
                        with TabPane(tab.title, id=tab.id):
                            chart = Chart(id=f"chart-{tab.id}", cursor_keys=True)
                            if index:
                                later[tab.id] = chart
                            else:
                                yield chart  # the tab shown at start
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
                        later["sensitivity"] = TornadoView(id="tornado")
                    with TabPane(TAB_TITLES["table-tab"], id="table-tab"):
                        later["table-tab"] = MonthTable(id="month-table")
                    with TabPane(TAB_TITLES["observed-tab"], id="observed-tab"):
                        later["observed-tab"] = ObservedView(id="observed")
                    with TabPane(TAB_TITLES["model-tab"], id="model-tab"):
                        later["model-tab"] = ModelView(id="model")
                yield self._bands_view
                yield KeyFiguresView(id="figures")
        yield Static(
            f"The terminal is too small for ammoflow.\nMake it at least {MIN_WIDTH}x{MIN_HEIGHT}.\n"
            "Until then keys do nothing but quit (q).",
            id="too-small",
        )
        yield Footer()

    def _fill_panes(self) -> None:
        """Mount what the panes not shown at start hold; at once, and only once.

        Left out of the first frame they take a sixth off composing the screen. They are put in
        place just after it, or before, when a tab is chosen first (a key typed during the
        start): everything that draws into a pane finds it filled once the pane is active.
        """
        while self._unfilled:
            pane, widget = self._unfilled.popitem()
            self.query_one(f"#{pane}", TabPane).mount(widget)  # in the DOM on return; its events follow

    @on(TabbedContent.TabActivated)
    def _shown_filled(self) -> None:
        self._fill_panes()  # before the drawing's own handler of the same message (this class comes first)

    def on_mount(self) -> None:
        self.call_after_refresh(self._fill_panes)
        self.call_after_refresh(self._first_frame_out)  # as the app's collector does (tui/app.py)
        self._parameters.focus_parameter(registry.KEYS[0])
        self._apply_size(self.app.size.width, self.app.size.height)
        self.call_after_refresh(self._fit_tab_labels)
        self._show_scenario()
        # The first projection is computed here, before the first frame, so that frame is
        # complete; every later one runs in a worker.
        self._projections.run_now(Asked(self.workspace.scenario, self._compared_baseline(), None))
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """No second styling of every widget when the explorer first shows (a sixth of the start).

        Textual restyles a resumed screen's whole tree in case it changed while covered; the
        first time nothing covered it, and each widget was styled as it was mounted.
        """
        if not self._resumed_before:
            self._resumed_before = True
            event.refresh_styles = False

    def _theme_changed(self) -> None:
        self.call_after_refresh(self._draw)  # the charts take their colours from the theme

    def action_show_tab(self, tab: str) -> None:
        self._fill_panes()
        self.query_one("#tabs", TabbedContent).active = tab

    def action_changes(self) -> None:
        """The Changes tab, with the keyboard in its table (Tab from the sliders took 15 presses)."""
        self.action_show_tab("changes")
        focus_now(self._changes)

    def action_toggle_dark(self) -> None:
        self.app.theme = "textual-light" if self.app.current_theme.dark else "textual-dark"

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
            f"seed {settings.seed} ({self.key_of('undo')} undoes)",
            timeout=4,
        )

    @dialog_action
    async def action_backtest(self) -> None:
        from ammoflow.tui.dialogs.backtest import BacktestScreen

        await self.app.push_screen_wait(BacktestScreen(self.workspace.scenario, self.observations))

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
