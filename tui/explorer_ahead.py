"""Working out ahead of the keys what the next slider step will ask for.

Computing a step's projection and bands and then drawing them cannot fit in the time a key
should take to show (benchmarks/tui_latency.py --profile). So once the screen is idle (the
frame of the last answer painted, no job running) the likely next steps are worked out in
the background: for the focused slider, the value one step up and one step down (the way it
last moved first), their projection and, with the bands on, their bands. A key that lands on
one of them is drawn at once (``ExplorerDrawing._request_compute``). The answers are kept in
:class:`~ammoflow.tui.answers.Answers`, keyed by everything they depend on, so an answer is
never used for any other scenario, settings or mode.

The look-ahead gives way to the keys: a key that edits stops it at its next check (between
the projections and bands it works out; a Monte Carlo run between its chunks), and it starts
again only after the next answer is painted. It never shows anything, and a failure is not
said: the step that asks for that scenario computes it again, and says why it fails.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
from textual import events, on

from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.tui.answers import Answers
from ammoflow.tui.explorer_base import Asked, ExplorerBase
from ammoflow.tui.jobs import Job
from ammoflow.tui.widgets.chart import Chart

LOOK_AHEAD_RUNS = 10_000
"""Bands of more runs than this are not worked out ahead: they take long enough (a tenth of a
second and more) to keep a processor busy between keys for a step that may not come."""


AHEAD_AFTER = 0.03
"""Seconds from a drawing to the look-ahead's start: the frame is painted and written by then
(at 120x40 a step's paint ends some 20 ms after its key, benchmarks/tui_latency.py --profile).
Started sooner (after Textual's next refresh), it shared the interpreter with the paint, which
took 3 to 4 ms longer."""


@attrs.frozen(eq=False)
class Ahead:
    """What a look-ahead works out: projections, the likeliest first, and whether their bands too."""

    asked: tuple[Asked, ...]
    bands: bool  # with the bands, in the mode below
    given: bool  # the bands given the observations (else on all assumptions)
    chart: tuple[str, Chart] | None  # the tab shown and its chart, laid out ahead for each step
    cursor: int | None  # the chart's cursor, as the step would draw it


class ExplorerAhead(ExplorerBase):
    """The look-ahead: the focused slider's next steps, computed while the screen is idle."""

    _answers: Answers  # projections and bands computed (the screen's, shared with ExplorerDrawing)
    _ahead: Job[Ahead, None]

    @property
    def answers_kept(self) -> tuple[int, int]:
        """Projections and bands known ahead of a key or kept from the last steps (for scripts and tests)."""
        return self._answers.counts()

    def _look_ahead_later(self) -> None:
        """Once the frame under way is written: the look-ahead does not compete with its paint.

        Not before the first frame is out (:meth:`_first_frame_out`): the start is slow enough.
        """
        if not self._ahead_due:
            self._ahead_due = True
            if self._frame_out:
                self.set_timer(AHEAD_AFTER, self._look_ahead, name="look-ahead")

    def _first_frame_out(self) -> None:
        self._frame_out = True
        if self._ahead_due:
            self.set_timer(AHEAD_AFTER, self._look_ahead, name="look-ahead")

    def _stop_looking_ahead(self) -> None:
        self._ahead_due = False
        self._ahead.cancel()

    @on(events.DescendantFocus)
    def _focus_moved(self) -> None:
        """Another slider has the keys: its next steps are the likely ones now."""
        self._ahead.cancel()
        self._look_ahead_later()

    def _look_ahead(self) -> None:
        if not self._ahead_due:
            return  # a key came after it was planned
        self._ahead_due = False
        busy = self._projections.busy or self._answering is not None or self._bands_view.job.busy
        if not self.looks_ahead or self._held is not None or busy:
            return  # the screen is not idle: planned again once the answer is drawn
        key = self._parameters.focused_key
        if key is None or self._parameters.row(key).editing:
            return
        slider = self._parameters.row(key).slider
        ways = (1, -1) if self._last_way.get(key, 1) > 0 else (-1, 1)
        asked: list[Asked] = []
        current = self.workspace.scenario
        for way in ways:
            value = slider.stepped(way)
            if value == current.values[key]:
                continue  # at the end of its range
            try:
                scenario = current.with_value(key, value)
            except ScenarioError:
                continue  # the step will say why
            asked.append(Asked(scenario, self._baseline_for(scenario), None))
        view = self._bands_view
        bands = view.wanted and current.uncertainty.runs <= LOOK_AHEAD_RUNS
        if asked:
            cursor = self._cursor_index(current)
            self._ahead.start(Ahead(tuple(asked), bands, view.given, self._chart_shown(), cursor))

    def _work_ahead(self, ahead: Ahead, stopped: Callable[[], bool]) -> None:
        """In the look-ahead's thread: each projection, then its bands, unless known or no longer
        wanted; then the chart shown, laid out as the step would draw it."""
        answers, observations, view = self._answers, self.observations, self._bands_view
        for asked in ahead.asked:
            if stopped():
                return
            projection = answers.projection(asked.scenario, asked.baseline, observations, self._as_of())
            if projection is None:
                projection = self._project(asked)
                answers.keep_projection(projection, observations, projection.as_of)
            bands = None
            if ahead.bands and not stopped():
                bands = answers.bands(asked.scenario, ahead.given, observations, view.as_of())
                if bands is None:
                    from ammoflow.scenarios.analysis.montecarlo import Stopped  # loaded with the bands, not at start

                    try:
                        bands = view.compute(asked.scenario, ahead.given, stopped)
                    except Stopped:
                        return
                    answers.keep_bands(bands, observations)
            if ahead.chart is not None and not stopped():
                tab_id, chart = ahead.chart
                fans = bands.fans if bands is not None else None
                chart.prepare(self._chart_data(tab_id, projection, fans), ahead.cursor)

    def _noted_way(self, key: str, before: float, after: float) -> None:
        """The way ``key`` moved: the look-ahead works out that way first."""
        if after != before:
            self._last_way[key] = 1 if after > before else -1
