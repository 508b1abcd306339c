"""Bands given the observations: Monte Carlo runs weighted and resampled by what was reported.

docs/model.md ("Conditioning") gives the method; in short, importance sampling from a fitted
proposal, and sequential importance resampling (a particle filter) over the months that hold
observations when runs drawn from the prior drift:

0. Fit the proposal (:func:`_pilot`): two pilot passes of :data:`PILOT_RUNS` runs, the first
   from the prior, each filtered as below; a normal is fitted to the runs each keeps
   (:mod:`ammoflow.scenarios.analysis.proposal`). The prior stays the proposal when it already
   serves, or the pilot finds too few runs.
1. Draw the runs: North Korea's parameters from the proposal, each run weighted by prior /
   proposal density, the others as :func:`ammoflow.scenarios.analysis.montecarlo.draw` does
   (and the drift multipliers when the scenario drifts); from the prior, every run weighs 1.
2. Weigh them by the observations: project North Korea's side of every run up to the last
   observed month (the observations count what it shipped, so Russia's side is not needed),
   and multiply each run's weight by its likelihood, the claimants' scales marginalised
   (:meth:`Evidence.scale_loglik` per claimant on the scale grid). Runs drawn from the prior
   that drift are weighed a month holding observations at a time instead, and when the
   effective sample size falls below half the runs, resampled (systematically): a run copies
   its parent's past (its starting values, its drift up to that month, its per-claimant
   likelihoods) and keeps its own later drift innovations, so copies part ways where drift
   allows.
3. Resample once more to equal weights and as many runs as were asked, and project those over
   the whole horizon exactly as :func:`ammoflow.scenarios.analysis.montecarlo.simulate` does,
   so bands, chances and tables are read from the result the same way as unconditioned ones.

Too few effective runs (fewer than :data:`MIN_ESS`, or than :data:`MIN_ESS_SHARE` of the runs
asked) and the runs are drawn again, twice as many, up to :data:`MAX_GROWTH` times the runs
asked (:data:`MIN_GROWTH_FLOOR` thousand for a small ask); the first pass draws as many as the
pilot's share of effective runs says it takes (:func:`first_draw`). Still too few and the
result says so (:attr:`Conditioned.enough`), never silently.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType

import attrs
import numpy as np

from ammoflow.scenarios.analysis import montecarlo, proposal
from ammoflow.scenarios.analysis.likelihood import SCALE_POINTS, Evidence, ScaleEstimate, marginalise
from ammoflow.scenarios.engine.batch import project_batch
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.numbers import format_number, format_whole
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Scenario

MIN_ESS = 1_000
MIN_ESS_SHARE = 0.1
MAX_GROWTH = 8
# Runs a small ask may draw in all, in units of MIN_ESS: 1,000 runs asked need an ESS of 1,000, which
# at the 10-15% of runs a proposal makes effective on the shipped observations takes 7,000 to
# 10,000 runs, more than MAX_GROWTH times the runs asked.
MIN_GROWTH_FLOOR = 16
# The first pass draws as many runs as the pilot's share of effective runs says the ESS needs,
# divided by this margin (a pilot's share is a noisy estimate of the final pass's).
PILOT_MARGIN = 0.9
PILOT_RUNS = 2_000  # runs of each pilot pass that fits the proposal (see proposal.py)
PILOT_ROUNDS = 2
PRIOR_GOOD_ENOUGH = 0.5  # a first pilot pass with this share of its runs effective keeps the prior
RESAMPLE_BELOW = 0.5  # resample when the effective sample size falls below this share of the runs
# Runs times months the filter may hold at once when it draws more: the program's largest
# size (100,000 runs of 240 months), so drawing more never needs more memory than that does.
MAX_DRAWN_VALUES = 100_000 * 240
NEGLIGIBLE = 1e-9  # a run weighing less than this share of the heaviest is left out of the scale estimates
# The resampling's own stream: the draws use the scenario's seed spawned per parameter.
_RESAMPLING_STREAM = 0x5EED


@attrs.frozen(eq=False)
class Conditioned:
    """Runs of a scenario given the observations, resampled to equal weights.

    ``simulation``: the resampled runs projected over the whole horizon (read it as any
    :class:`montecarlo.Simulation`). ``ess``: the effective sample size the runs rest on (the
    smaller of the smallest the filter saw and :func:`ancestral_ess`).
    ``runs_drawn``: the runs drawn to find them (from the proposal), ``runs_piloted``: the
    runs the pilot passes drew to fit the proposal (0 when the prior was the proposal).
    ``enough``: whether ``ess`` reached :func:`ess_needed`. ``scales``: each claimant's
    systematic scale, as the runs imply it.
    ``values``: the resampled starting values, (runs,) per parameter; ``kept_drift``: the
    resampled drift (see :class:`KeptDrift`; :attr:`drift` gives it as (months, runs) blocks),
    so the runs can be projected again.
    ``used``: the observations inside the horizon, which conditioned the runs; ``skipped``:
    the others, and why.
    """

    simulation: montecarlo.Simulation
    ess: float
    runs_drawn: int
    enough: bool
    scales: Mapping[str, ScaleEstimate]
    values: Mapping[str, np.ndarray]
    kept_drift: KeptDrift | None
    used: tuple[Observation, ...]
    skipped: tuple[tuple[Observation, str], ...]
    runs_piloted: int = 0

    @property
    def runs(self) -> int:
        return self.simulation.runs

    @property
    def drift(self) -> dict[str, np.ndarray]:
        """The resampled runs' drift multipliers, (months, runs) per drifting parameter (made on each call)."""
        return {} if self.kept_drift is None else self.kept_drift(0, self.runs)

    def drift_source(self) -> montecarlo.DriftSource | None:
        """The resampled runs' drift as :func:`montecarlo.simulate` and :func:`montecarlo.run_frames` take it."""
        return self.kept_drift

    def summary(self) -> str:
        """'given 10 observations (ESS 4,210 of 10,000 runs drawn)', as every output heads it."""
        count = len(self.used)
        things = "observation" if count == 1 else "observations"
        return f"given {count} {things} (ESS {format_whole(self.ess)} of {format_whole(self.runs_drawn)} runs drawn)"

    def warning(self) -> str | None:
        """What every output says when the bands rest on too few effective runs (None when they do not)."""
        if self.enough:
            return None
        return f"given the observations: only {format_whole(self.ess)} effective runs; the bands are rough"


