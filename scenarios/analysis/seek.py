"""Goal seeking: the value of one parameter at which a key figure reaches a target.

"How many containers a month would keep Russia firing to the end of the horizon?" is a
question about where a figure crosses a line as one slider moves. Key figures are not
smooth: they are piecewise linear with kinks (a stock runs out in a different month),
may rise and then fall, and the month figures are step functions. So instead of a
Newton-type solver, which needs slopes these figures do not have, the search:

1. evaluates a grid of up to 257 points across the slider range in one batch;
2. finds every place where the figure changes side of the target;
3. refines all of them together with small batches of 33 points inside each bracket,
   until the bracket is one ``tolerance`` wide (the parameter's slider ``step`` unless
   given). The points searched lie on the lattice ``low + k * tolerance``, so a reported
   threshold is a round number a slider can show, and integer parameters stay whole.

What comes back is the solution closest to the scenario's current value, i.e. the
smallest change to the scenario that reaches the target, with the others listed:

- where the figure equals the target over a stretch of values (a month figure, or a
  plateau) the answer is the stretch's edge nearest the current value - the threshold -
  or the current value itself when it already lies inside; ``interval`` gives the stretch;
- where a continuous figure passes through the target between two lattice points, the
  answer is interpolated linearly between them (exact where the figure is linear);
- where a figure jumps over the target (a month figure skipping a month, or an integer
  parameter), the target cannot be reached: ``found`` is False and ``value`` says where
  the jump is.

Limits: a hump narrower than the grid spacing (about 1/256 of the range) can be missed;
only the parameter's starting value moves, so a change over time in the scenario still
applies from its month on (the result's message says so).
"""

from __future__ import annotations

import itertools
import math

import attrs
import numpy as np

from ammoflow.scenarios.analysis.sensitivity import check_figure_key, check_parameter_key, figure_values, format_value
from ammoflow.scenarios.engine.batch import project_batch
from ammoflow.scenarios.engine.batch_figures import run_figures
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.figures import BY_KEY as FIGURES_BY_KEY
from ammoflow.scenarios.model.months import parse_month
from ammoflow.scenarios.model.numbers import format_typed, parse_number
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.scenarios.model.text import excerpt

GRID_POINTS = 257
REFINE_POINTS = 33
MAX_BRACKETS = 24  # brackets refined at once; a figure that wobbles more keeps the rest coarse
NEVER_WORDS = ("never", "horizon", "none", "not within horizon")


@attrs.frozen
class SeekResult:
    """Where ``figure_key`` reaches ``target`` as ``parameter_key`` moves over its slider range.

    ``target`` and ``achieved`` are numbers: for month figures, months from the start, the
    horizon meaning "never within the horizon". ``value`` is None when the target lies
    outside everything the figure does; when the figure jumps over the target, ``found``
    is False and ``value`` is the side of the jump closest to the target.
    """

    parameter_key: str
    figure_key: str
    target: float
    found: bool
    value: float | None
    achieved: float | None
    message: str
    interval: tuple[float, float] | None = None  # values around ``value`` that reach the target too
    others: tuple[float, ...] = ()  # other solutions, nearest to the current value first
    figure_range: tuple[float, float] = (math.nan, math.nan)  # the figure's least and greatest on the grid


@attrs.frozen
class _Solution:
    value: float  # the representative value: a crossing, a jump side, or a stretch's nearest point
    found: bool
    distance: float  # from the scenario's current value
    stretch: tuple[float, float] | None = None
    jump: tuple[float, float, float, float] | None = None  # value and figure on each side


