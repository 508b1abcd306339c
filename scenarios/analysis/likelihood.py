"""How likely the observations are under each run: the one likelihood every analysis uses.

The conditioning of the bands, the fit and the backtest all ask the same question of many
runs at once: given a run's projected counts, how probable is what the claimants reported?
docs/model.md ("Observations") sets the answer out:

- bounds and ranges are hard: a value inside has likelihood 1, outside 0;
- "about" and exact figures are Gaussian in log(y / X), with the tolerance as the 90% interval;
- what a claimant reports is s_c times the true count, with log s_c ~ Normal(0, SCALE_SD);
  s_c is marginalised numerically on a fixed grid of SCALE_POINTS points over +-3 sd.

Everything is vectorised over runs. Per claimant, the hard rows reduce to the range of grid
points a run's value allows (two ``searchsorted`` calls a row), and the Gaussian rows to a
quadratic in log s (three sums a row), so a (runs, grid) block is built once per claimant,
not once per observation; bounds alone need no grid at all (the prior mass of the allowed
window). ``benchmarks/likelihood.py`` measures it: 10,000 runs x the 10 shipped observations x 21
points take about 5 ms of CPU for the marginal log-likelihood.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from statistics import NormalDist

import attrs
import numpy as np

from ammoflow.scenarios.model.figures import place, placement_problem
from ammoflow.scenarios.model.months import month_of
from ammoflow.scenarios.model.observations import DEFAULT_TOLERANCE, Observation, Verdict, check
from ammoflow.scenarios.model.scenario import Scenario

SCALE_SD = 0.25  # sd of log s_c: a claimant's counts may run some 50% high or 35% low (2 sd)
SCALE_POINTS = 21
SCALE_SPAN = 3.0  # the grid covers +-3 sd of the prior
# The 90% interval of a normal: an "about X" with tolerance t puts 90% of its mass within X/(1+t)..X(1+t).
Z90 = NormalDist().inv_cdf(0.95)

# The grid of log s_c, with its middle point exactly 0 (scale 1), and the prior's weights on it.
LOG_SCALES = SCALE_SD * SCALE_SPAN * np.arange(-(SCALE_POINTS // 2), SCALE_POINTS // 2 + 1) / (SCALE_POINTS // 2)
SCALES = np.exp(LOG_SCALES)
_PRIOR_SHAPE = -0.5 * (LOG_SCALES / SCALE_SD) ** 2  # the prior's log density, up to a constant
_PRIOR_NORM = float(np.log(np.exp(_PRIOR_SHAPE).sum()))
SCALE_PRIOR = np.exp(_PRIOR_SHAPE - _PRIOR_NORM)
LOG_SCALE_PRIOR = _PRIOR_SHAPE - _PRIOR_NORM
_STEP = float(LOG_SCALES[1] - LOG_SCALES[0])
_CHUNK = 1024
# The grid with +inf past its end, so the point after the last can be looked at.
_PADDED = np.append(LOG_SCALES, np.inf)
# By (start, stop): 0 on the grid points start..stop-1 and -inf elsewhere, and the log of the
# prior's mass there, so a window of allowed scales becomes a block, or a marginal, in one gather.
_POINTS = np.arange(SCALE_POINTS)
_STARTS = np.arange(SCALE_POINTS + 1)[:, None, None]
_STOPS = np.arange(SCALE_POINTS + 1)[None, :, None]
# Laid out (G, start, stop): blocks are built (G, runs), so a sum over the grid adds whole rows.
_WINDOW = np.where((_POINTS >= _STARTS) & (_POINTS < _STOPS), 0.0, -np.inf)
_WINDOW_FLAT = np.ascontiguousarray(_WINDOW.transpose(2, 0, 1).reshape(SCALE_POINTS, -1))
_CUMULATIVE = np.concatenate(([0.0], np.cumsum(SCALE_PRIOR)))
with np.errstate(divide="ignore"):
    _LOG_MASS = np.log(np.maximum(_CUMULATIVE[None, :] - _CUMULATIVE[:, None], 0.0))
_LOG_MASS[np.arange(SCALE_POINTS + 1)[:, None] >= np.arange(SCALE_POINTS + 1)[None, :]] = -np.inf
for _array in (_PRIOR_SHAPE, LOG_SCALES, SCALES, SCALE_PRIOR, LOG_SCALE_PRIOR, _WINDOW_FLAT, _LOG_MASS, _PADDED):
    _array.flags.writeable = False

__all__ = [
    "DEFAULT_TOLERANCE",
    "LOG_SCALES",
    "SCALES",
    "SCALE_POINTS",
    "SCALE_PRIOR",
    "SCALE_SD",
    "Evidence",
    "ScaleEstimate",
    "Verdict",
    "check",
    "marginalise",
]


@attrs.frozen
class ScaleEstimate:
    """What the data imply for one claimant's scale s_c: the posterior mean and 90% interval."""

    mean: float
    p5: float
    p95: float


