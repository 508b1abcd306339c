"""Fitting parameters to what was observed: which values make the projection agree with the claims.

The objective is the negative log-likelihood of the observations, marginalised over each
claimant's systematic scale (docs/model.md, "How likely a projection makes what was
observed"; :mod:`ammoflow.scenarios.analysis.likelihood` owns it). Observations count as
what they say: a projection above a lower bound ("more than 10,000") pays nothing for it,
one inside a range pays nothing, and "about 6,700" pulls towards 6,700 with its tolerance.
Two claimants who disagree by a steady factor are explained by their scales rather than
tearing one line between them.

Without SciPy, and because the figures have kinks (a stock runs out, a shipment becomes
stock-bound) and the bounds make the landscape flat in places and a cliff in others, where
gradient methods stall, the search is a grid on the sliders' own points (the low end plus
whole slider steps), so a fitted value is one a slider can show (no spurious precision):

1. a coarse grid over the slider ranges (64 points for one parameter, 24 x 24 for two,
   12 x 12 x 12 for three), every point a run of one :func:`project_batch` call;
2. rounds of a grid of the same size centred on the best point so far, spanning two of the
   previous spacings either side, until the spacing is one slider step.

Among points that score alike (bounds met everywhere, say) the one nearest the scenario's
own value wins: the observations give no reason to move further. Where no point of the
coarse grid can meet the hard bounds at any claimant scale, the likelihood is zero
everywhere and ranks nothing; the fit then ranks points by how far the projection lies
beyond what each observation allows, comes as near as it can, and says so.

**A pace per period** (``per_year`` or ``steps_from``): one parameter becomes a step
schedule, a value from the horizon's start and one from each step month on, fitted jointly
by coordinate descent: first one value for every step (the plain fit, a good start), then
sweeps of a 1-D grid search (as above) over each step in turn with the others held, until a
sweep changes nothing (at most :data:`MAX_SWEEPS`). Why coordinate descent: a joint grid
over k steps costs 64^k runs; 1-D searches cost k x ~100 per sweep and keep the grid's
robustness at kinks. The steps interact only through the cumulative totals, so sweeps
settle in a few. The schedule replaces the parameter's changes up to the last observation
used; later changes are plans the observations cannot inform and are kept.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal

import attrs
import numpy as np

from ammoflow.scenarios.analysis.likelihood import Evidence, ScaleEstimate, check
from ammoflow.scenarios.engine.batch import Batch, project_batch
from ammoflow.scenarios.files.observation_csv import read_observations
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.months import format_month, month_of, parse_month
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Change, Scenario

MAX_KEYS = 3
GRID_SIZES = {1: 64, 2: 24, 3: 12}  # points per parameter: 64, 576 and 1,728 runs a batch
WINDOW = 2.0  # a refining grid spans this many previous spacings either side of the best point
MAX_ROUNDS = 12
MAX_SWEEPS = 8  # coordinate-descent sweeps over a schedule's steps
PERIODS = ("year",)  # what ``per`` may name
_CLIFF = 1e300  # stands for an infinite score where spreads are compared

Score = Callable[[np.ndarray], np.ndarray]  # (points, keys) values -> a score per point, lower better


@attrs.frozen
class FitRow:
    """One observation beside the fitted projection at its date, and whether they agree."""

    observation: Observation
    fitted: float
    consistent: bool
    verdict: str  # "within", "above the lower bound", "12% below the range", ...

    @property
    def day(self) -> date:
        return self.observation.day

    @property
    def metric(self) -> str:
        return self.observation.metric

    @property
    def claimant(self) -> str:
        return self.observation.claimant

    @property
    def qualifier(self) -> str:
        return self.observation.qualifier

    @property
    def observed(self) -> float:
        return self.observation.value

    @property
    def residual(self) -> float:
        """Fitted minus the value stated (for a range, its low end)."""
        return self.fitted - self.observed

    @property
    def relative(self) -> float:
        return self.residual / self.observed if self.observed else math.nan


@attrs.frozen
class Step:
    """From ``month`` on, the fitted parameter takes ``value`` (``before``: the scenario's value then)."""

    month: str
    value: float
    before: float


@attrs.frozen
class FitResult:
    """The fitted values, the scenario with them, and how well it meets each observation."""

    keys: tuple[str, ...]
    values: Mapping[str, float]  # fitted starting values
    scenario: Scenario
    score: float  # negative log-likelihood at the fitted values (lower fits better)
    rows: tuple[FitRow, ...]
    scales: Mapping[str, ScaleEstimate] = attrs.field(factory=dict)  # each claimant's scale at the fit
    skipped: tuple[tuple[Observation, str], ...] = ()  # observations not used, and why
    score_before: float = math.nan  # the scenario as given, for comparison
    at_edge: tuple[str, ...] = ()  # fitted to an end of the slider range: the data may want more
    uninformed: tuple[str, ...] = ()  # the observations do not depend on these: left as they were
    steps: tuple[Step, ...] = ()  # a pace per period: the schedule fitted (empty for starting values)
    sweeps: int = 0  # coordinate-descent sweeps a schedule took
    converged: bool = True  # False when a schedule still moved in its last sweep
    met: bool = True  # False: no value met every bound; the fit came as near to them as it could

    @property
    def inconsistent(self) -> tuple[FitRow, ...]:
        return tuple(row for row in self.rows if not row.consistent)


def fit(
    scenario: Scenario,
    keys: Sequence[str],
    observations: Sequence[Observation] | None = None,
    *,
    per: str | None = None,
    steps_from: Sequence[str] = (),
) -> FitResult:
    """Fit 1 to 3 starting values, or one parameter as a step schedule, to ``observations``.

    ``observations`` None means the shipped ones. ``per="year"`` fits one value per calendar
    year from the horizon's start to the last observation used; ``steps_from`` fits a value
    from the start and one from each month listed (``"2024-07"``).
    """
    keys = _checked_keys(keys)
    if observations is None:
        observations = read_observations()
    evidence = _evidence(scenario, observations)
    if per is None and not steps_from:
        return _fit_values(scenario, keys, evidence)
    if per is not None and steps_from:
        raise ScenarioError("fit per period or from listed months, not both")
    if len(keys) != 1:
        raise ScenarioError(f"a pace per period is fitted for one parameter at a time, not {len(keys)}")
    key = keys[0]
    if not registry.BY_KEY[key].changes_over_time:
        raise ScenarioError(
            f"{key} cannot change over time (it is a starting amount), so it cannot be fitted per period"
        )
    if per is not None:
        if per not in PERIODS:
            raise ScenarioError(f'fit per "{per}"? The period can be: {", ".join(PERIODS)}')
        starts = _yearly_starts(scenario, evidence)
    else:
        starts = _listed_starts(scenario, steps_from)
    return _fit_schedule(scenario, key, starts, evidence)


# -- starting values -------------------------------------------------------------------


def _fit_values(scenario: Scenario, keys: tuple[str, ...], evidence: Evidence) -> FitResult:
    objective = _Objective(evidence)
    values, uninformed = _search(scenario, keys, objective)
    fitted = scenario.with_values(values)
    edges = tuple(key for key in keys if key not in uninformed and _at_edge(registry.BY_KEY[key], values[key]))
    return _result(scenario, fitted, keys, objective, at_edge=edges, uninformed=uninformed)


def _search(
    scenario: Scenario, keys: tuple[str, ...], objective: _Objective
) -> tuple[dict[str, float], tuple[str, ...]]:
    """The best slider points for ``keys``, and the keys without effect on the observations.

    A key whose value changes no projected observation anywhere on the coarse grid (the
    transit time, say: it delays arrivals, not shipments) keeps the scenario's value
    rather than whichever end of its range the search happens to meet first; the others
    are fitted without it.
    """
    lattices = [_lattice(registry.BY_KEY[key]) for key in keys]
    current = [float(scenario.values[key]) for key in keys]

    def scores(points: np.ndarray) -> np.ndarray:
        return objective(project_batch(scenario, {key: points[:, j] for j, key in enumerate(keys)}))

    size = GRID_SIZES[len(keys)]
    axes = [_coarse(len(lattice), size) for lattice in lattices]
    coarse = objective.settled(lambda: scores(_values(lattices, _index_mesh(axes))))
    grid = np.where(np.isfinite(coarse), coarse, _CLIFF).reshape([len(axis) for axis in axes])
    flat = _flatness(coarse)
    uninformed = tuple(key for j, key in enumerate(keys) if float(np.max(np.ptp(grid, axis=j))) <= flat)
    if uninformed:
        values = {key: float(scenario.values[key]) for key in uninformed}
        informed = tuple(key for key in keys if key not in uninformed)
        if informed:
            found, also = _search(scenario, informed, objective)
            values.update(found)
            uninformed += also
        return {key: values[key] for key in keys}, uninformed
    best = _refine(lattices, axes, coarse, current, scores, size)
    return {key: float(lattice[i]) for key, lattice, i in zip(keys, lattices, best, strict=True)}, ()


def _refine(
    lattices: list[np.ndarray],
    axes: list[np.ndarray],
    scores: np.ndarray,
    current: Sequence[float],
    score: Score,
    size: int,
) -> tuple[int, ...]:
    """Indices into the lattices of the best point: the coarse grid (``axes``, scored ``scores``), then
    finer grids about the best, down to one slider step."""
    mesh = _index_mesh(axes)
    best, best_score = _best(mesh, scores, lattices, current)
    for _ in range(MAX_ROUNDS):
        spacings = [_spacing(axis) for axis in axes]
        if all(s <= 1 for s in spacings):
            break
        axes = [
            _span(max(0, centre - WINDOW * s), min(len(lattice) - 1, centre + WINDOW * s), size)
            for lattice, centre, s in zip(lattices, best, spacings, strict=True)
        ]
        mesh = _index_mesh(axes)
        found = score(_values(lattices, mesh))
        candidate, candidate_score = _best(mesh, found, lattices, current)
        if _better(candidate_score, best_score) or (
            _same(candidate_score, best_score) and _nearer(candidate, best, lattices, current)
        ):
            best, best_score = candidate, candidate_score
    return best


# -- a pace per period -------------------------------------------------------------------


def _fit_schedule(scenario: Scenario, key: str, starts: tuple[int, ...], evidence: Evidence) -> FitResult:
    objective = _Objective(evidence)
    parameter = registry.BY_KEY[key]
    lattice = _lattice(parameter)
    planned = scenario.series(key)
    months = tuple(format_month(scenario.start_index + offset) for offset in starts)
    last_used = max((month_of(o.day) for o in evidence.observations), default=scenario.start_index)
    base = scenario.with_changes(
        [c for c in scenario.changes if c.parameter != key or parse_month(c.month) > last_used]
    )

    def scheduled(values: Sequence[float]) -> Scenario:
        changes = [Change(month, key, value) for month, value in zip(months[1:], values[1:], strict=True)]
        kept = [c for c in base.changes if not (c.parameter == key and c.month in months)]
        return base.with_values({key: values[0]}).with_changes([*kept, *changes])

    def scores_of(candidates: Sequence[Sequence[float]]) -> np.ndarray:
        return objective(_stacked([scheduled(values) for values in candidates]))

    current = [float(planned[offset]) for offset in starts]
    # One value throughout first: the plain fit, from which the steps move apart.
    one = _line_search(lattice, current[0], lambda v: scores_of([[x] * len(starts) for x in v]), objective)
    values = [float(lattice[one])] * len(starts) if one is not None else list(current)
    uninformed: list[int] = []
    sweeps, moved = 0, True
    while moved and sweeps < MAX_SWEEPS:
        sweeps += 1
        moved = False
        for k in range(len(starts)):
            if k in uninformed:
                continue

            def with_step(v: np.ndarray, k: int = k) -> np.ndarray:
                return scores_of([[*values[:k], float(x), *values[k + 1 :]] for x in v])

            found = _line_search(lattice, values[k], with_step, objective)
            if found is None:  # no observation depends on this step: it keeps its planned value
                uninformed.append(k)
                if values[k] != current[k]:
                    values[k] = current[k]
                    moved = True
                continue
            if float(lattice[found]) != values[k]:
                values[k] = float(lattice[found])
                moved = True
    fitted = scheduled(values)
    steps = tuple(Step(month, value, before) for month, value, before in zip(months, values, current, strict=True))
    labels = [f"{key} from {month}" for month in months]
    return _result(
        scenario,
        fitted,
        (key,),
        objective,
        at_edge=tuple(
            label for k, label in enumerate(labels) if k not in uninformed and _at_edge(parameter, values[k])
        ),
        uninformed=tuple(labels[k] for k in sorted(uninformed)),
        steps=steps,
        sweeps=sweeps,
        converged=not moved,
    )


def _line_search(
    lattice: np.ndarray, current: float, score: Callable[[np.ndarray], np.ndarray], objective: _Objective
) -> int | None:
    """The best index into ``lattice`` for one value (None when the score does not depend on it)."""
    axes = [_coarse(len(lattice), GRID_SIZES[1])]
    coarse = objective.settled(lambda: score(lattice[axes[0]]))
    if float(np.ptp(np.where(np.isfinite(coarse), coarse, _CLIFF))) <= _flatness(coarse):
        return None
    return _refine([lattice], axes, coarse, [current], lambda points: score(points[:, 0]), GRID_SIZES[1])[0]


def _flatness(scores: np.ndarray) -> float:
    """A spread of scores at most this is no spread: rounding, not the observations."""
    finite = scores[np.isfinite(scores)]
    return 1e-12 * max(1.0, float(np.max(np.abs(finite)))) if finite.size else 0.0


def _yearly_starts(scenario: Scenario, evidence: Evidence) -> tuple[int, ...]:
    """The horizon's start and every January after it up to the year of the last observation used."""
    if not evidence.observations:
        raise ScenarioError("no observation lies inside the horizon, so there are no years to fit")
    last_year = max(o.day.year for o in evidence.observations)
    first = scenario.start_index
    januaries = [year * 12 - first for year in range(first // 12 + 1, last_year + 1)]
    return (0, *[offset for offset in januaries if 0 < offset < scenario.months])


def _listed_starts(scenario: Scenario, months: Sequence[str]) -> tuple[int, ...]:
    """The horizon's start and each month listed, as offsets; a month outside the horizon is an error."""
    offsets: list[int] = []
    problems: list[str] = []
    for text in months:
        try:
            offset = parse_month(text) - scenario.start_index
        except ValueError as exc:
            problems.append(f"steps from: {exc}")
            continue
        if not 0 <= offset < scenario.months:
            problems.append(f"steps from: {text} is outside the horizon ({scenario.start} to {scenario.end})")
        elif offset in offsets:
            problems.append(f"steps from: {text} is listed twice")
        else:
            offsets.append(offset)
    if problems:
        raise ScenarioError(problems)
    if not offsets:
        raise ScenarioError("steps from: list at least one month, e.g. 2024-01,2024-07")
    return tuple(sorted({0, *offsets}))


# -- what the fit reports ----------------------------------------------------------------


def _result(
    scenario: Scenario,
    fitted: Scenario,
    keys: tuple[str, ...],
    objective: _Objective,
    *,
    at_edge: tuple[str, ...],
    uninformed: tuple[str, ...],
    steps: tuple[Step, ...] = (),
    sweeps: int = 0,
    converged: bool = True,
) -> FitResult:
    evidence = objective.evidence
    both = _stacked([fitted, scenario])
    projected = _projected(evidence, both)
    scores = -evidence.loglik(projected)
    at_fit = projected[:, :1]
    rows = []
    for observation, value in zip(evidence.observations, at_fit[:, 0].tolist(), strict=True):
        verdict = check(observation, value)
        rows.append(FitRow(observation, value, verdict.consistent, verdict.text))
    return FitResult(
        keys=keys,
        values={key: float(fitted.values[key]) for key in keys},
        scenario=fitted,
        score=float(scores[0]),
        rows=tuple(rows),
        scales=evidence.scale_posterior(at_fit, np.ones(1)),
        skipped=tuple(evidence.skipped),
        score_before=float(scores[1]),
        at_edge=at_edge,
        uninformed=uninformed,
        steps=steps,
        sweeps=sweeps,
        converged=converged,
        met=not objective.near,
    )


def projected_at_dates(batch: Batch, observations: Sequence[Observation]) -> np.ndarray:
    """Every run's projected value at each observation: (runs, observations); NaN for one not used.

    The rule of :func:`ammoflow.scenarios.model.figures.projected_at` for all runs at once
    (through :class:`Evidence`): the total to the end of the month before, plus the month's
    flow spread evenly over its days.
    """
    evidence = Evidence.prepare(batch.scenario, observations)
    out = np.full((batch.runs, len(observations)), np.nan)
    if evidence.observations:
        projected = _projected(evidence, batch)
        used = {id(o): i for i, o in enumerate(evidence.observations)}
        for position, observation in enumerate(observations):
            if id(observation) in used:
                out[:, position] = projected[used[id(observation)]]
    return out


# -- the pieces ----------------------------------------------------------------------------


def _evidence(scenario: Scenario, observations: Sequence[Observation]) -> Evidence:
    evidence = Evidence.prepare(scenario, observations)
    if not evidence.observations:
        if not observations:
            raise ScenarioError("no observations to fit to")
        reasons = sorted({why for _, why in evidence.skipped})
        raise ScenarioError(f"none of the {len(observations)} observations can be used: {'; '.join(reasons)}")
    return evidence


def _checked_keys(keys: Sequence[str]) -> tuple[str, ...]:
    if isinstance(keys, str):
        keys = [keys]
    keys = tuple(keys)
    if not keys:
        raise ScenarioError("a fit needs at least one parameter to fit")
    if len(keys) > MAX_KEYS:
        raise ScenarioError(
            f"a fit takes 1 to {MAX_KEYS} parameters, not {len(keys)} ({', '.join(keys)}): "
            "the observations cannot tell more apart"
        )
    problems = [registry.unknown_key_message("parameter", k, registry.KEYS) for k in keys if k not in registry.BY_KEY]
    if problems:
        raise ScenarioError(problems)
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise ScenarioError(f"each parameter can be fitted once; {', '.join(repeated)} is named twice")
    return keys


class _Stacked:
    """Several one-run projections side by side, read like one batch's shipped flows."""

    def __init__(self, batches: Sequence[Batch]) -> None:
        self.scenario = batches[0].scenario
        self.runs = len(batches)
        self._batches = batches

    def __getitem__(self, column: str) -> np.ndarray:
        return np.vstack([batch[column] for batch in self._batches])


def _stacked(scenarios: Sequence[Scenario]) -> _Stacked:
    """One run of each scenario (they differ in changes over time, which a batch cannot vary per run)."""
    return _Stacked([project_batch(s) for s in scenarios])


def _projected(evidence: Evidence, batch: Batch | _Stacked) -> np.ndarray:
    """(observations, runs) projected values, from the (runs, months) shipped flows."""
    return evidence.projected(batch["containers_shipped"].T, batch["rounds_shipped"].T)


class _Objective:
    """What the search minimises for every run: the negative log-likelihood, or, where nothing can
    meet the bounds, how far the projection lies beyond them.

    Hard bounds give no likelihood at all (-inf) to a run that cannot meet them at any scale.
    When no point of a coarse grid meets them (a horizon that starts too late for "more than
    10,000 by February", say) the likelihood cannot rank the points, so the fit ranks them by
    the sum of squared log-distances beyond what each observation allows (scale 1), comes as
    near as it can, and says so (:attr:`FitResult.met`).
    """

    def __init__(self, evidence: Evidence) -> None:
        self.evidence = evidence
        self.near = False
        allowed = [o.bounds() for o in evidence.observations]
        self._low = np.array([low for low, _ in allowed])[:, None]
        self._high = np.array([high for _, high in allowed])[:, None]

    def __call__(self, batch: Batch | _Stacked) -> np.ndarray:
        values = _projected(self.evidence, batch)
        if not self.near:
            scores: np.ndarray = -self.evidence.loglik(values)
            return scores
        with np.errstate(divide="ignore", invalid="ignore"):
            below = np.log(np.maximum(self._low / np.maximum(values, 1e-300), 1.0))
            above = np.log(np.maximum(values / self._high, 1.0))
        distance: np.ndarray = np.sum(below**2 + above**2, axis=0)
        return distance

    def settled(self, coarse: Callable[[], np.ndarray]) -> np.ndarray:
        """A coarse grid's scores, in the distance beyond the bounds if no point has a likelihood."""
        scores = coarse()
        if not np.isfinite(scores).any() and not self.near:
            self.near = True
            scores = coarse()
        return scores


def _lattice(parameter: registry.Parameter) -> np.ndarray:
    """Every value the parameter's slider can show: the low end plus whole steps, and the high end."""
    decimals = max(_decimals(parameter.step), _decimals(parameter.low))
    count = math.floor((parameter.high - parameter.low) / parameter.step + 1e-9) + 1
    points = np.round(parameter.low + parameter.step * np.arange(count), decimals)
    if points[-1] < parameter.high:
        points = np.append(points, parameter.high)
    return points


def _decimals(number: float) -> int:
    """Digits after the point ``number`` is written with (0.05 -> 2), so lattice points print clean."""
    exponent = Decimal(repr(float(number))).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _coarse(length: int, size: int) -> np.ndarray:
    return _span(0, length - 1, size)


def _span(low: float, high: float, size: int) -> np.ndarray:
    """Up to ``size`` whole indices from ``low`` to ``high``."""
    low, high = math.ceil(low - 1e-9), math.floor(high + 1e-9)
    if high - low + 1 <= size:
        return np.arange(low, high + 1, dtype=np.int64)
    return np.unique(np.round(np.linspace(low, high, size)).astype(np.int64))


def _index_mesh(axes: list[np.ndarray]) -> np.ndarray:
    """Every combination of the axes' indices, one row per point."""
    return np.array(list(itertools.product(*axes)), dtype=np.int64).reshape(-1, len(axes))


def _values(lattices: list[np.ndarray], mesh: np.ndarray) -> np.ndarray:
    return np.column_stack([lattice[mesh[:, j]] for j, lattice in enumerate(lattices)])


def _best(
    mesh: np.ndarray, scores: np.ndarray, lattices: list[np.ndarray], current: Sequence[float]
) -> tuple[tuple[int, ...], float]:
    """The best point of a grid: lowest score, and of those alike, nearest the scenario's values."""
    finite = np.isfinite(scores)
    if not finite.any():
        distances = _distances(mesh, lattices, current)
        i = int(np.argmin(distances))
        return tuple(int(v) for v in mesh[i]), math.inf
    lowest = float(np.min(scores[finite]))
    alike = np.flatnonzero(finite & (scores <= lowest + _tolerance(lowest)))
    i = int(alike[np.argmin(_distances(mesh[alike], lattices, current))])
    return tuple(int(v) for v in mesh[i]), float(scores[i])


def _distances(mesh: np.ndarray, lattices: list[np.ndarray], current: Sequence[float]) -> np.ndarray:
    """How far each point is from the scenario's values, each parameter in units of its range."""
    total = np.zeros(len(mesh))
    for j, lattice in enumerate(lattices):
        span = float(lattice[-1] - lattice[0]) or 1.0
        total += ((lattice[mesh[:, j]] - current[j]) / span) ** 2
    return total


def _tolerance(score: float) -> float:
    return 1e-9 * max(1.0, abs(score))


def _better(candidate: float, best: float) -> bool:
    return candidate < best - _tolerance(best) if math.isfinite(best) else math.isfinite(candidate)


def _same(candidate: float, best: float) -> bool:
    return candidate == best or (math.isfinite(best) and abs(candidate - best) <= _tolerance(best))


def _nearer(
    candidate: tuple[int, ...], best: tuple[int, ...], lattices: list[np.ndarray], current: Sequence[float]
) -> bool:
    both = _distances(np.array([candidate, best]), lattices, current)
    return bool(both[0] < both[1])


def _spacing(axis: np.ndarray) -> float:
    return float(np.max(np.diff(axis))) if len(axis) > 1 else 0.0


def _at_edge(parameter: registry.Parameter, value: float) -> bool:
    return parameter.low < parameter.high and value in (parameter.low, parameter.high)