def target_number(scenario: Scenario, figure_key: str, target: float | str) -> float:
    """The target as the number the figure is compared as.

    Month figures take ``YYYY-MM`` within the horizon, "never" / "horizon" (lasts to the
    horizon), or a number of months from the start. Other figures take a number, also as
    text the way values are typed ("15,000", "1.5k", "2M", with the unit written out or
    not); a share also as a percentage ("40%").
    """
    check_figure_key(figure_key)
    kind = FIGURES_BY_KEY[figure_key].kind
    if isinstance(target, bool):
        raise ScenarioError(f"the target for {figure_key} must be a number, not {target!r}")
    if kind == "month":
        if isinstance(target, str):
            text = target.strip()
            if text.lower() in NEVER_WORDS:
                return float(scenario.months)
            try:
                offset = parse_month(text) - scenario.start_index
            except ValueError:
                raise ScenarioError(
                    f'the target for {figure_key} must be a month (YYYY-MM) or "never", not "{excerpt(target)}"'
                ) from None
            if not 0 <= offset < scenario.months:
                raise ScenarioError(
                    f"target month {text} is outside the horizon {scenario.start} to {scenario.end}; "
                    '"never" asks for it not to happen within the horizon'
                )
            return float(offset)
        number = float(target)
        if not (math.isfinite(number) and 0 <= number <= scenario.months and number == int(number)):
            raise ScenarioError(
                f"the target for {figure_key} as a number is whole months from the start, 0 to {scenario.months}"
            )
        return number
    if isinstance(target, str):
        text = target.strip()
        if kind != "share" and text.lower().endswith(kind):
            text = text[: -len(kind)].rstrip()  # the unit written out: "15,000 rounds"
        percent = kind == "share" and text.endswith("%")
        try:
            number = parse_number(text.rstrip("%")) / (100 if percent else 1)
        except ValueError:
            raise ScenarioError(f'the target for {figure_key} must be a number, not "{excerpt(target)}"') from None
    else:
        number = float(target)
    if not math.isfinite(number):
        raise ScenarioError(f"the target for {figure_key} must be a finite number, not {target}")
    return number


def goal_seek(
    scenario: Scenario,
    parameter_key: str,
    figure_key: str,
    target: float | str,
    *,
    tolerance: float | None = None,
) -> SeekResult:
    """The value of ``parameter_key`` (within its slider range) at which ``figure_key`` is ``target``."""
    parameter = check_parameter_key(parameter_key)
    goal = target_number(scenario, figure_key, target)
    step = float(parameter.step if tolerance is None else tolerance)
    if not (math.isfinite(step) and step > 0):
        raise ScenarioError(f"the tolerance must be a number above 0, not {tolerance}")
    if parameter.integer:
        step = float(max(1, round(step)))
    search = _Search(scenario, parameter, figure_key, goal, step)
    return search.run()