def _frozen(values: Sequence[float] | Sequence[int] | Sequence[bool], dtype: type) -> np.ndarray:
    array: np.ndarray = np.array(values, dtype=dtype)
    array.flags.writeable = False
    return array


@attrs.frozen(eq=False)
class Evidence:
    """Observations placed on a scenario's months, ready to be scored against many runs.

    ``observations`` are the ones inside the horizon, in date order; row i of every array
    this class takes or gives is ``observations[i]``. ``month`` holds the index (from the
    scenario's first month) of the month each falls in: the flows up to that month decide it.
    ``claimants`` are the named claimants, in order of first appearance; an empty claimant
    has scale 1.
    """

    observations: tuple[Observation, ...]
    skipped: tuple[tuple[Observation, str], ...]
    claimants: tuple[str, ...]
    month: np.ndarray  # (observations,) int: month index of the date
    _fraction: np.ndarray  # share of that month's flow shipped by the date
    _since_month: np.ndarray  # -1: no period, or a period from before the start (counts from 0)
    _since_fraction: np.ndarray
    _rounds: np.ndarray  # bool: the metric counts rounds (else containers)
    _low: np.ndarray  # hard bounds on the reported value (-inf/inf where none)
    _high: np.ndarray
    _gaussian: np.ndarray  # bool: "about" or exact
    _centre: np.ndarray  # log X of a Gaussian row (0 elsewhere)
    _precision: np.ndarray  # 1/sd on the log scale of a Gaussian row (0 elsewhere)
    _claimant: np.ndarray  # index into claimants; -1 for an empty claimant

    @classmethod
    def prepare(cls, scenario: Scenario, observations: Sequence[Observation]) -> Evidence:
        """Place each observation on the scenario's months, as ``figures.projected_at`` does.

        A date's figure is the total to the end of the month before plus the month's flow
        spread evenly over its days. A period (``since``) subtracts the same figure at its
        start; a period starting before the projection counts from the start (the model ships
        nothing before it). Observations dated outside the horizon are ``skipped``, with why.
        """
        kept: list[Observation] = []
        skipped: list[tuple[Observation, str]] = []
        columns: dict[str, list[float]] = {
            name: []
            for name in (
                "month",
                "fraction",
                "since_month",
                "since_fraction",
                "rounds",
                "low",
                "high",
                "gaussian",
                "centre",
                "precision",
                "claimant",
            )
        }
        claimants: list[str] = []
        for observation in sorted(observations, key=lambda o: (o.day, o.metric)):
            why = placement_problem(scenario, observation)
            if why:
                skipped.append((observation, why))
                continue
            kept.append(observation)
            index, fraction = place(scenario, observation.day)
            since_index, since_fraction = -1, 0.0
            if observation.since is not None and month_of(observation.since) >= scenario.start_index:
                since_index, since_fraction = place(scenario, observation.since)
            gaussian = observation.kind in ("about", "exact")
            low, high = (-math.inf, math.inf) if gaussian else observation.bounds()
            tolerance = (observation.tolerance_used or 0.0) / 100
            if observation.claimant and observation.claimant not in claimants:
                claimants.append(observation.claimant)
            row = {
                "month": index,
                "fraction": fraction,
                "since_month": since_index,
                "since_fraction": since_fraction,
                "rounds": observation.metric == "cumulative_rounds",
                "low": low,
                "high": high,
                "gaussian": gaussian,
                "centre": math.log(observation.value) if gaussian else 0.0,
                "precision": Z90 / math.log1p(tolerance) if gaussian else 0.0,
                "claimant": claimants.index(observation.claimant) if observation.claimant else -1,
            }
            for name, value in row.items():
                columns[name].append(float(value))
        kinds = {"month": int, "since_month": int, "claimant": int, "rounds": bool, "gaussian": bool}
        arrays = [_frozen(columns[name], kinds.get(name, float)) for name in columns]
        return cls(tuple(kept), tuple(skipped), tuple(claimants), *arrays)

    def __len__(self) -> int:
        return len(self.observations)

    def projected(
        self, shipped_containers: np.ndarray, shipped_rounds: np.ndarray, rows: Sequence[int] | None = None
    ) -> np.ndarray:
        """The projected figure of each chosen observation in each run: (len(rows), runs).

        The flows are (months, runs) blocks, the batch engine's layout (a ``Batch`` column is
        (runs, months): pass its ``.T``), or (months,) for a single projection (one run). They
        may stop early (a filter projecting month by month) as long as they reach the month of
        every chosen row.
        """
        chosen = self._rows(rows)
        containers, rounds = _as_block(shipped_containers), _as_block(shipped_rounds)
        if containers.shape != rounds.shape:
            raise ValueError(f"container flows {containers.shape} and round flows {rounds.shape} differ in shape")
        runs = containers.shape[1]
        out = np.zeros((len(chosen), runs))
        if len(chosen) == 0:
            return out
        need = int(self.month[chosen].max()) + 1
        if containers.shape[0] < need:
            raise ValueError(f"the flows cover {containers.shape[0]} months; the observations need {need}")
        for rounds_metric, block in ((False, containers), (True, rounds)):
            mine = chosen[self._rounds[chosen] == rounds_metric]
            if len(mine) == 0:
                continue
            where = np.flatnonzero(self._rounds[chosen] == rounds_metric)
            last = int(self.month[mine].max()) + 1
            totals = np.zeros((last + 1, runs))
            for month in range(last):  # row by row: faster than cumsum down the month axis
                np.add(totals[month], block[month], out=totals[month + 1])
            out[where] = _at(totals, block, self.month[mine], self._fraction[mine])
            period = self._since_month[mine] >= 0
            if period.any():
                starts = mine[period]
                out[where[period]] -= _at(totals, block, self._since_month[starts], self._since_fraction[starts])
        np.maximum(out, 0.0, out=out)  # a period's count is never below 0, whatever the rounding
        return out

    def scale_loglik(self, values: np.ndarray, rows: Sequence[int] | None = None) -> dict[str, np.ndarray]:
        """Per claimant, the log-likelihood of its chosen rows at every scale grid point: (runs, G).

        ``values`` holds one row per observation of the evidence, or one per chosen row in the
        order of ``rows`` (as :meth:`projected` gives them for the same ``rows``). Only the
        claimants with a chosen row are in the answer; the empty claimant ("") has scale 1,
        so its block is the same in every column (a read-only view: copy it before writing to
        it). Blocks add across calls: a filter taking in observations month by month keeps one
        running block per claimant, and :func:`marginalise` integrates the scale out of one.
        """
        out: dict[str, np.ndarray] = {}
        for claimant, rows_of, values_of in self._by_claimant(values, rows):
            if claimant:
                out[claimant] = self._grid(rows_of, values_of, prior=False).T
            else:
                block = self._unscaled(rows_of, values_of)
                out[""] = np.broadcast_to(block, (SCALE_POINTS, block.shape[0])).T
        return out

    def loglik(self, values: np.ndarray, rows: Sequence[int] | None = None) -> np.ndarray:
        """The log-likelihood of the chosen rows in each run, each claimant's scale marginalised: (runs,).

        -inf where a run cannot meet a bound at any grid point of some claimant's scale.
        """
        total = np.zeros(self._runs(values))
        for claimant, rows_of, values_of in self._by_claimant(values, rows):
            total += self._marginal(rows_of, values_of) if claimant else self._unscaled(rows_of, values_of)
        return total

    def scale_posterior(
        self, values: np.ndarray, weights: np.ndarray | None = None, rows: Sequence[int] | None = None
    ) -> dict[str, ScaleEstimate]:
        """What the chosen rows imply for each named claimant's scale, over runs of given weight.

        ``weights`` are the runs' weights before these observations (uniform when None): the
        posterior of s_c mixes the runs in proportion to their weight and to how well they
        explain every other claimant's rows too. For one projection, pass its values alone.
        A claimant none of whose scales on the grid meets its rows is left out; when the other
        claimants' rows rule out every run, a claimant's estimate rests on its own rows alone.
        """
        runs = self._runs(values)
        groups = list(self._by_claimant(values, rows))
        if weights is None:
            log_weights = np.zeros(runs)
        else:
            weights = np.asarray(weights, dtype=np.float64).reshape(-1)
            if weights.shape != (runs,) or not np.isfinite(weights).all() or (weights < 0).any():
                raise ValueError(f"weights must be {runs} finite values of 0 or more")
            with np.errstate(divide="ignore"):
                log_weights = np.log(weights)
        marginals = {c: self._marginal(r, v) if c else self._unscaled(r, v) for c, r, v in groups}
        out: dict[str, ScaleEstimate] = {}
        for claimant, rows_of, values_of in groups:
            if not claimant:
                continue
            rest = log_weights + sum((m for c, m in marginals.items() if c != claimant), np.zeros(runs))
            if not np.isfinite(rest).any():
                # The other claimants rule out every run: say what this claimant's rows imply alone.
                rest = log_weights
            joint = self._grid(rows_of, values_of, prior=True)
            joint += rest
            posterior = _logsumexp(joint.T)
            if not np.isfinite(posterior).any():
                continue
            p = np.exp(posterior - posterior.max())
            p /= p.sum()
            out[claimant] = ScaleEstimate(
                float(p @ SCALES), float(np.exp(_quantile(p, 0.05))), float(np.exp(_quantile(p, 0.95)))
            )
        return out

    def _by_claimant(
        self, values: np.ndarray, rows: Sequence[int] | None
    ) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
        """(claimant, its chosen rows, their values) for each claimant with a chosen row, in order."""
        chosen = self._rows(rows)
        values = self._values(values, chosen)
        owners = self._claimant[chosen]
        for owner in sorted(set(owners.tolist())):
            mine = owners == owner
            yield (self.claimants[owner] if owner >= 0 else ""), chosen[mine], values[mine]

    def _runs(self, values: np.ndarray) -> int:
        shape = np.shape(values)
        return int(shape[1]) if len(shape) == 2 else 1

    def _rows(self, rows: Sequence[int] | None) -> np.ndarray:
        if rows is None:
            return np.arange(len(self.observations))
        chosen = np.asarray(rows, dtype=np.intp).reshape(-1)
        if len(chosen) and (chosen.min() < 0 or chosen.max() >= len(self.observations)):
            raise IndexError(f"rows must lie in 0..{len(self.observations) - 1}")
        return chosen

    def _values(self, values: np.ndarray, chosen: np.ndarray) -> np.ndarray:
        array = np.asarray(values, dtype=np.float64)
        if array.ndim == 1:
            array = array[:, None]
        if array.ndim != 2:
            raise ValueError("values must be (observations, runs)")
        if array.shape[0] == len(chosen):
            return array
        if array.shape[0] == len(self.observations):
            return np.asarray(array[chosen])
        raise ValueError(f"values have {array.shape[0]} rows; expected {len(chosen)} or {len(self.observations)}")

    def _unscaled(self, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Scale 1: the plain likelihood, bounds compared as they are written."""
        low, high = self._low[rows, None], self._high[rows, None]
        inside = ((values >= low) & (values <= high)).all(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            logged = np.log(np.where(values > 0, values, 1.0))
        gaussian = self._gaussian[rows, None]
        inside &= ~(gaussian & (values <= 0)).any(axis=0)
        z = (logged - self._centre[rows, None]) * self._precision[rows, None]
        quadratic = -0.5 * (z * z).sum(axis=0)
        return np.where(inside, quadratic, -np.inf)

    def _grid(self, rows: np.ndarray, values: np.ndarray, *, prior: bool) -> np.ndarray:
        """One claimant's rows at every grid point of its scale, (G, runs), the prior's log added if asked."""
        start, stop = self._window(rows, values)
        quadratic = self._quadratic(rows, values)
        if quadratic is None:
            block = _window_block(start, stop)
            if prior:
                block += LOG_SCALE_PRIOR[:, None]
            return block
        a, b, c = quadratic
        block = _sloped(b, c, start, stop, LOG_SCALE_PRIOR if prior else 0.0)
        block -= 0.5 * a
        return block

    def _marginal(self, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
        """One claimant's rows with its scale integrated out: (runs,).

        Bounds alone need no grid: the answer is the prior mass of the window they allow.
        With Gaussian rows, the largest term (needed to sum exponentials safely) comes from
        the quadratic's peak, so the sum takes one pass fewer; docs/model.md's prior is
        log s ~ N(0, SCALE_SD), whose log density adds -1/2 log s^2 / SCALE_SD^2 to c.
        """
        start, stop = self._window(rows, values)
        quadratic = self._quadratic(rows, values)
        if quadratic is None:
            return np.asarray(_LOG_MASS[start, stop])
        a, b, c = quadratic
        curvature = c + SCALE_SD**-2
        hopeless = stop <= start
        peak = np.clip(
            -b / curvature, LOG_SCALES[np.minimum(start, SCALE_POINTS - 1)], LOG_SCALES[np.maximum(stop - 1, 0)]
        )
        top = -peak * (b + 0.5 * curvature * peak)  # the quadratic's largest value on the window: no term exceeds it
        total = np.empty_like(top)
        # A few thousand runs at a time: a (G, chunk) block stays in the cache through its passes.
        for first in range(0, len(top), _CHUNK):
            part = slice(first, first + _CHUNK)
            block = _sloped(b[part], c, start[part], stop[part], _PRIOR_SHAPE)
            block -= top[part]
            np.maximum(block, -300.0, out=block)
            np.exp(block, out=block)
            block.sum(axis=0, out=total[part])
        with np.errstate(divide="ignore"):
            return np.where(hopeless, -np.inf, np.log(total) + top - 0.5 * a - _PRIOR_NORM)

    def _window(self, rows: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The grid points [start, stop) at which every row's bound holds, per run.

        A hard row allows the g with low <= s_g y <= high: consecutive points, since s_g rises
        with g; the rows together allow the overlap. A value of 0 stays 0 at every scale (its
        log, -inf, puts a low end above 0 out of reach); a Gaussian row rules it out.
        """
        runs = values.shape[1]
        start = np.zeros(runs, dtype=np.intp)
        stop = np.full(runs, SCALE_POINTS, dtype=np.intp)
        for value, row in zip(values, rows.tolist(), strict=True):
            if self._gaussian[row]:
                if not (value > 0).all():
                    start[value <= 0] = SCALE_POINTS
                continue
            low, high = float(self._low[row]), float(self._high[row])
            with np.errstate(divide="ignore"):
                logged = np.log(np.maximum(value, 0.0))
            if low > 0:
                np.maximum(start, _first_point(math.log(low) - logged, inclusive=True), out=start)
            if high < math.inf:
                np.minimum(stop, _first_point(math.log(high) - logged, inclusive=False), out=stop)
        return start, stop

    def _quadratic(self, rows: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, float] | None:
        """The Gaussian rows as a quadratic in log s: -1/2 (a + 2 b log s + c log s^2), or None.

        Each row gives -1/2 p^2 (d + log s)^2 with d = log y - log X and p its precision, so the
        rows sum to three per-run sums whatever their number.
        """
        gaussian = rows[self._gaussian[rows]]
        if len(gaussian) == 0:
            return None
        mine = values[self._gaussian[rows]]
        precision2 = (self._precision[gaussian] ** 2)[:, None]
        with np.errstate(divide="ignore"):
            offset = np.log(np.where(mine > 0, mine, 1.0)) - self._centre[gaussian, None]
        return (precision2 * offset * offset).sum(axis=0), (precision2 * offset).sum(axis=0), float(precision2.sum())


def marginalise(block: np.ndarray) -> np.ndarray:
    """A (runs, G) log-likelihood with the scale integrated out under its prior: (runs,)."""
    return _logsumexp(np.asarray(block).T + LOG_SCALE_PRIOR[:, None], in_place=True)


def _as_block(flow: np.ndarray) -> np.ndarray:
    block = np.asarray(flow, dtype=np.float64)
    if block.ndim == 1:
        return block[:, None]
    if block.ndim != 2:
        raise ValueError("flows must be (months, runs) or (months,)")
    return block


def _at(totals: np.ndarray, block: np.ndarray, month: np.ndarray, fraction: np.ndarray) -> np.ndarray:
    """Cumulative figure part-way through a month: the total before it plus a share of its flow."""
    return np.asarray(totals[month] + block[month] * fraction[:, None])


def _logsumexp(values: np.ndarray, *, in_place: bool = False) -> np.ndarray:
    """log(sum(exp(values))) down the first axis, -inf where every term is -inf.

    Terms more than 300 below the largest are taken as exp(-300): they cannot show in a
    float64 sum, and letting exp underflow to subnormals slows it several times over.
    ``in_place`` lets it use ``values`` as its scratch space.
    """
    top = values.max(axis=0)
    hopeless = ~np.isfinite(top)
    safe = np.where(hopeless, 0.0, top)
    work = values if in_place else values.copy()
    work -= safe
    np.maximum(work, -300.0, out=work)
    np.exp(work, out=work)
    total = work.sum(axis=0)
    return np.where(hopeless, -np.inf, np.log(total) + safe)


def _window_block(start: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """(G, runs): 0 on each run's allowed grid points start..stop-1, -inf elsewhere."""
    return np.asarray(np.take(_WINDOW_FLAT, start * (SCALE_POINTS + 1) + stop, axis=1))


def _sloped(b: np.ndarray, c: float, start: np.ndarray, stop: np.ndarray, offset: np.ndarray | float) -> np.ndarray:
    """(G, runs): -b log s - 1/2 c log s^2 + offset(g), -inf outside each run's window; one fresh array."""
    block: np.ndarray = np.multiply.outer(LOG_SCALES, -b)
    block += (-0.5 * c * LOG_SCALES**2 + offset)[:, None]
    if (start > 0).any() or (stop < SCALE_POINTS).any():
        block += _window_block(start, stop)
    return block


def _first_point(gap: np.ndarray, *, inclusive: bool) -> np.ndarray:
    """The first grid point g with log s_g >= gap (``inclusive``) or > gap, per run; G if none.

    As ``np.searchsorted`` on LOG_SCALES, but from the grid's even spacing, several times faster;
    the last two lines settle a gap that falls within rounding of a grid point.
    """
    position = (gap - LOG_SCALES[0]) / _STEP
    guess = np.ceil(position) if inclusive else np.floor(position) + 1
    point: np.ndarray = np.clip(guess, 0, SCALE_POINTS).astype(np.intp)
    above = _PADDED[point] >= gap if inclusive else _PADDED[point] > gap
    below = _PADDED[point - 1 + (point == 0)] >= gap if inclusive else _PADDED[point - 1 + (point == 0)] > gap
    point += ~above & (point < SCALE_POINTS)
    point -= below & (point > 0) & above
    return point


def _quantile(p: np.ndarray, q: float) -> float:
    """The q-quantile of log s under grid probabilities p, each spread evenly over its cell."""
    edges = LOG_SCALES[0] - _STEP / 2 + _STEP * np.arange(SCALE_POINTS + 1)
    cumulative = np.concatenate(([0.0], np.cumsum(p)))
    cell = int(np.clip(np.searchsorted(cumulative, q, side="left") - 1, 0, SCALE_POINTS - 1))
    mass = p[cell]
    share = (q - cumulative[cell]) / mass if mass > 0 else 0.5
    return float(edges[cell] + _STEP * min(max(share, 0.0), 1.0))