def ess_needed(runs: int) -> float:
    """The effective sample size the bands of ``runs`` runs need.

    At least :data:`MIN_ESS` and :data:`MIN_ESS_SHARE` of the runs; never more than the runs
    themselves (500 runs asked cannot rest on more than 500).
    """
    return max(MIN_ESS_SHARE * runs, min(MIN_ESS, runs))


def condition(
    scenario: Scenario,
    evidence: Evidence,
    runs: int | None = None,
    *,
    stop: Callable[[], bool] | None = None,
    columns: Iterable[str] | None = None,
    qs: Sequence[float] | None = None,
    chunk: int = montecarlo.DEFAULT_CHUNK,
    progress: Callable[[int, int], None] | None = None,
    as_of: int | None = None,
) -> Conditioned:
    """``runs`` runs of ``scenario`` given ``evidence`` (see the module docstring).

    ``stop`` is asked before each month of the filter and between the final projection's
    chunks, as :func:`montecarlo.simulate` asks it (:class:`montecarlo.Stopped` ends the work).
    ``columns``, ``qs``, ``chunk``, ``progress`` and ``as_of`` go to the final projection as
    :func:`montecarlo.simulate` takes them. The same seed gives the same runs.
    Raises :class:`ScenarioError` naming the observations no run meets.
    """
    asked = scenario.uncertainty.runs if runs is None else runs
    if isinstance(asked, bool) or not isinstance(asked, (int, np.integer)) or asked < 1:
        raise ValueError(f"runs must be a whole number of 1 or more, not {asked!r}")
    asked = int(asked)
    needed = ess_needed(asked)
    most = max(asked, min(max(MAX_GROWTH * asked, MIN_GROWTH_FLOOR * MIN_ESS), MAX_DRAWN_VALUES // scenario.months))
    fitted, piloted, share = _pilot(scenario, evidence, stop)
    drawn = first_draw(asked, needed, share, most)
    while True:
        found = _filter(scenario, evidence, drawn, asked, stop, fitted)
        if found.ess >= needed or drawn >= most:
            break
        # The effective runs grow about in proportion to the runs drawn: double as often as that
        # says it takes at once, rather than filter runs that cannot be enough.
        doublings = max(1, math.ceil(math.log2(needed / max(found.ess, 1.0))))
        drawn = min(drawn * 2**doublings, most)
    simulation = montecarlo.simulate(
        scenario,
        columns=columns,
        qs=qs,
        chunk=chunk,
        draws=found.values,
        drift=found.drift,
        stop=stop,
        progress=progress,
        as_of=as_of,
    )
    for array in found.values.values():
        array.flags.writeable = False
    return Conditioned(
        simulation=simulation,
        ess=found.ess,
        runs_drawn=drawn,
        runs_piloted=piloted,
        enough=found.ess >= needed,
        scales=MappingProxyType(dict(found.scales)),
        values=MappingProxyType(found.values),
        kept_drift=found.drift,
        used=tuple(evidence.observations),
        skipped=tuple(evidence.skipped),
    )


def first_draw(asked: int, needed: float, share: float | None, most: int) -> int:
    """The runs the first pass draws: those asked, or as many as the pilot's share of effective runs says it takes.

    Drawing too few costs a whole pass thrown away (and the doubling after it may overshoot);
    the pilot's last pass, drawn much as the main pass will be, says how many runs it takes to
    reach ``needed`` effective ones. Rounded up to a thousand runs; never more than ``most``.
    """
    if share is None or share <= 0:
        return asked
    wanted = needed / (share * PILOT_MARGIN)
    if not wanted < most:  # a share so small that no number of runs the memory allows would do
        return most
    return max(asked, min(math.ceil(wanted / 1_000) * 1_000, most))


def _pilot(
    scenario: Scenario, evidence: Evidence, stop: Callable[[], bool] | None
) -> tuple[proposal.Proposal | None, int, float | None]:
    """The proposal the runs are drawn from, the runs its pilot passes drew, and the last pass's effective share.

    (docs/model.md, Conditioning.) The share is None when no pilot pass ran.

    Each of :data:`PILOT_ROUNDS` passes filters :data:`PILOT_RUNS` runs drawn from the
    proposal so far (the prior at first) and fits the next proposal to the runs it keeps (an
    equal-weight sample of the starting values given the observations). The prior stays the
    proposal (None) when nothing is observed inside the horizon, when the first pass finds the
    prior good enough already (an ESS of :data:`PRIOR_GOOD_ENOUGH` of its runs: a proposal
    would only add noise), or when a pass finds too few runs to fit to.
    """
    if not len(evidence.month) or not proposal.proposed_keys(scenario):
        return None, 0, None
    fitted: proposal.Proposal | None = None
    share: float | None = None
    for round_number in range(PILOT_ROUNDS):
        try:
            found = _filter(
                scenario, evidence, PILOT_RUNS, PILOT_RUNS, stop, fitted, round_number + 1, with_scales=False
            )
        except ScenarioError:  # no pilot run explains them: the main pass, from the prior, says which
            return None, 0, None
        if fitted is None and found.ess >= PRIOR_GOOD_ENOUGH * PILOT_RUNS:
            return None, 0, found.ess / PILOT_RUNS
        refitted = proposal.fit(scenario, found.values, np.full(PILOT_RUNS, 1.0 / PILOT_RUNS))
        if refitted is None:
            break
        fitted = refitted
        share = found.ess / PILOT_RUNS
    if fitted is None:
        return None, 0, None
    return fitted, PILOT_RUNS * PILOT_ROUNDS, share


@attrs.frozen(eq=False)
class KeptDrift:
    """The kept runs' drift multipliers: their path through the last observed month, then their own steps.

    After the last observed month nothing tells the runs apart, so run ``j`` continues from its
    multiplier there with the steps :func:`montecarlo.draw_drift` gives run ``j`` (the steps a
    run never resampled takes anyway: such a run keeps its whole path). Made a slice of runs at
    a time when asked (a :data:`montecarlo.DriftSource`), so the full (months, runs) blocks of
    100,000 runs of 240 months are never all held at once.
    """

    scenario: Scenario
    past: Mapping[str, np.ndarray]  # (observed months, runs) per drifting parameter

    def __call__(self, first: int, runs: int) -> dict[str, np.ndarray]:
        own = montecarlo.draw_drift(self.scenario, first, runs, keys=self.past)
        out: dict[str, np.ndarray] = {}
        for key, block in self.past.items():
            observed = len(block)
            full = np.array(own[key])  # a copy: the drawn block may be read-only
            kept = block[:, first : first + runs]
            if observed < len(full):
                np.multiply(full[observed:], kept[-1] / full[observed - 1], out=full[observed:])
            full[:observed] = kept
            out[key] = full
        return out


@attrs.frozen(eq=False)
class _Filtered:
    values: dict[str, np.ndarray]
    drift: KeptDrift | None
    ess: float
    scales: Mapping[str, ScaleEstimate]


def _filter(
    scenario: Scenario,
    evidence: Evidence,
    drawn: int,
    asked: int,
    stop: Callable[[], bool] | None,
    start: proposal.Proposal | None = None,
    round_number: int = 0,
    *,
    with_scales: bool = True,
) -> _Filtered:
    """Draw ``drawn`` runs, filter them through the observation months, resample ``asked`` of them.

    The starting values come from the prior, or with ``start`` its keys from that proposal
    (``round_number`` picks its stream), each run weighted by prior / proposal density.
    ``with_scales=False`` leaves the claimants' scales out (a pilot pass needs only the runs).
    """
    if stop is not None and stop():
        raise montecarlo.Stopped
    log_weight = np.zeros(drawn)
    if start is None:
        values = montecarlo.draw(scenario, drawn)
    else:
        values = montecarlo.draw(scenario, drawn, keys=[key for key in registry.KEYS if key not in start.keys])
        proposed, log_weight = start.draw(drawn, round_number)
        values.update(proposed)
    rng = np.random.default_rng([scenario.uncertainty.seed, _RESAMPLING_STREAM])
    months = np.asarray(evidence.month, dtype=np.intp)
    rows_total = len(months)
    if rows_total == 0:  # nothing inside the horizon: the runs as drawn, all of them
        first = montecarlo.draw_drift(scenario.with_horizon(months=1), 0, drawn)  # 1 in every run
        return _Filtered(values, _kept(scenario, first), float(drawn), {})
    # Drift is followed only through the last observed month; later months are drawn for the
    # runs kept (see KeptDrift).
    last = int(months.max())
    drift = montecarlo.draw_drift(scenario.with_horizon(months=last + 1), 0, drawn)
    # Without drift a run's path is fixed by its starting values: one stage, all rows at once
    # (plain importance weighting; resampling between months would only add noise). Drawn from
    # a proposal, the runs already sit where the observations point: weighted once too, drift
    # and all (resampling month by month would only copy starting values, lowering the ESS
    # that counts them, and project the months again for every observed month).
    sequential = bool(drift) and start is None
    stages = [np.flatnonzero(months == m) for m in np.unique(months)] if sequential else [np.arange(rows_total)]
    claimants = [{evidence.observations[row].claimant for row in rows.tolist()} for rows in stages]
    coming = [set().union(*claimants[number + 1 :]) for number in range(len(stages))]
    likelihood: dict[str, np.ndarray] = {}  # per claimant, (runs, scale grid), as the rows come in
    claimant_marginal: dict[str, np.ndarray] = {}  # per claimant, its scale integrated out, (runs,)
    projected = np.zeros((rows_total, drawn))  # each row's projected value, filled stage by stage
    marginal = np.zeros(drawn)
    ancestor = np.arange(drawn)
    smallest = float(drawn)
    for number, rows in enumerate(stages):
        if stop is not None and stop():
            raise montecarlo.Stopped
        month = int(months[rows].max())
        projected[rows] = _project_rows(scenario, evidence, values, drift, month, rows, stop)
        # Claimant by claimant, and only for the runs still possible: a run that breaks a bound
        # is out (likelihood 0), whatever the other claimants say; most runs go out early.
        alive = np.flatnonzero(np.isfinite(log_weight))
        for claimant, mine in _by_claimant(evidence, rows).items():
            (block,) = evidence.scale_loglik(projected[mine][:, alive], mine).values()
            if claimant in likelihood:
                block = likelihood[claimant][alive] + block
            if claimant in coming[number]:  # kept only for a claimant with rows in the months to come
                likelihood.setdefault(claimant, np.zeros((drawn, SCALE_POINTS)))[alive] = block
            found = marginalise(block)
            claimant_marginal.setdefault(claimant, np.zeros(drawn))
            claimant_marginal[claimant][alive] = found
            alive = alive[np.isfinite(found)]
        total = np.full(drawn, -np.inf)
        total[alive] = sum((m[alive] for m in claimant_marginal.values()), np.zeros(len(alive)))
        with np.errstate(invalid="ignore"):  # -inf - -inf: a run already ruled out stays out
            log_weight += np.where(np.isneginf(total), -np.inf, total - marginal)
        marginal = total
        if not np.isfinite(log_weight).any():
            raise ScenarioError(_unmet(evidence, projected, rows))
        weights = _normalised(log_weight)
        ess = 1.0 / float(np.sum(weights**2))
        smallest = min(smallest, ess)
        if ess < RESAMPLE_BELOW * drawn and number < len(stages) - 1:
            chosen = systematic(rng, weights, drawn)
            values = {key: v[chosen] for key, v in values.items()}
            drift = {key: _continued(block, chosen, month) for key, block in drift.items()}
            likelihood = {
                claimant: block[chosen] for claimant, block in likelihood.items() if claimant in coming[number]
            }
            claimant_marginal = {claimant: m[chosen] for claimant, m in claimant_marginal.items()}
            projected = projected[:, chosen]
            marginal = marginal[chosen]
            ancestor = ancestor[chosen]
            log_weight = np.zeros(drawn)
    weights = _normalised(log_weight)
    # The evidence weighs the runs by every row itself: it takes the runs' weights before any,
    # the final weights over each run's likelihood (exactly the posterior of each scale).
    with np.errstate(invalid="ignore"):
        before = np.where(np.isneginf(log_weight), -np.inf, log_weight - marginal)
    # Runs of negligible weight (most of them when the observations say much) change no estimate.
    weighty = np.flatnonzero(weights > weights.max() * NEGLIGIBLE)
    scales = evidence.scale_posterior(projected[:, weighty], _normalised(before[weighty])) if with_scales else {}
    # Every run as likely as every other, and as many as asked: all of them, as drawn.
    unweighted = drawn == asked and np.ptp(log_weight) == 0
    chosen = np.arange(drawn) if unweighted else systematic(rng, weights, asked)
    return _Filtered(
        {key: v[chosen] for key, v in values.items()},
        _kept(scenario, {key: np.ascontiguousarray(block[:, chosen]) for key, block in drift.items()}),
        min(smallest, ancestral_ess(weights, ancestor)),
        scales,
    )


def ancestral_ess(weights: np.ndarray, ancestor: np.ndarray) -> float:
    """The effective sample size of the runs as drawn: each drawn run weighs what its descendants weigh.

    Resampling copies runs, and the copies' weights at the end can each look fine while they
    all share one drawn run's starting values: the starting values rest on the drawn runs, so
    the effective sample size counts those, with every descendant's weight added to its
    ancestor's. Without resampling it is the usual 1 / sum(w^2); it is never more than the
    number of drawn runs that still have descendants.
    """
    mass = np.bincount(ancestor, weights=weights)
    return float(1.0 / np.sum(mass * mass))


def _by_claimant(evidence: Evidence, rows: np.ndarray) -> dict[str, list[int]]:
    """``rows`` grouped by claimant, in order of first appearance."""
    out: dict[str, list[int]] = {}
    for row in rows.tolist():
        out.setdefault(evidence.observations[row].claimant, []).append(row)
    return out


def _project_rows(
    scenario: Scenario,
    evidence: Evidence,
    values: Mapping[str, np.ndarray],
    drift: Mapping[str, np.ndarray],
    month: int,
    rows: np.ndarray,
    stop: Callable[[], bool] | None,
) -> np.ndarray:
    """The projected values of observation ``rows`` (dated ``month`` or earlier), (rows, runs).

    Only the months up to ``month`` are projected, a chunk of runs at a time (``stop`` asked
    before each), and of each chunk only North Korea's shipments are read.
    """
    runs = len(next(iter(values.values())))
    prefix = scenario.with_horizon(months=month + 1)
    size = montecarlo.chunk_runs(montecarlo.DEFAULT_CHUNK, month + 1)
    out = np.empty((len(rows), runs))
    for start in range(0, runs, size):
        if stop is not None and stop():
            raise montecarlo.Stopped
        end = min(start + size, runs)
        batch = project_batch(
            prefix,
            {key: v[start:end] for key, v in values.items()},
            end - start,
            drift={key: block[: month + 1, start:end] for key, block in drift.items()} or None,
        )
        shipped = (batch["containers_shipped"].T, batch["rounds_shipped"].T)  # (months, runs), as the evidence takes
        out[:, start:end] = evidence.projected(*shipped, rows=rows.tolist())
    return out


def _normalised(log_weight: np.ndarray) -> np.ndarray:
    """Weights summing to 1 from log-weights (-inf: weight 0)."""
    top = log_weight.max()
    weights: np.ndarray = np.exp(log_weight - top)
    weights /= weights.sum()
    return weights


def systematic(rng: np.random.Generator, weights: np.ndarray, count: int) -> np.ndarray:
    """``count`` run indices drawn in proportion to ``weights`` (summing to 1), systematically.

    One uniform offset and ``count`` evenly spaced points through the cumulative weights: a
    run of weight w is chosen floor(w count) or ceil(w count) times, the least noisy way to
    resample.
    """
    positions = (rng.random() + np.arange(count)) / count
    cumulative = np.cumsum(weights)
    cumulative[-1] = 1.0  # rounding must not leave the last points beyond the end
    chosen: np.ndarray = np.searchsorted(cumulative, positions, side="right")
    np.minimum(chosen, len(weights) - 1, out=chosen)
    return chosen


def _continued(block: np.ndarray, chosen: np.ndarray, month: int) -> np.ndarray:
    """Drift multipliers after resampling at ``month``: the parent's path up to it, the run's own steps after.

    From ``month`` on a run's path is its parent's multiplier at ``month`` times the run's own
    growth since ``month``, so each copy of a parent goes its own way from there.
    """
    out = block[:, chosen]
    if month + 1 < len(block):
        own = block[month + 1 :] / block[month]
        out[month + 1 :] = out[month] * own
    return out


def _kept(scenario: Scenario, past: dict[str, np.ndarray]) -> KeptDrift | None:
    """The kept runs' drift (None when nothing drifts), its observed months read-only."""
    for block in past.values():
        block.flags.writeable = False
    return KeptDrift(scenario, MappingProxyType(past)) if past else None


def _unmet(evidence: Evidence, projected: np.ndarray, rows: np.ndarray) -> list[str]:
    """Why no run is left: the observations no run meets alone, or else the month's together."""
    alone = [
        row
        for row in rows.tolist()
        if all(np.isneginf(block).all() for block in evidence.scale_loglik(projected, [row]).values())
    ]
    named = alone or rows.tolist()
    head = (
        "no run meets these observations, whatever the claimants' scales:"
        if alone
        else "no run meets these observations together with the earlier ones:"
    )
    return [head, *(f"  {describe(evidence.observations[row])}" for row in named)]


def describe(observation: Observation) -> str:
    """'2024-08-27 cumulative_containers more than 13,000 (South Korean Defense Intelligence Agency)'."""
    said = f"{observation.qualifier} " if observation.qualifier else ""
    high = f" to {format_number(observation.high)}" if observation.high is not None else ""
    who = f" ({observation.claimant})" if observation.claimant else ""
    return f"{observation.day.isoformat()} {observation.metric} {said}{format_number(observation.value)}{high}{who}"
