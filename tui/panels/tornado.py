"""The tornado view of the model: which assumption moves a key figure most.

:class:`TornadoView` holds a figure chooser (a compact :class:`~textual.widgets.Select`
of the key figures), a status line (the figure for the scenario as it is, and the
legend), the bars (:class:`~ammoflow.tui.panels.tornado_bars.TornadoBars`), and detail
lines for the bar under the cursor, which spell it out in full, with units. Call :meth:`TornadoView.show` with
every new scenario: the sensitivity
(:func:`~ammoflow.scenarios.analysis.sensitivity.tornado`, one batch of 35 runs) is
computed by a :class:`~ammoflow.tui.jobs.Job`: one run at a time, always for the newest
scenario, and a result for a scenario that is no longer current is dropped ("newest wins"). "computing…" appears
only when a result takes longer than :data:`COMPUTING_DELAY`; until then the previous
bars stay, so moving a slider does not make the chart flicker. Recent results are
kept, so switching back to a figure is immediate.

Up/down move the cursor, enter posts :class:`TornadoView.ParameterChosen` (the explorer
focuses that parameter), ``[`` and ``]`` step through the figures.

What the bars show and how they are drawn is pure and lives in
:mod:`ammoflow.tui.render.tornado_rows`; the bars with their cursor are
:mod:`ammoflow.tui.panels.tornado_bars`; this module adds the chooser, the status and
detail lines, and the background work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Select, Static

from ammoflow.scenarios.analysis.sensitivity import Tornado, format_value, tornado
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.figures import BY_KEY as FIGURES_BY_KEY
from ammoflow.scenarios.model.figures import FIGURES
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.jobs import Job
from ammoflow.tui.panels.tornado_bars import TornadoBars
from ammoflow.tui.render.marks import ERROR_MARK
from ammoflow.tui.render.tornado_rows import HIGH_GLYPH, LOW_GLYPH, describe_bar

__all__ = [
    "COMPUTING_DELAY",
    "DEFAULT_FIGURE",
    "HIGH_GLYPH",
    "LOW_GLYPH",
    "TornadoBars",
    "TornadoView",
]

DEFAULT_FIGURE = "total_shortfall"
COMPUTING_DELAY = 0.2
"""Seconds a computation may take before the status line says "computing…"."""

CACHE_SIZE = 8


class _RecentResults:
    """The last few tornadoes computed, so that switching back to a figure is immediate."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: list[tuple[Scenario, str, Tornado]] = []

    def get(self, scenario: Scenario, figure_key: str) -> Tornado | None:
        for cached_scenario, cached_key, result in self._entries:
            if cached_key == figure_key and cached_scenario == scenario:
                return result
        return None

    def put(self, scenario: Scenario, figure_key: str, result: Tornado) -> None:
        kept = [entry for entry in self._entries if not (entry[1] == figure_key and entry[0] == scenario)]
        self._entries = [*kept[-(self._size - 1) :], (scenario, figure_key, result)]


Request = tuple[Scenario, str]
"""What the view asks for: the tornado of a scenario for one key figure."""


def _compute(request: Request, stopped: Callable[[], bool]) -> Tornado:
    """The tornado for (scenario, figure), in the job's thread (one batch of runs: it does not stop midway)."""
    scenario, figure_key = request
    return tornado(scenario, figure_key)


def _describe(exc: Exception) -> str:
    """The error shown in the chart's place: a scenario's own problem, or anything else that went wrong."""
    if isinstance(exc, ScenarioError):
        return "; ".join(exc.lines())
    return f"could not compute: {exc}"


