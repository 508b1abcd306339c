"""The backtest view: what a forecast made at a cut said, and what was reported after it.

The bands are those of the runs conditioned on the observations known at the end of the
cut month, drawn from the cut on; the observations are markers, those known at the cut
apart from those reported later. The bands are of the count itself, as the other charts'
are; the coverage under the chart scores each later figure against what its source would
report (its scale and reporting error included, docs/model.md "Backtest"), so a figure from a
source that counts high may sit above the band and still be within it. Left and right move the
cut a month; the backtest runs in a :class:`ammoflow.tui.jobs.Job`, so the keys never wait for
it (newest cut wins).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import ClassVar

import attrs
import numpy as np
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from ammoflow.scenarios.analysis.backtest import QUANTILES, Backtest, BacktestError, backtest
from ammoflow.scenarios.model.columns import OUTPUT
from ammoflow.scenarios.model.months import format_month, month_of, parse_month
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.dialogs.base import Dialog
from ammoflow.tui.dialogs.errors import ERROR_MARK
from ammoflow.tui.jobs import Job
from ammoflow.tui.render.chart_data import ChartData, Series, observation_position
from ammoflow.tui.widgets.chart import Chart

__all__ = ["BacktestScreen", "Shown", "backtest_chart", "default_cut", "run"]

METRICS = ("cumulative_containers", "cumulative_rounds")
COLUMNS = {column.name: column for column in OUTPUT}


@attrs.frozen(eq=False)
class Shown:
    """A backtest with the percentiles of both charted metrics, month by month (worked out in the job)."""

    result: Backtest
    fans: dict[str, dict[float, np.ndarray]]


def run(request: tuple[Scenario, tuple[Observation, ...], str], stopped: Callable[[], bool]) -> Shown:
    """The backtest at one cut and its bands (in the job's thread)."""
    scenario, observations, until = request
    result = backtest(scenario, observations, until, stop=stopped)
    forecast = result.forecast
    fans = {}
    for metric in METRICS:
        block = forecast[metric]  # (runs, months)
        levels = np.percentile(block, QUANTILES, axis=0)
        fans[metric] = {q: levels[i] for i, q in enumerate(QUANTILES)}
    return Shown(result, fans)


def default_cut(scenario: Scenario, observations: Sequence[Observation]) -> str:
    """The month of the middle observation within the projection: about half known, half to score."""
    first, last = scenario.start_index, scenario.start_index + scenario.months - 1
    months = sorted(month_of(o.day) for o in observations if first <= month_of(o.day) <= last)
    if not months:
        return format_month(first)
    return format_month(min(months[(len(months) - 1) // 2], last))


def backtest_chart(shown: Shown, metric: str) -> ChartData:
    """The bands from the cut on, and the observations of ``metric``: known at the cut, and later."""
    result = shown.result
    scenario = result.scenario
    column = COLUMNS[metric]
    labels = scenario.month_labels()
    cut = parse_month(result.until) - scenario.start_index  # point i is the end of month i

    def after_cut(values: np.ndarray) -> list[float]:
        return [float(v) if i >= cut else math.nan for i, v in enumerate(values)]

    band = shown.fans[metric]
    series = [
        Series("5-95%", after_cut(band[5]), kind="band", y_high=after_cut(band[95]), filled=False),
        Series("25-75%", after_cut(band[25]), kind="band", y_high=after_cut(band[75])),
        Series("median", after_cut(band[50])),
    ]
    for label, chosen in (
        ("known at the cut", [o for o in result.known if o.metric == metric]),
        ("reported later", [s.observation for s in result.scores if s.observation.metric == metric]),
    ):
        xs = [observation_position(scenario, month_of(o.day), o.day.day) for o in chosen]
        if xs:
            series.append(Series(label, [o.value for o in chosen], kind="markers", x=xs))
    title = f"{column.unit.capitalize()} shipped, forecast at the end of {result.until}"
    return ChartData(title, column.unit, labels, series)


class BacktestScreen(Dialog[None]):
    """The backtest view; see the module docstring."""

    DEFAULT_CSS = """
    BacktestScreen {
        & > #dialog { width: 100; height: 28; max-height: 100%; max-width: 100%; }
        & #backtest-chart { height: 1fr; min-height: 8; width: 1fr; }
        & #verdict { width: 1fr; height: auto; max-height: 3; }
        & #verdict.-error { color: $error; text-style: bold; }
        & #verdict.-working { color: $foreground-muted; text-style: italic; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="backtest.close"),
        Binding("left", "move(-1)", "Cut a month earlier", id="backtest.earlier"),
        Binding("right", "move(1)", "Cut a month later", id="backtest.later"),
        Binding("1", "metric('cumulative_containers')", "Containers", id="backtest.containers"),
        Binding("2", "metric('cumulative_rounds')", "Rounds", id="backtest.rounds"),
    ]

    def __init__(self, scenario: Scenario, observations: Sequence[Observation], until: str | None = None) -> None:
        super().__init__()
        self.scenario = scenario
        self.observations = tuple(observations)
        self.until = until or default_cut(scenario, self.observations)
        self.metric = METRICS[0]
        self.shown: Shown | None = None
        """The newest backtest answered for the cut shown (None while it is worked out, or when it failed)."""
        self._job: Job[tuple[Scenario, tuple[Observation, ...], str], Shown] = Job(
            self, run, done=self._done, failed=self._failed, slow=self._working, describe=_error, name="backtest"
        )

    def compose(self) -> ComposeResult:
        dialog = Vertical(id="dialog")
        dialog.border_title = "Backtest"
        with dialog:
            yield Chart(id="backtest-chart")
            yield Static("", id="verdict", markup=False)
            yield Static(
                (
                    f"{self.keys_of('backtest.earlier')}/{self.keys_of('backtest.later')} move the cut · "
                    f"{self.keys_of('backtest.containers')} containers · {self.keys_of('backtest.rounds')} rounds · "
                    f"{self.keys_of('backtest.close')} close"
                ),
                id="keys",
                markup=False,
            )

    def on_mount(self) -> None:
        self._start()

    @property
    def verdict(self) -> str:
        """The line under the chart: the scores, "working…", or a "✗ " error."""
        return str(self.query_one("#verdict", Static).content)

    async def settled(self) -> None:
        """Return once the backtest asked for last has been answered (for tests)."""
        await self._job.wait()

    def _start(self) -> None:
        self._job.start((self.scenario, self.observations, self.until))

    def _say(self, text: str, kind: str = "") -> None:
        verdict = self.query_one("#verdict", Static)
        verdict.update(text)
        for name in ("-error", "-working"):
            verdict.set_class(name == kind, name)

    def _working(self, request: tuple[Scenario, tuple[Observation, ...], str]) -> None:
        self._say(f"working… forecasting from the end of {request[2]}", "-working")

    def _failed(self, request: tuple[Scenario, tuple[Observation, ...], str], error: str) -> None:
        if self.answered or request[2] != self.until:
            return
        self.shown = None
        self.query_one(Chart).show(ChartData(f"Backtest at the end of {self.until}", "", self.scenario.month_labels()))
        self._say(f"{ERROR_MARK}{error}", "-error")

    def _done(self, request: tuple[Scenario, tuple[Observation, ...], str], shown: Shown) -> None:
        if self.answered or request[2] != self.until:
            return
        self.shown = shown
        self._draw()
        result = shown.result
        hit50, scored = result.coverage(50)
        hit90, _ = result.coverage(90)
        text = (
            f"cut {result.until}: {len(result.known)} known, {scored} later scored · "
            f"50% band {hit50} of {scored} · 90% band {hit90} of {scored}"
        )
        if not result.enough:
            text += f" · only {result.ess:,.0f} effective runs: the bands are rough"
        self._say(text)

    def _draw(self) -> None:
        if self.shown is not None:
            self.query_one(Chart).show(backtest_chart(self.shown, self.metric))

    def action_move(self, months: int) -> None:
        first = self.scenario.start_index
        last = first + self.scenario.months - 1
        index = min(max(parse_month(self.until) + months, first), last)
        if format_month(index) == self.until:
            return
        self.until = format_month(index)
        self._start()

    def action_metric(self, metric: str) -> None:
        self.metric = metric
        self._draw()

    def action_close(self) -> None:
        if not self.answered:
            self._job.cancel()
            self.answer(None)


def _error(exc: Exception) -> str:
    """A backtest that cannot be made at this cut says why in its own words."""
    if isinstance(exc, BacktestError):
        return str(exc)
    return f"the backtest failed: {exc}"
