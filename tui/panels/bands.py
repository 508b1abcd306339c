"""The uncertainty bands: a Monte Carlo run of the scenario in the background, and the line under
the charts that says how it goes.

The runs vary the parameters as the scenario's ``[uncertainty]`` settings say (docs/model.md);
only the percentiles the charts draw are kept. The bands come in two modes: on all assumptions,
or given the observations (the runs consistent with what was reported, docs/model.md,
"Conditioning"); the line says which, and how many effective runs the second rests on.
One run at a time, always on the newest scenario (:class:`ammoflow.tui.jobs.Job`): a run the
user has moved past stops between chunks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, cast

import attrs
import numpy as np
from textual.timer import Timer
from textual.widgets import Static

from ammoflow.scenarios.model.columns import CHARTED
from ammoflow.scenarios.model.months import month_of
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.jobs import Job
from ammoflow.tui.panels import chart_tabs as charts

if TYPE_CHECKING:
    from ammoflow.scenarios.analysis.montecarlo import Simulation

TICK = 0.1
"""Seconds between updates of a run's progress, once it has said it is running."""


@attrs.frozen(eq=False)
class Bands:
    """Uncertainty bands of a scenario: percentiles by column, from ``runs`` Monte Carlo runs."""

    scenario: Scenario
    fans: charts.Fans
    runs: int
    given: str | None = None  # given the observations: how many, and the effective runs; None: all assumptions
    warning: str | None = None  # given the observations, too few effective runs: say so
    figures: Mapping[str, tuple[float, float, float]] = attrs.field(factory=dict)  # p5, p50, p95 of each figure
    as_of: int | None = None  # the absolute month the "as of" figures were read at


def simulate_bands(
    scenario: Scenario,
    stopped: Callable[[], bool],
    progress: Callable[[int, int], None],
    *,
    observations: Sequence[Observation] | None = None,
    as_of: int | None = None,
) -> Bands:
    """The bands of ``scenario`` (run in a worker thread); stops between chunks or columns once ``stopped()``.

    With ``observations``, the bands of the runs given them (docs/model.md, "Conditioning").
    ``as_of`` is the absolute month the "as of" figures are read at: the explorer's, so their
    ranges are those of the figures the table shows (today's when None).
    """
    from ammoflow.scenarios.analysis.montecarlo import QUANTILES, simulate

    columns = sorted(CHARTED)  # the domain's one list; every chart tab draws its bands from it
    given = warning = None
    if observations is None:
        simulation = simulate(  # only the bands are kept: bounded memory at 100,000 runs of 240 months
            scenario, columns=columns, qs=QUANTILES, chunk=10_000, stop=stopped, progress=progress, as_of=as_of
        )
    else:
        from ammoflow.scenarios.analysis.conditioning import condition
        from ammoflow.scenarios.analysis.likelihood import Evidence

        evidence = Evidence.prepare(scenario, observations)
        conditioned = condition(
            scenario,
            evidence,
            columns=columns,
            qs=QUANTILES,
            chunk=10_000,
            stop=stopped,
            progress=progress,
            as_of=as_of,
        )
        simulation, given, warning = conditioned.simulation, conditioned.summary(), conditioned.warning()
    # Arrays of floats, which the charts index as sequences (mypy does not see an array as one).
    fans = cast(charts.Fans, {column: simulation.percentiles(column) for column in columns})
    return Bands(scenario, fans, simulation.runs, given, warning, figure_ranges(simulation), as_of)


def figure_ranges(simulation: Simulation) -> dict[str, tuple[float, float, float]]:
    """p5, p50 and p95 of each key figure over the runs, for the figures table.

    Month figures as months from the start (the horizon when never reached). The figures read
    "as of" a month are read at the month the simulation was asked for (:func:`simulate_bands`).
    """
    from ammoflow.scenarios.engine.batch_figures import months_until
    from ammoflow.scenarios.model.figures import BY_KEY

    horizon = simulation.scenario.months
    out: dict[str, tuple[float, float, float]] = {}
    for key, values in simulation.figures.items():
        if BY_KEY[key].kind == "month":
            spread = np.percentile(months_until(values, horizon), (5, 50, 95))
            out[key] = (float(spread[0]), float(spread[1]), float(spread[2]))
        else:
            found = simulation.figure_percentiles(key, (5, 50, 95))
            out[key] = (found[5], found[50], found[95])
    return out


def _unreported(done: int, total: int) -> None:
    """Progress nobody shows (bands worked out ahead of the keys)."""


