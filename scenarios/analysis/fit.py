"""Fitting parameters to what was observed: which values make the projection pass the markers.

The observations are cumulative containers and rounds at dated claims. A fit picks 1 to 3
parameters and finds the values, within their slider ranges, that minimise

    sum over observations of ((projected - observed) / observed) ** 2

Relative residuals, because the two metrics differ by a factor of several hundred: in
absolute terms the rounds would decide everything and the container counts nothing. A
relative residual makes "10% too many containers" and "10% too many rounds" weigh alike,
which also matches how the claims are stated ("about 6,700", "more than 3 million").
Qualifiers such as "more than" are not modelled: every claim counts as a point value.

Without SciPy, and because the figures have kinks (a stock runs out, a shipment becomes
stock-bound) where gradient methods stall, the search is a grid:

1. a coarse grid over the slider ranges (64 points for one parameter, 24 x 24 for two,
   12 x 12 x 12 for three), every point a run of one :func:`project_batch` call;
2. a few rounds of a grid of the same size centred on the best point so far, spanning two
   of the previous spacings either side, until the spacing is below a quarter of each
   parameter's slider step (integer parameters: whole numbers, down to 1).

The window of two spacings either side lets the best point walk along a diagonal valley
(containers per month and rounds per container trade off against each other) instead
of being trapped in the first cell. Like any grid search it can miss a minimum narrower
than the coarse spacing.

Only starting values are fitted: a parameter the scenario changes over time keeps its
changes. Starting stocks are fitted like any other parameter.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from datetime import date

import attrs
import numpy as np

from ammoflow.scenarios.engine.batch import Batch, project_batch
from ammoflow.scenarios.files.observation_csv import read_observations
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.months import days_in, month_of
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Scenario

MAX_KEYS = 3
GRID_SIZES = {1: 64, 2: 24, 3: 12}  # points per parameter: 64, 576 and 1,728 runs a batch
WINDOW = 2.0  # a refining grid spans this many previous spacings either side of the best point
MAX_ROUNDS = 12
FLOWS = {"cumulative_containers": "containers_shipped", "cumulative_rounds": "rounds_shipped"}


@attrs.frozen
class FitRow:
    """One observation beside the fitted projection at its date."""

    day: date
    metric: str
    claimant: str
    observed: float
    fitted: float
    residual: float  # fitted - observed
    relative: float  # residual / observed: what the fit minimises the squares of


@attrs.frozen
class FitResult:
    """The fitted values, the scenario with them, and how well it meets each observation."""

    keys: tuple[str, ...]
    values: Mapping[str, float]
    scenario: Scenario
    sum_of_squares: float  # of the relative residuals, at the fitted values
    rows: tuple[FitRow, ...]
    skipped: tuple[tuple[Observation, str], ...] = ()  # observations not used, and why
    sum_of_squares_before: float = math.nan  # the scenario as given, for comparison
    at_edge: tuple[str, ...] = ()  # keys fitted to an end of their slider range: the data may want more
    uninformed: tuple[str, ...] = ()  # keys the observations do not depend on: left at the scenario's value


@attrs.frozen
class _Usable:
    """The observations a fit uses, as arrays over observations."""

    observations: tuple[Observation, ...]
    positions: tuple[int, ...]  # where each sits in the sequence it was picked from
    month: np.ndarray  # index into the horizon
    fraction: np.ndarray  # share of the month's flow that has happened by the day
    observed: np.ndarray


def fit(
    scenario: Scenario,
    keys: Sequence[str],
    observations: Sequence[Observation] | None = None,
) -> FitResult:
    """Least-squares fit of 1 to 3 starting values to ``observations`` (the shipped ones if None)."""
    keys = _checked_keys(keys)
    if observations is None:
        observations = read_observations()
    usable, skipped = _usable(scenario, observations)
    values, before, uninformed = _search(scenario, keys, usable)
    fitted_scenario = scenario.with_values(values)
    batch = project_batch(scenario, {key: [v] for key, v in values.items()})
    projected = _projected(batch, usable)[0]
    rows = tuple(
        _row(o, observed, fitted)
        for o, observed, fitted in zip(usable.observations, usable.observed.tolist(), projected.tolist(), strict=True)
    )
    edges = tuple(
        key
        for key, p in ((k, registry.BY_KEY[k]) for k in keys)
        if key not in uninformed and p.low < p.high and values[key] in (p.low, p.high)
    )
    return FitResult(
        keys=keys,
        values=values,
        scenario=fitted_scenario,
        sum_of_squares=float(sum(r.relative**2 for r in rows)),
        rows=rows,
        skipped=tuple(skipped),
        sum_of_squares_before=before,
        at_edge=edges,
        uninformed=uninformed,
    )


def _search(
    scenario: Scenario, keys: tuple[str, ...], usable: _Usable
) -> tuple[dict[str, float], float, tuple[str, ...]]:
    """The best values of ``keys``, the score of the scenario as given, and the keys without effect.

    A key whose value changes no projected observation anywhere on the coarse grid (the
    transit time, say: it delays arrivals, not shipments) keeps the scenario's value
    rather than whichever end of its range the search happens to meet first; the
    others are fitted without it.
    """
    parameters = [registry.BY_KEY[key] for key in keys]
    size = GRID_SIZES[len(keys)]
    axes = [_axis(p, p.low, p.high, size) for p in parameters]
    current = np.array([[scenario.values[key] for key in keys]])
    scores = _scores(scenario, keys, np.vstack([_mesh(axes), current]), usable)
    before = float(scores[-1])
    grid = scores[:-1].reshape([len(axis) for axis in axes])
    flat = 1e-12 * max(1.0, float(np.nanmax(np.abs(grid))))
    uninformed = tuple(key for j, key in enumerate(keys) if float(np.nanmax(np.ptp(grid, axis=j))) <= flat)
    if uninformed:
        values = {key: float(scenario.values[key]) for key in uninformed}
        informed = tuple(key for key in keys if key not in uninformed)
        if informed:
            found, _, also = _search(scenario, informed, usable)
            values.update(found)
            uninformed += also
        return {key: values[key] for key in keys}, before, uninformed
    i = int(np.nanargmin(scores[:-1])) if np.isfinite(scores[:-1]).any() else 0
    best, best_score = _mesh(axes)[i], float(scores[i])
    for _ in range(MAX_ROUNDS):
        spacings = [_spacing(axis) for axis in axes]
        if all(_fine_enough(p, s) for p, s in zip(parameters, spacings, strict=True)):
            break
        axes = [
            _axis(p, max(p.low, centre - WINDOW * s), min(p.high, centre + WINDOW * s), size)
            for p, centre, s in zip(parameters, best, spacings, strict=True)
        ]
        points = _mesh(axes)
        scores = _scores(scenario, keys, points, usable)
        if np.isfinite(scores).any():
            i = int(np.nanargmin(scores))
            if scores[i] < best_score:
                best, best_score = points[i], float(scores[i])
    return {key: float(v) for key, v in zip(keys, best, strict=True)}, before, uninformed


def projected_at_dates(batch: Batch, observations: Sequence[Observation]) -> np.ndarray:
    """Every run's projected cumulative value at each observation's date: (runs, observations).

    The rule of :func:`ammoflow.scenarios.model.figures.projected_at` for all runs at once: the total to
    the end of the month before, plus the month's flow spread evenly over its days. An
    observation outside the horizon gives NaN.
    """
    usable, _ = _usable(batch.scenario, observations, required=False)
    out = np.full((batch.runs, len(observations)), np.nan)
    if usable.observations:
        out[:, list(usable.positions)] = _projected(batch, usable)
    return out


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


def _usable(
    scenario: Scenario, observations: Sequence[Observation], *, required: bool = True
) -> tuple[_Usable, list[tuple[Observation, str]]]:
    """The observations inside the horizon with a non-zero value, and the others with why."""
    kept: list[Observation] = []
    positions: list[int] = []
    months: list[int] = []
    fractions: list[float] = []
    skipped: list[tuple[Observation, str]] = []
    for position, observation in enumerate(observations):
        index = month_of(observation.day) - scenario.start_index
        if index < 0:
            skipped.append((observation, f"before the projection starts ({scenario.start})"))
        elif index >= scenario.months:
            skipped.append((observation, f"after the horizon ends ({scenario.end})"))
        elif observation.metric not in FLOWS:
            skipped.append((observation, f'metric "{observation.metric}" is not one a projection gives'))
        elif not (math.isfinite(observation.value) and observation.value != 0):
            skipped.append((observation, "a value of 0 has no relative residual"))
        else:
            kept.append(observation)
            positions.append(position)
            months.append(index)
            fractions.append(observation.day.day / days_in(scenario.start_index + index))
    if required and not kept:
        if not observations:
            raise ScenarioError("no observations to fit to")
        reasons = sorted({why for _, why in skipped})
        raise ScenarioError(f"none of the {len(observations)} observations can be used: {'; '.join(reasons)}")
    usable = _Usable(
        tuple(kept),
        tuple(positions),
        np.array(months, dtype=np.int64),
        np.array(fractions, dtype=np.float64),
        np.array([o.value for o in kept], dtype=np.float64),
    )
    return usable, skipped


def _projected(batch: Batch, usable: _Usable) -> np.ndarray:
    """(runs, usable observations) projected cumulative values."""
    out = np.empty((batch.runs, len(usable.observations)))
    metrics = np.array([o.metric for o in usable.observations])
    for metric, flow in FLOWS.items():
        mask = metrics == metric
        if not mask.any():
            continue
        index = usable.month[mask]
        cumulative = batch[metric]
        before = np.where(index > 0, cumulative[:, np.maximum(index - 1, 0)], 0.0)
        out[:, mask] = before + batch[flow][:, index] * usable.fraction[mask]
    return out


def _scores(scenario: Scenario, keys: tuple[str, ...], runs: np.ndarray, usable: _Usable) -> np.ndarray:
    """Sum of squared relative residuals for every row of ``runs`` (one column per key)."""
    batch = project_batch(scenario, {key: runs[:, j] for j, key in enumerate(keys)})
    relative = (_projected(batch, usable) - usable.observed) / usable.observed
    scores: np.ndarray = np.sum(relative**2, axis=1)
    return scores


def _axis(parameter: registry.Parameter, low: float, high: float, size: int) -> np.ndarray:
    """``size`` values from ``low`` to ``high``; whole numbers (all of them when few) for integer parameters."""
    if parameter.integer:
        low, high = math.ceil(low - 1e-9), math.floor(high + 1e-9)
        if high - low + 1 <= size:
            return np.arange(low, high + 1, dtype=np.float64)
        return np.unique(np.round(np.linspace(low, high, size)))
    if high <= low:
        return np.array([low], dtype=np.float64)
    return np.clip(np.linspace(low, high, size), parameter.low, parameter.high)


def _mesh(axes: list[np.ndarray]) -> np.ndarray:
    """Every combination of the axes' values, one row per run."""
    return np.array(list(itertools.product(*axes)), dtype=np.float64).reshape(-1, len(axes))


def _spacing(axis: np.ndarray) -> float:
    return float(np.max(np.diff(axis))) if len(axis) > 1 else 0.0


def _fine_enough(parameter: registry.Parameter, spacing: float) -> bool:
    if parameter.integer:
        return spacing <= 1
    return spacing <= parameter.step / 4


def _row(observation: Observation, observed: float, fitted: float) -> FitRow:
    residual = fitted - observed
    return FitRow(
        observation.day,
        observation.metric,
        observation.claimant,
        observed,
        fitted,
        residual,
        residual / observed,
    )
