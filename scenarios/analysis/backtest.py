"""A backtest: forecast from what was known at a cut, then score what was reported after it.

The runs are conditioned on the observations dated up to the end of the cut month
(:func:`ammoflow.scenarios.analysis.conditioning.condition`), projected again over the whole
horizon, and every later observation inside the horizon is held against the forecast of
*what its claimant would report*: the projected count times a scale drawn for that run from
the claimant's posterior given the run and the known observations (the prior for a claimant
first heard after the cut), times, for "about" and exact figures, a reporting error drawn from
the same tolerance the likelihood uses. docs/model.md ("## Backtest") gives the method and the
reasons; this module is pure NumPy, like the rest of the analysis layer.

Scoring one observation against its forecast samples (:func:`score`):

- percentiles p5 ... p95 of the forecast;
- ``percentile``: for a bound, the chance the forecast satisfies it; for a range, the chance
  it falls inside; for a point-like figure ("about", exact), the share of the forecast below
  the figure (ties count half);
- ``in_50`` / ``in_90``: whether the observation is consistent with the 25-75% / 5-95% band:
  a lower bound when the band's top reaches it, an upper bound when the band's bottom is at
  or under it, a range when the two overlap, a point-like figure when it lies inside;
- proper scores: for point-like figures the interval score of the 90% band (Gneiting &
  Raftery 2007) and the CRPS, both on the scale of log(1 + count), so containers and rounds
  average together and a score reads roughly as a relative error; for bounds and ranges,
  which say only that an event happened, the Brier score of that event, (1 - percentile/100)^2.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date

import attrs
import numpy as np

from ammoflow.scenarios.analysis.conditioning import Conditioned, condition
from ammoflow.scenarios.analysis.likelihood import LOG_SCALE_PRIOR, LOG_SCALES, Z90, Evidence
from ammoflow.scenarios.engine.batch import Batch, project_batch
from ammoflow.scenarios.model.months import days_in, format_month, month_of, parse_month
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Scenario

QUANTILES: tuple[float, ...] = (5, 25, 50, 75, 95)
ALPHA = 0.1  # the 90% band's interval score: (u - l) + 2/alpha * (how far outside)
POINT_KINDS = ("about", "exact")
# The backtest's own random stream (claimant scales, reporting errors), apart from the
# parameters' and the drift's streams that the same seed spawns.
_STREAM = 0xBAC7


class BacktestError(ValueError):
    """A backtest that cannot be made as asked (a cut outside the projection, nothing to learn or score)."""


@attrs.frozen
class Score:
    """One later observation against its forecast."""

    observation: Observation
    quantiles: tuple[float, ...]  # the forecast's QUANTILES
    percentile: float  # 0-100; see the module docstring
    in_50: bool
    in_90: bool
    interval_score: float | None = None  # point-like only, log(1 + count) scale
    crps: float | None = None  # point-like only, log(1 + count) scale
    brier: float | None = None  # bounds and ranges only


@attrs.frozen(eq=False)
class Backtest:
    """What a forecast made at the end of ``until`` said about what was reported later."""

    scenario: Scenario
    until: str
    known: tuple[Observation, ...]  # conditioned on
    scores: tuple[Score, ...]  # every later observation inside the horizon, by date
    skipped: tuple[tuple[Observation, str], ...]  # later ones that could not be scored, and why
    runs: int
    ess: float
    enough: bool
    forecast: Batch  # the projection of the conditioned runs, for the explorer's bands

    def coverage(self, band: int) -> tuple[int, int]:
        """(consistent, scored) for the 50% or the 90% band."""
        if band not in (50, 90):
            raise ValueError(f"the bands are 50% and 90%, not {band}%")
        hits = [s.in_50 if band == 50 else s.in_90 for s in self.scores]
        return sum(hits), len(hits)

    def mean(self, name: str) -> tuple[float | None, int]:
        """The average of a score (``interval_score``, ``crps``, ``brier``) where it applies, and over how many."""
        found = [v for v in (getattr(s, name) for s in self.scores) if v is not None]
        return (float(np.mean(found)) if found else None), len(found)


# -- scoring one observation ------------------------------------------------------------


def score(observation: Observation, forecast: np.ndarray) -> Score:
    """``observation`` scored against ``forecast``, equally weighted samples of what would be reported."""
    samples = np.sort(np.asarray(forecast, dtype=np.float64).reshape(-1))
    if samples.size == 0:
        raise ValueError("a forecast needs at least one sample")
    quantiles = tuple(float(v) for v in np.percentile(samples, QUANTILES))
    low, high = _stated(observation)
    kind = observation.kind
    n = samples.size
    first = int(np.searchsorted(samples, low, side="left"))
    after = int(np.searchsorted(samples, high, side="right"))
    # A point: the share below it, ties counting half. A bound or a range: the share inside.
    percentile = 100 * ((first + after) / 2 if kind in POINT_KINDS else after - first) / n
    in_50 = consistent(observation, quantiles[1], quantiles[3])
    in_90 = consistent(observation, quantiles[0], quantiles[4])
    if kind in POINT_KINDS:
        x = float(np.log1p(low))
        logged = np.log1p(samples)
        return Score(
            observation,
            quantiles,
            float(percentile),
            in_50,
            in_90,
            interval_score=interval_score(float(np.log1p(quantiles[0])), float(np.log1p(quantiles[4])), x),
            crps=crps(logged, x),
        )
    return Score(observation, quantiles, float(percentile), in_50, in_90, brier=(1 - percentile / 100) ** 2)


def consistent(observation: Observation, low: float, high: float) -> bool:
    """Whether a band from ``low`` to ``high`` is consistent with what ``observation`` says."""
    a, b = _stated(observation)
    # A lower bound (b infinite) is met when the band's top reaches it, an upper bound (a = 0)
    # when its bottom is at or under it, a range when the two overlap, a point when it is inside.
    return low <= b and high >= a


def interval_score(low: float, high: float, x: float, alpha: float = ALPHA) -> float:
    """The interval score of the central (1 - alpha) interval [low, high] at ``x`` (lower is better)."""
    return (high - low) + 2 / alpha * max(low - x, 0.0) + 2 / alpha * max(x - high, 0.0)


def crps(sorted_samples: np.ndarray, x: float) -> float:
    """The CRPS of the samples' empirical distribution at ``x``: E|Y - x| - E|Y - Y'| / 2.

    E|Y - Y'| over all pairs comes from the sorted samples in one pass:
    (2 / n^2) * sum_i (2i - n - 1) y_(i), i from 1.
    """
    y = sorted_samples
    n = y.size
    ranks = 2 * np.arange(1, n + 1) - n - 1
    spread = 2 * float(np.dot(ranks, y)) / n**2
    return float(np.mean(np.abs(y - x))) - spread / 2


def _stated(observation: Observation) -> tuple[float, float]:
    """What the figure allows: a bound's or a range's ends (possibly infinite), a point-like figure's value twice."""
    if observation.kind in POINT_KINDS:
        return observation.value, observation.value
    return observation.bounds()


