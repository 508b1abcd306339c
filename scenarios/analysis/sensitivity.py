"""One-at-a-time sensitivity: which assumption moves a key figure most (a tornado chart).

Each parameter is moved to the low and then to the high end of its uncertainty range
(:meth:`ammoflow.scenarios.model.scenario.Uncertainty.range_of`, so a scenario's own ranges count), with
every other parameter held at the scenario's value. The question it answers is "if I am
wrong about this one thing, within what I consider plausible, how much does the figure
move?" - which is why the uncertainty range is used and not the much wider slider range.

All 2 x 17 variants and the base run are one :func:`ammoflow.scenarios.engine.batch.project_batch` call:
about the cost of a single projection.

Conventions a reader of the bars should know:

- Month figures are compared as months from the start, "never within the horizon" being
  the horizon itself (:func:`ammoflow.scenarios.engine.batch_figures.months_until`), so "lasts longer" is
  always "larger".
- A parameter whose uncertainty range is a single point cannot move the figure by
  construction; it gets no bar and is listed in :attr:`Tornado.fixed` instead, so a chart
  can say which assumptions were held fixed rather than draw bars of nothing. A parameter
  that is free to move but has no effect (food per container on the shortfall) does get
  a bar, of zero: that it does not matter is a finding.
- Only the starting value moves. A parameter the scenario changes over time still takes
  the changed value from the change's month on, as in the scenario itself.
- The scenario's value may lie outside the uncertainty range (a user dragged a slider far);
  then both ends of the bar fall on one side of the base value, which is the honest
  picture of "the plausible range versus what you assumed".
"""

from __future__ import annotations

import math

import attrs
import numpy as np

from ammoflow.scenarios.engine.batch import project_batch
from ammoflow.scenarios.engine.batch_figures import months_until, run_figures
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.figures import BY_KEY as FIGURES_BY_KEY
from ammoflow.scenarios.model.figures import FIGURE_KEYS, format_figure
from ammoflow.scenarios.model.months import format_month
from ammoflow.scenarios.model.numbers import format_compact, format_share
from ammoflow.scenarios.model.scenario import Scenario


@attrs.frozen
class Bar:
    """One parameter's bar: the figure with the parameter at each end of its range."""

    key: str
    label: str
    low: float  # the input at the low end of the uncertainty range
    high: float
    at_low: float  # the figure with the parameter at ``low``
    at_high: float

    @property
    def swing(self) -> float:
        """How far the figure moves across the range (NaN when either end has no value)."""
        return abs(self.at_high - self.at_low)


@attrs.frozen
class Tornado:
    """A key figure's sensitivity to every parameter, the largest effect first."""

    figure_key: str
    base: float  # the figure for the scenario as it is
    bars: tuple[Bar, ...]
    fixed: tuple[str, ...] = ()  # parameters whose uncertainty range is one point: no bar


def figure_values(figures: dict[str, np.ndarray], figure_key: str, horizon: int) -> np.ndarray:
    """One key figure per run as numbers: month figures as :func:`months_until`."""
    values = figures[figure_key]
    if FIGURES_BY_KEY[figure_key].kind == "month":
        return months_until(values, horizon)
    return np.asarray(values, dtype=np.float64)


def check_figure_key(figure_key: str) -> None:
    """A ScenarioError with a did-you-mean for a figure that does not exist."""
    if figure_key not in FIGURES_BY_KEY:
        raise ScenarioError(registry.unknown_key_message("key figure", figure_key, FIGURE_KEYS))


def check_parameter_key(key: str) -> registry.Parameter:
    """The parameter, or a ScenarioError with a did-you-mean."""
    if key not in registry.BY_KEY:
        raise ScenarioError(registry.unknown_key_message("parameter", key, registry.KEYS))
    return registry.BY_KEY[key]


def tornado(scenario: Scenario, figure_key: str) -> Tornado:
    """Move each parameter to both ends of its uncertainty range, one at a time, in one batch.

    Run 0 is the scenario itself; runs ``2i + 1`` and ``2i + 2`` move the ``i``-th
    movable parameter to its low and high. Bars are sorted by :attr:`Bar.swing`, largest
    first; ties (zero bars, mostly) keep the registry's order, and a bar whose figure is
    undefined (a share of no supply) goes last.
    """
    check_figure_key(figure_key)
    movable: list[tuple[registry.Parameter, float, float]] = []
    fixed: list[str] = []
    for parameter in registry.PARAMETERS:
        low, high = scenario.uncertainty.range_of(parameter.key)
        if low == high:
            fixed.append(parameter.key)
        else:
            movable.append((parameter, low, high))
    runs = 1 + 2 * len(movable)
    values: dict[str, np.ndarray] = {}
    for i, (parameter, low, high) in enumerate(movable):
        column = np.full(runs, scenario.values[parameter.key], dtype=np.float64)
        column[2 * i + 1] = low
        column[2 * i + 2] = high
        values[parameter.key] = column
    batch = project_batch(scenario, values, runs)
    figure = figure_values(run_figures(batch), figure_key, scenario.months)
    bars = [
        Bar(parameter.key, parameter.label, low, high, float(figure[2 * i + 1]), float(figure[2 * i + 2]))
        for i, (parameter, low, high) in enumerate(movable)
    ]
    bars.sort(key=lambda bar: -bar.swing if math.isfinite(bar.swing) else math.inf)
    return Tornado(figure_key, float(figure[0]), tuple(bars), tuple(fixed))


def format_value(figure_key: str, number: float, scenario: Scenario | None = None) -> str:
    """A key figure given as a number, as a person reads it.

    Month figures are months from the start (as the analyses compare them): with the
    scenario they become ``YYYY-MM``, or the figure's "never" wording at the horizon;
    without it, "N months".
    """
    check_figure_key(figure_key)
    if number is None or not math.isfinite(number):
        return "n/a"
    if FIGURES_BY_KEY[figure_key].kind == "month":
        if scenario is None:
            return f"{number:,.4g} months"
        if number >= scenario.months:
            return format_figure(figure_key, None)
        return format_month(scenario.start_index + int(number))
    return format_figure(figure_key, number)


def format_short_value(figure_key: str, number: float, scenario: Scenario) -> str:
    """A figure in a few cells, as at a tornado bar's ends: ``4.46M``, ``62.6%``, ``2025-08``, ``never``.

    Months are counted from the start, as :func:`format_value` takes them; "n/a" when no number.
    """
    if number is None or not math.isfinite(number):
        return "n/a"
    kind = FIGURES_BY_KEY[figure_key].kind
    if kind == "month":
        if number >= scenario.months:
            return "never"
        return format_month(scenario.start_index + int(number))
    if kind == "share":
        return format_share(number)
    return format_compact(number)