class BandsStatus(Static):
    """The bands, while they are on: asked for on every edit, newest wins; ``drawn`` is called when they change."""

    def __init__(
        self,
        drawn: Callable[[], None],
        observations: Sequence[Observation] = (),
        *,
        today: Callable[[], date] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__("", id=id)
        self._drawn = drawn
        # The present the "as of" figures are read at: ``today``, else the app's own (an
        # AmmoflowApp's is injectable, so the ranges match the figures the explorer reads).
        self._today = today
        self.wanted = False  # whether the bands are on
        self.given = False  # whether they are the bands given the observations (else on all assumptions)
        self._observations = tuple(observations)
        self._bands: Bands | None = None
        self._progress: tuple[object, int, int] = (None, 0, 0)  # (scenario, runs done, in all), from the worker
        self._ticker: Timer | None = None
        self._said = ""  # the text shown (see _say)
        self.job: Job[Scenario, Bands] = Job(
            self,
            lambda scenario, stopped: self._simulate(scenario, stopped),
            done=lambda _scenario, bands: self._show(bands),
            failed=lambda _scenario, error: self._failed(error),
            slow=self._start_ticker,
            name="fans",
        )

    @property
    def bands(self) -> Bands | None:
        """The bands last drawn (None while they are off or not yet computed)."""
        return self._bands

    def current_for(self, scenario: Scenario) -> bool:
        """Whether the bands last drawn are those of ``scenario`` in the mode asked for."""
        bands = self._bands
        return bands is not None and bands.scenario == scenario and (bands.given is not None) == self.given

    def fans_for(self, scenario: Scenario) -> charts.Fans | None:
        """What the charts draw for ``scenario``: its bands, when they are on and are for it in this mode."""
        bands = self._bands
        return bands.fans if self.wanted and bands is not None and self.current_for(scenario) else None

    def toggle_given(self, scenario: Scenario) -> None:
        """Switch between the bands on all assumptions and those given the observations (turning them on)."""
        self.given = not self.given
        if not self.wanted:
            self.toggle(scenario)
            return
        self.job.start(scenario)
        self._drawn()  # the other mode's bands are not drawn while this mode's are computed

    def on_mount(self) -> None:
        if self._today is None:
            app = self.app  # looked up now, on the app's thread; its ``today`` when asked, as tests set it late
            self._today = lambda: cast("Callable[[], date]", getattr(app, "today", date.today))()

    def as_of(self) -> int:
        """The absolute month the "as of" figures are read at: the present's (see ``today``)."""
        return month_of((self._today or date.today)())

    def _simulate(self, scenario: Scenario, stopped: Callable[[], bool]) -> Bands:
        """The worker's run: the bands in the mode asked for when it started."""
        return self.compute(scenario, self.given, stopped, self._progressed(scenario))

    def compute(
        self,
        scenario: Scenario,
        given: bool,
        stopped: Callable[[], bool],
        progress: Callable[[int, int], None] | None = None,
    ) -> Bands:
        """The bands of ``scenario``, ``given`` the observations or not, in any thread: what this
        view's job computes, for a caller that works them out ahead of the keys."""
        progress = progress or _unreported
        if given:
            return simulate_bands(scenario, stopped, progress, observations=self._observations, as_of=self.as_of())
        return simulate_bands(scenario, stopped, progress, as_of=self.as_of())

    def take(self, bands: Bands) -> None:
        """Bands already computed for the scenario asked for now: shown at once, whatever runs is dropped.

        The caller draws them (``drawn`` is not called): they come with a projection drawn in the same turn.
        """
        self.job.cancel()
        self._take(bands)

    def toggle(self, scenario: Scenario) -> None:
        """Bands on (computed for ``scenario``) or off (whatever still runs is stale)."""
        self.wanted = not self.wanted
        self.display = self.wanted
        if self.wanted:
            self.ask(scenario)
            return
        self._bands = None
        self.job.cancel()
        self._stop_ticker()
        self._drawn()

    def ask(self, scenario: Scenario) -> None:
        """The scenario changed: its bands, if they are on."""
        if self.wanted:
            self.job.start(scenario)

    def _progressed(self, scenario: Scenario) -> Callable[[int, int], None]:
        def progress(done: int, total: int) -> None:
            self._progress = (scenario, done, total)

        return progress

    def _start_ticker(self, scenario: Scenario) -> None:
        """A run takes long enough to notice: say so, then how far it has got."""
        self._say_running()
        if self._ticker is None:  # one ticker however many runs a burst of edits starts
            self._ticker = self.set_interval(TICK, self._say_running)

    def _stop_ticker(self) -> None:
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None

    def _say(self, text: str) -> None:
        """Show ``text``, unless it is already shown: a new text lays out the whole screen,
        and most steps with the bands on end on the words the last one ended on."""
        if text != self._said:
            self._said = text
            self.update(text)

    def _say_running(self) -> None:
        asked = self.job.asked
        if asked is None:
            return  # a tick queued before the bands arrived and its timer stopped: the status says so already
        scenario, done, total = self._progress
        share = f" {done / total:.0%}" if scenario is asked and total else ""
        mode = " given the observations" if self.given else ""
        self._say(f"Uncertainty: running {asked.uncertainty.runs:,} Monte Carlo runs{mode}…{share}")

    def _show(self, bands: Bands) -> None:
        self._take(bands)
        self._drawn()

    def _take(self, bands: Bands) -> None:
        self._stop_ticker()
        self._bands = bands
        u = bands.scenario.uncertainty
        if bands.given is None:
            shown = f"Bands of {bands.runs:,} runs · all assumptions · {u.distribution} · seed {u.seed} · U settings"
            self._say(shown)
        else:
            rough = f" · {bands.warning}" if bands.warning else ""
            self._say(f"Bands of {bands.runs:,} runs {bands.given} · seed {u.seed}{rough}")

    def _failed(self, error: str) -> None:
        """Bands are extra: say so, and let the next edit try again."""
        self._stop_ticker()
        self._say(f"Uncertainty could not be computed ({error})")