def noise_sd(observation: Observation) -> float:
    """The sd, on the log scale, of an "about" or exact figure's reporting error: its tolerance is the 90% interval."""
    return math.log1p((observation.tolerance_used or 0.0) / 100) / Z90


def draw_scales(
    blocks: Mapping[str, np.ndarray], claimants: Sequence[str], runs: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """One scale per run for each claimant, drawn from its posterior given the run.

    ``blocks`` holds, per claimant, the (runs, G) log-likelihood of the known observations on
    the scale grid (:meth:`Evidence.scale_loglik`); a claimant without one has only its prior.
    Each grid point stands for its cell, so a draw is spread evenly over the cell on the log
    scale, as :meth:`Evidence.scale_posterior` reads its quantiles. The empty claimant's
    scale is 1.
    """
    step = float(LOG_SCALES[1] - LOG_SCALES[0])
    out: dict[str, np.ndarray] = {"": np.ones(runs)}
    for claimant in claimants:
        if not claimant:
            continue
        log_p = np.broadcast_to(LOG_SCALE_PRIOR, (runs, len(LOG_SCALES))).copy()
        block = blocks.get(claimant)
        if block is not None:
            with np.errstate(invalid="ignore"):
                given = log_p + block
            # A run no grid point fits has weight 0 in the conditioned runs; it keeps its prior.
            fits = np.isfinite(given).any(axis=1)
            log_p[fits] = given[fits]
        top = log_p.max(axis=1, keepdims=True)
        cumulative = np.cumsum(np.exp(log_p - top), axis=1)
        u = rng.random(runs) * cumulative[:, -1]
        cell = (cumulative < u[:, None]).sum(axis=1)
        out[claimant] = np.exp(LOG_SCALES[cell] + step * (rng.random(runs) - 0.5))
    return out


# -- the backtest ---------------------------------------------------------------------


def cut_day(until: str) -> date:
    """The last day of the cut month: observations dated up to it are known."""
    index = parse_month(until)
    year, month = divmod(index, 12)
    return date(year, month + 1, days_in(index))


def split(
    scenario: Scenario, observations: Sequence[Observation], until: str
) -> tuple[tuple[Observation, ...], tuple[Observation, ...]]:
    """The observations known at the end of ``until`` and those dated after it; errors say why none."""
    try:
        index = parse_month(until)
    except ValueError as exc:
        raise BacktestError(str(exc)) from None
    first, last = scenario.start_index, scenario.start_index + scenario.months - 1
    if not first <= index <= last:
        raise BacktestError(
            f"the cut {until} is outside the projection; "
            f"cut in a month from {format_month(first)} to {format_month(last)}"
        )
    end = cut_day(until)
    inside = [o for o in observations if first <= month_of(o.day) <= last]
    known = tuple(o for o in inside if o.day <= end)
    later = tuple(o for o in observations if o.day > end)
    if not known:
        dated = sorted(inside or observations, key=lambda o: o.day)
        where = "within the projection " if inside else ""
        hint = "there are no observations"
        if dated:
            day = dated[0].day
            first_month = format_month(month_of(day))
            hint = f"the first observation {where}is dated {day.isoformat()}; cut at {first_month} or later"
        raise BacktestError(f"nothing is known by the end of {until}: {hint}")
    if not [o for o in later if month_of(o.day) <= last]:
        months = sorted({month_of(o.day) for o in inside})
        hint = f"the last observation within the projection is dated {max(o.day for o in inside).isoformat()}"
        if len(months) > 1:
            hint += f"; cut at {format_month(months[-2])} or earlier"
        if later:
            hint += f" (after the projection ends in {format_month(last)}: {len(later)} more)"
        raise BacktestError(f"no observation after {until} to score: {hint}")
    return known, later


def backtest(
    scenario: Scenario,
    observations: Sequence[Observation],
    until: str,
    runs: int | None = None,
    *,
    stop: Callable[[], bool] | None = None,
) -> Backtest:
    """Condition on what was known at the end of ``until``, forecast, and score every later observation."""
    known, later = split(scenario, observations, until)
    past = Evidence.prepare(scenario, known)
    if not past.observations:
        reasons = "; ".join(f"{o.day.isoformat()} {o.metric}: {why}" for o, why in past.skipped)
        raise BacktestError(f"nothing is known by the end of {until} that the projection can use ({reasons})")
    conditioned = condition(
        scenario, past, runs, stop=stop, columns=()
    )  # key figures only: the runs are projected below
    return score_later(scenario, until, past, later, conditioned)


def score_later(
    scenario: Scenario, until: str, past: Evidence, later: Sequence[Observation], conditioned: Conditioned
) -> Backtest:
    """The backtest once its runs are conditioned on ``past``: project them and score each of ``later``."""
    forecast = project_batch(scenario, values=conditioned.values, drift=dict(conditioned.drift) or None)
    containers, rounds = forecast["containers_shipped"].T, forecast["rounds_shipped"].T  # (months, runs)
    future = Evidence.prepare(scenario, later)
    rng = np.random.default_rng(np.random.SeedSequence(scenario.uncertainty.seed, spawn_key=(_STREAM,)))
    blocks = past.scale_loglik(past.projected(containers, rounds))
    scales = draw_scales(blocks, future.claimants, forecast.runs, rng)
    projected = future.projected(containers, rounds)  # (observations, runs)
    scores = []
    for row, observation in enumerate(future.observations):
        reported = projected[row] * scales[observation.claimant]
        if observation.kind in POINT_KINDS:
            reported = reported * np.exp(rng.normal(0.0, noise_sd(observation), forecast.runs))
        scores.append(score(observation, reported))
    return Backtest(
        scenario,
        until,
        tuple(past.observations),
        tuple(scores),
        tuple(future.skipped),
        forecast.runs,
        float(conditioned.ess),
        bool(conditioned.enough),
        forecast,
    )