class TornadoView(Widget):
    """A figure chooser over a tornado chart of the current scenario.

    Call :meth:`show` with each new scenario (cheap: computations are coalesced and run
    in a thread). Enter on a bar posts :class:`ParameterChosen`.
    """

    BINDING_GROUP_TITLE = "Tornado chart"

    DEFAULT_CSS = """
    TornadoView {
        layout: vertical;
        width: 1fr;
        height: 1fr;
        & > #tornado-figure { width: 1fr; margin: 0 0 0 1; }
        & > #tornado-status { height: 1; width: 1fr; color: $foreground-muted; padding: 0 1; }
        & > #tornado-status.-error { color: $error; text-style: bold; }
        & > #tornado-detail {
            height: auto;
            max-height: 4;
            width: 1fr;
            text-wrap: nowrap;
            text-overflow: ellipsis;
            padding: 0 1;
            color: $foreground-muted;
            border-top: hkey $foreground 20%;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket", "step_figure(1)", "Next key figure", id="tornado.next_figure"),
        Binding("left_square_bracket", "step_figure(-1)", "Previous key figure", id="tornado.previous_figure"),
    ]

    class ParameterChosen(Message):
        """Enter on the bar of parameter ``key``: the explorer focuses that parameter."""

        def __init__(self, key: str, tornado_view: TornadoView | None = None) -> None:
            super().__init__()
            self.key = key
            self.tornado_view = tornado_view

        @property
        def control(self) -> TornadoView | None:
            """The view the bar was chosen in (for ``@on(..., selector)``)."""
            return self.tornado_view

    def __init__(
        self,
        scenario: Scenario | None = None,
        *,
        figure_key: str = DEFAULT_FIGURE,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        if figure_key not in FIGURES_BY_KEY:
            raise ValueError(f"unknown key figure {figure_key!r}")
        self._scenario = scenario
        self._figure_key = figure_key
        self._shown: Request | None = None
        self._recent = _RecentResults(CACHE_SIZE)
        self._job: Job[Request, Tornado] = Job(
            self,
            _compute,
            done=self._display,
            failed=self._failed,
            slow=self._say_computing,
            slow_after=COMPUTING_DELAY,
            describe=_describe,
            name="tornado",
        )
        self._error = ""
        self._ready = False

    # -- public --------------------------------------------------------------------------

    @property
    def scenario(self) -> Scenario | None:
        """The scenario the chart is (or is being) computed for."""
        return self._scenario

    @property
    def figure_key(self) -> str:
        return self._figure_key

    @property
    def tornado(self) -> Tornado | None:
        """The tornado on screen, if it is for the current scenario and figure."""
        bars = self.query_one(TornadoBars)
        if bars.result is not None and self._shown == (self._scenario, self._figure_key):
            return bars.result
        return None

    @property
    def busy(self) -> bool:
        """True while the chart on screen is not yet the current scenario's."""
        return self._scenario is not None and self._shown != (self._scenario, self._figure_key) and not self._error

    @property
    def computing(self) -> bool:
        """Whether a tornado asked for is still being computed."""
        return self._job.busy

    async def settled(self) -> None:
        """Return once the newest tornado asked for is answered (or was no longer wanted)."""
        await self._job.wait()

    def show(self, scenario: Scenario) -> None:
        """Chart ``scenario``; cheap when it is the one already shown."""
        self._scenario = scenario
        self._request()

    def set_figure(self, figure_key: str) -> None:
        """Chart ``figure_key`` (also moves the chooser)."""
        if figure_key not in FIGURES_BY_KEY:
            raise ValueError(f"unknown key figure {figure_key!r}")
        if figure_key == self._figure_key:
            return
        self._figure_key = figure_key
        if self._ready:
            select = self.query_one("#tornado-figure", Select)
            if select.value != figure_key:
                select.value = figure_key
        self._request()

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Select(
            [(figure.label, figure.key) for figure in FIGURES],
            value=self._figure_key,
            allow_blank=False,
            compact=True,
            id="tornado-figure",
        )
        yield Static("", id="tornado-status", markup=False)
        yield TornadoBars(id="tornado-bars")
        yield Static("", id="tornado-detail", markup=False)

    def on_mount(self) -> None:
        self._ready = True
        if self._scenario is not None:
            self._request()

    # -- computing -------------------------------------------------------------------------

    def _request(self) -> None:
        if not self._ready or self._scenario is None:
            return
        request = (self._scenario, self._figure_key)
        if self._shown == request and not self._error:
            self._job.cancel()  # back to what is on screen: an answer still on its way is not wanted
            return
        cached = self._recent.get(*request)
        if cached is not None:
            self._job.cancel()
            self._display(request, cached)
            return
        self._job.start(request)

    def _say_computing(self, request: Request) -> None:
        """The newest request is taking a while: say so (until then the previous bars stay)."""
        if self.busy:
            self._set_status("computing…")

    def _failed(self, request: Request, error: str) -> None:
        self._error = error
        self._set_status(f"{ERROR_MARK}{error}", error=True)

    def _display(self, request: Request, result: Tornado) -> None:
        scenario, figure_key = request
        self._recent.put(scenario, figure_key, result)
        self._error = ""
        bars = self.query_one(TornadoBars)
        old = bars.result
        keep = old.bars[bars.cursor].key if old is not None and bars.cursor < len(old.bars) else None
        self._shown = request
        bars.show(result, scenario, keep_key=keep)
        self._set_status(f"base {format_value(figure_key, result.base, scenario)}  {LOW_GLYPH} low  {HIGH_GLYPH} high")
        self._show_detail()

    # -- showing -------------------------------------------------------------------------

    def _set_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#tornado-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    def _show_detail(self) -> None:
        bars = self.query_one(TornadoBars)
        result, scenario = bars.result, self._shown[0] if self._shown else None
        detail = self.query_one("#tornado-detail", Static)
        if result is None or scenario is None or not result.bars:
            detail.update("")
            return
        bar = result.bars[min(bars.cursor, len(result.bars) - 1)]
        detail.update(describe_bar(bar, result.figure_key, scenario))

    # -- events --------------------------------------------------------------------------------

    @on(Select.Changed, "#tornado-figure")
    def _figure_chosen(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str) and event.value != self._figure_key:
            self._figure_key = event.value
            self._request()

    @on(TornadoBars.CursorMoved)
    def _cursor_moved(self, event: TornadoBars.CursorMoved) -> None:
        event.stop()
        self._show_detail()

    @on(TornadoBars.Chosen)
    def _chosen(self, event: TornadoBars.Chosen) -> None:
        event.stop()
        result = self.query_one(TornadoBars).result
        if result is not None and 0 <= event.index < len(result.bars):
            self.post_message(self.ParameterChosen(result.bars[event.index].key, self))

    def action_step_figure(self, step: int) -> None:
        keys = [figure.key for figure in FIGURES]
        self.set_figure(keys[(keys.index(self._figure_key) + step) % len(keys)])