class _Search:
    """The state of one goal seek: every point evaluated, by lattice index."""

    def __init__(
        self, scenario: Scenario, parameter: registry.Parameter, figure_key: str, goal: float, step: float
    ) -> None:
        self.scenario = scenario
        self.parameter = parameter
        self.figure_key = figure_key
        self.goal = goal
        self.step = step
        self.months_figure = FIGURES_BY_KEY[figure_key].kind == "month"
        # Month figures are whole months; other figures count as "on target" within float noise.
        self.on_target = 0.5 if self.months_figure else 1e-9 * max(1.0, abs(goal))
        self.jumps = self.months_figure or parameter.integer
        self.last = max(0, math.ceil((parameter.high - parameter.low) / step - 1e-9))
        self.current = float(scenario.values[parameter.key])
        self.points: dict[int, tuple[float, float]] = {}  # k -> (figure, side)

    # -- evaluating -----------------------------------------------------------------

    def value_at(self, ks: np.ndarray) -> np.ndarray:
        values = np.round(self.parameter.low + ks * self.step, 9)
        return np.minimum(values, self.parameter.high)

    def figures(self, values: np.ndarray) -> np.ndarray:
        batch = project_batch(self.scenario, {self.parameter.key: values})
        return figure_values(run_figures(batch), self.figure_key, self.scenario.months)

    def evaluate(self, ks: list[int]) -> None:
        if not ks:
            return
        array = np.array(sorted(set(ks)), dtype=np.int64)
        found = self.figures(self.value_at(array))
        for k, figure in zip(array.tolist(), found.tolist(), strict=True):
            self.points[k] = (figure, self.side(figure))

    def side(self, figure: float) -> float:
        if not math.isfinite(figure):
            return math.nan
        difference = figure - self.goal
        return 0.0 if abs(difference) <= self.on_target else math.copysign(1.0, difference)

    # -- searching ------------------------------------------------------------------

    def run(self) -> SeekResult:
        if self.last + 1 <= GRID_POINTS:
            coarse = list(range(self.last + 1))
        else:
            coarse = np.unique(np.round(np.linspace(0, self.last, GRID_POINTS)).astype(np.int64)).tolist()
        self.evaluate(coarse)
        active = self.brackets(0, self.last)
        while active:
            inner: list[int] = []
            for a, b in active:
                ks = np.unique(np.round(np.linspace(a, b, REFINE_POINTS)).astype(np.int64)).tolist()
                inner.extend(k for k in ks if k not in self.points)
            self.evaluate(inner)
            active = [sub for a, b in active for sub in self.brackets(a, b)]
        return self.result()

    def brackets(self, first: int, last: int) -> list[tuple[int, int]]:
        """Neighbouring points in ``first..last`` on different sides, still more than one step apart.

        When there are more than :data:`MAX_BRACKETS`, those nearest the current value are kept.
        """
        found = [(a, b) for a, b in self.changes(first, last) if b - a > 1]
        if len(found) > MAX_BRACKETS:
            found.sort(key=lambda ab: self.distance(*self.value_at(np.array(ab)).tolist()))
            found = sorted(found[:MAX_BRACKETS])
        return found

    def changes(self, first: int, last: int) -> list[tuple[int, int]]:
        ks = [k for k in sorted(self.points) if first <= k <= last and not math.isnan(self.points[k][1])]
        return [(a, b) for a, b in itertools.pairwise(ks) if self.points[a][1] != self.points[b][1]]

    def distance(self, low: float, high: float) -> float:
        if low <= self.current <= high:
            return 0.0
        return min(abs(low - self.current), abs(high - self.current))

    # -- reading the answer ---------------------------------------------------------

    def solutions(self) -> list[_Solution]:
        ks = [k for k in sorted(self.points) if not math.isnan(self.points[k][1])]
        values = dict(zip(ks, self.value_at(np.array(ks, dtype=np.int64)).tolist(), strict=True))
        found: list[_Solution] = []
        i = 0
        while i < len(ks):
            k = ks[i]
            figure, side = self.points[k]
            if side == 0:
                j = i
                while j + 1 < len(ks) and self.points[ks[j + 1]][1] == 0:
                    j += 1
                low, high = values[k], values[ks[j]]
                nearest = min(max(self.current, low), high)
                stretch = (low, high) if high > low else None
                found.append(_Solution(nearest, True, self.distance(low, high), stretch=stretch))
                i = j + 1
                continue
            if i + 1 < len(ks):
                other_figure, other_side = self.points[ks[i + 1]]
                if other_side == -side:
                    found.append(self.crossing(values[k], figure, values[ks[i + 1]], other_figure))
            i += 1
        return found

    def crossing(self, a: float, fa: float, b: float, fb: float) -> _Solution:
        if self.jumps:
            nearer = a if abs(fa - self.goal) <= abs(fb - self.goal) else b
            return _Solution(nearer, False, self.distance(a, b), jump=(a, fa, b, fb))
        # The figure is piecewise linear, with kinks where a stock runs out: narrow the
        # bracket twice on a fine grid before interpolating, so the answer meets the target
        # rather than a straight line drawn across a kink.
        for _ in range(2):
            xs = np.linspace(a, b, REFINE_POINTS * 2 + 1)
            fs = self.figures(xs)
            sides = [self.side(f) for f in fs.tolist()]
            exact = [i for i, side in enumerate(sides) if side == 0.0]
            if exact:
                root = float(xs[min(exact, key=lambda i: abs(xs[i] - self.current))])
                return _Solution(root, True, abs(root - self.current))
            change = next((i for i in range(len(xs) - 1) if sides[i] == -sides[i + 1] != 0), None)
            if change is None:
                break
            a, fa, b, fb = float(xs[change]), float(fs[change]), float(xs[change + 1]), float(fs[change + 1])
        root = a + (self.goal - fa) * (b - a) / (fb - fa)
        root = min(max(root, a), b)
        return _Solution(root, True, abs(root - self.current))

    def result(self) -> SeekResult:
        figures = [f for f, side in self.points.values() if not math.isnan(side)]
        span = (min(figures), max(figures)) if figures else (math.nan, math.nan)
        solutions = self.solutions()
        reached = sorted((s for s in solutions if s.found), key=lambda s: s.distance)
        jumps = sorted((s for s in solutions if not s.found), key=lambda s: s.distance)
        chosen = reached[0] if reached else (jumps[0] if jumps else None)
        others = tuple(s.value for s in reached[1:]) if reached else ()
        unreachable = SeekResult(
            self.parameter.key, self.figure_key, self.goal, False, None, None, "", figure_range=span
        )
        if chosen is None:
            return attrs.evolve(unreachable, message=self.unreachable(span))
        achieved = float(self.figures(np.array([chosen.value]))[0])
        return attrs.evolve(
            unreachable,
            found=chosen.found,
            value=chosen.value,
            achieved=achieved,
            message=self.describe(chosen, achieved, others),
            interval=chosen.stretch,
            others=others,
        )

    # -- words ----------------------------------------------------------------------

    def input_text(self, value: float) -> str:
        """A parameter value to the digits the search can vouch for: a hundredth of the tolerance."""
        return format_typed(value, self.step / 100, integer=self.parameter.integer)

    def figure_text(self, number: float, *, unit: bool = True) -> str:
        if self.months_figure and number >= self.scenario.months:
            return "never within the horizon"
        text = format_value(self.figure_key, number, self.scenario)
        if not unit and not self.months_figure and " " in text:
            return text.split(" ")[0]
        return text

    def unreachable(self, span: tuple[float, float]) -> str:
        p = self.parameter
        over = f"for {p.key} from {self.input_text(p.low)} to {self.input_text(p.high)} {p.unit}"
        if not all(math.isfinite(x) for x in span):
            return f"{self.figure_key} has no value {over}; {self.figure_text(self.goal)} cannot be reached"
        if span[0] == span[1]:
            stays = f"{self.figure_key} stays at {self.figure_text(span[0])}"
        else:
            low, high = self.figure_text(span[0], unit=False), self.figure_text(span[1])
            stays = f"{self.figure_key} stays between {low} and {high}"
        return f"{stays} {over}; {self.figure_text(self.goal)} cannot be reached" + self.changes_note()

    def describe(self, chosen: _Solution, achieved: float, others: tuple[float, ...]) -> str:
        p = self.parameter
        target = self.figure_text(self.goal)
        if chosen.jump is not None:
            a, fa, b, fb = chosen.jump
            text = (
                f"{self.figure_key} jumps from {self.figure_text(fa)} at {p.key} = {self.input_text(a)} "
                f"to {self.figure_text(fb)} at {self.input_text(b)} {p.unit}; {target} cannot be reached exactly"
            )
        elif chosen.stretch is not None and chosen.distance == 0:
            low, high = chosen.stretch
            text = (
                f"{self.figure_key} is already {target} at the current {p.key} ({self.input_text(self.current)}); "
                f"it stays so from {self.input_text(low)} to {self.input_text(high)} {p.unit}"
            )
        else:
            verb = "is" if self.months_figure else "reaches"
            text = f"{self.figure_key} {verb} {target} at {p.key} = {self.input_text(chosen.value)} {p.unit}"
            if chosen.stretch is not None:
                low, high = chosen.stretch
                text += f" (and stays so from {self.input_text(low)} to {self.input_text(high)})"
        if others:
            listed = ", ".join(self.input_text(v) for v in others[:5])
            more = " and more" if len(others) > 5 else ""
            noun = "value" if len(others) == 1 else "values"
            text += f"; it also does at {len(others)} other {noun}: {listed}{more}"
        return text + self.changes_note()

    def changes_note(self) -> str:
        if any(change.parameter == self.parameter.key for change in self.scenario.changes):
            return f" (only the starting value of {self.parameter.key} moved; its changes over time still apply)"
        return ""
