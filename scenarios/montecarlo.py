"""Monte Carlo runs of a scenario: draw the uncertain parameters, project every run, summarise.

:func:`draw` gives every parameter one value per run from the scenario's uncertainty
settings (``scenario.uncertainty``); :func:`simulate` projects the runs with the batch
engine (:func:`scenarios.batch.project_batch`) a chunk at a time and keeps only what the
charts and key figures need, as a :class:`Simulation`.

Draws are starting values. A change over time in the scenario still applies to every run
from its month on (the batch engine's rule), so a parameter that changes is uncertain
only before its first change.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from types import MappingProxyType

import attrs
import numpy as np
import polars as pl

from scenarios import registry
from scenarios.batch import long_frame, project_batch
from scenarios.batch_figures import NEVER, run_figures
from scenarios.engine import COLUMNS
from scenarios.figures import BY_KEY as FIGURES_BY_KEY
from scenarios.figures import FIGURE_KEYS
from scenarios.months import parse_month
from scenarios.scenario import Scenario

# The output columns the charts draw: what a simulation keeps unless told otherwise.
CHART_COLUMNS: tuple[str, ...] = (
    "cumulative_containers",
    "cumulative_rounds",
    "nk_stock",
    "ru_stock",
    "ru_fired",
    "ru_shortfall",
    "ru_demand",
    "rounds_shipped",
    "ru_arrivals",
)
OUTPUT_COLUMNS: tuple[str, ...] = COLUMNS[1:]  # every output column but "month"
QUANTILES: tuple[float, ...] = (5, 25, 50, 75, 95)
MONTH_FIGURES: tuple[str, ...] = tuple(key for key in FIGURE_KEYS if FIGURES_BY_KEY[key].kind == "month")
DEFAULT_CHUNK = 20_000


# -- drawing ---------------------------------------------------------------------------


def draw(
    scenario: Scenario,
    runs: int | None = None,
    *,
    keys: Iterable[str] | None = None,
) -> dict[str, np.ndarray]:
    """One starting value per run for every parameter (or only ``keys``), as float64 arrays.

    Each parameter is drawn from :func:`drawn_range`: the range the scenario sets for it,
    or else the registry's uncertainty range widened to take in the scenario's starting
    value.

    - ``distribution="triangular"``: triangular from low to high with the scenario's
      starting value as its mode (clipped into a range the scenario set that leaves it out).
    - ``distribution="uniform"``: uniform from low to high.

    ``sampling="random"`` draws each run's quantile independently; ``"latin-hypercube"``
    splits each parameter's quantiles into ``runs`` equal strata and puts exactly one run
    in each, the strata shuffled independently per parameter. Values come from the inverse
    CDF of the quantiles.

    A range that is a single point gives that value to every run. Whole-number parameters
    (``transit_months``) are rounded. Every value is clipped into its range and into the
    parameter's slider range, so :func:`project_batch` accepts it.

    Reproducible: each parameter has its own stream, spawned (in registry order) from
    ``np.random.default_rng(scenario.uncertainty.seed)``. The same seed gives exactly the
    same draws, and a parameter's draws do not depend on which other ``keys`` are asked for.
    ``runs`` defaults to ``scenario.uncertainty.runs``.
    """
    settings = scenario.uncertainty
    runs = settings.runs if runs is None else runs
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or runs < 1:
        raise ValueError(f"runs must be a whole number of 1 or more, not {runs!r}")
    runs = int(runs)
    wanted = registry.KEYS if keys is None else tuple(keys)
    for key in wanted:
        if key not in registry.BY_KEY:
            raise KeyError(registry.unknown_key_message("parameter", key, registry.KEYS))
    streams = np.random.default_rng(settings.seed).spawn(len(registry.KEYS))
    out: dict[str, np.ndarray] = {}
    for key in wanted:
        parameter = registry.BY_KEY[key]
        low, high = drawn_range(scenario, key)
        if high <= low:
            values = np.full(runs, low)
        else:
            rng = streams[registry.KEYS.index(key)]
            u = _quantiles(rng, runs, settings.sampling)
            if settings.distribution == "uniform":
                values = uniform_inverse_cdf(u, low, high)
            else:
                mode = min(max(float(scenario.values[key]), low), high)
                values = triangular_inverse_cdf(u, low, mode, high)
            values = np.clip(values, low, high)
        if parameter.integer:
            values = np.round(values)
        out[key] = np.clip(values, parameter.low, parameter.high)
    return out


def drawn_range(scenario: Scenario, key: str) -> tuple[float, float]:
    """The range runs draw ``key`` from.

    A range the scenario sets (``[uncertainty.ranges]``) is used as it stands: the user
    said what they believe. Otherwise it is the registry's uncertainty range, widened to
    take in the scenario's value: a user who moves a slider outside the evidence (a fire
    rate of 60,000 a day, say) asks "what if, give or take the usual doubt?", and the bands
    should surround the line they see, with that value the most likely one.
    """
    settings = scenario.uncertainty
    low, high = (float(b) for b in settings.range_of(key))
    if key in settings.ranges:
        return low, high
    value = float(scenario.values[key])
    return min(low, value), max(high, value)


def _quantiles(rng: np.random.Generator, runs: int, sampling: str) -> np.ndarray:
    """``runs`` numbers in [0, 1): independent, or one in each of ``runs`` equal strata."""
    if sampling == "latin-hypercube":
        return (rng.permutation(runs) + rng.random(runs)) / runs
    if sampling == "random":
        return rng.random(runs)
    raise ValueError(f'unknown sampling "{sampling}"')


def uniform_inverse_cdf(u: np.ndarray, low: float, high: float) -> np.ndarray:
    """The value below which a share ``u`` of a uniform distribution on [low, high] lies."""
    return low + u * (high - low)


def triangular_inverse_cdf(u: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    """The value below which a share ``u`` of a triangular(low, mode, high) distribution lies."""
    width = high - low
    below = (mode - low) / width  # the CDF at the mode
    rising = low + np.sqrt(u * width * (mode - low))
    falling = high - np.sqrt((1 - u) * width * (high - mode))
    return np.where(u < below, rising, falling)


def triangular_cdf(x: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    """The share of a triangular(low, mode, high) distribution at or below ``x``."""
    x = np.clip(x, low, high)
    width = high - low
    with np.errstate(divide="ignore", invalid="ignore"):
        rising = (x - low) ** 2 / (width * (mode - low))
        falling = 1 - (high - x) ** 2 / (width * (high - mode))
    return np.where(x <= mode, np.where(mode > low, rising, 0.0), np.where(high > mode, falling, 1.0))


# -- simulating ------------------------------------------------------------------------


@attrs.frozen(eq=False)
class Simulation:
    """The outcome of ``runs`` Monte Carlo runs of ``scenario``.

    ``draws``: each drawn parameter's value per run. ``columns``: each kept output column
    as a (runs, months) array (a transposed view of a C-ordered (months, runs) block, the
    layout the per-month percentiles sort fastest). ``figures``: every key figure per run,
    as :func:`scenarios.batch_figures.run_figures` gives them (month figures as month
    indices, NEVER = -1 when not reached within the horizon).
    """

    scenario: Scenario
    runs: int
    draws: Mapping[str, np.ndarray]
    columns: Mapping[str, np.ndarray]
    figures: Mapping[str, np.ndarray]
    _cache: dict[tuple[str, tuple[float, ...]], np.ndarray] = attrs.field(factory=dict, init=False, repr=False)

    @property
    def months(self) -> list[str]:
        return self.scenario.month_labels()

    def percentiles(self, column: str, qs: Sequence[float] = QUANTILES) -> dict[float, np.ndarray]:
        """Each percentile in ``qs`` of ``column`` across runs, month by month.

        Equal to ``np.percentile(self.columns[column], qs, axis=0)`` (the default linear
        method), computed by sorting each month's runs once. Results are cached (and so
        read-only); keys are the ``qs`` as given.
        """
        return self.percentile_table([column], qs)[column]

    def percentile_table(
        self, columns: Sequence[str] | None = None, qs: Sequence[float] = QUANTILES
    ) -> dict[str, dict[float, np.ndarray]]:
        """:meth:`percentiles` of several columns (default: every kept one)."""
        names = list(self.columns) if columns is None else list(columns)
        for name in names:
            self._column(name)
        wanted = tuple(float(q) for q in qs)
        if any(not 0 <= q <= 100 for q in wanted):
            raise ValueError(f"percentiles must lie from 0 to 100, not {list(qs)}")
        out: dict[str, dict[float, np.ndarray]] = {}
        for name in names:
            table = self._cache.get((name, wanted))
            if table is None:
                table = month_percentiles(self.columns[name].T, wanted)
                table.flags.writeable = False
                self._cache[name, wanted] = table
            out[name] = dict(zip(qs, table, strict=True))
        return out

    def probability_before(self, figure_key: str, month: str) -> float:
        """The share of runs in which a month figure happens before ``month`` (YYYY-MM).

        For ``first_shortfall_month`` and ``nk_reserve_month``. A run in which it never
        happens within the horizon counts as not before.
        """
        if figure_key not in MONTH_FIGURES:
            raise KeyError(registry.unknown_key_message("month figure", figure_key, MONTH_FIGURES))
        limit = parse_month(month) - self.scenario.start_index
        index = self.figures[figure_key]
        return float(np.count_nonzero((index != NEVER) & (index < limit)) / self.runs)

    def figure_percentiles(self, key: str, qs: Sequence[float] = QUANTILES) -> dict[float, float]:
        """Percentiles across runs of a numeric key figure.

        Runs where the figure is undefined (NaN: North Korea's share of supply when there
        was no new supply at all) are left out; NaN when no run has it. Month figures are
        not numbers: ask :meth:`probability_before`, or turn them into months with
        :func:`scenarios.batch_figures.months_until`.
        """
        if key not in FIGURE_KEYS:
            raise KeyError(registry.unknown_key_message("key figure", key, FIGURE_KEYS))
        if key in MONTH_FIGURES:
            raise ValueError(f"{key} is a month; ask probability_before() for it")
        values = self.figures[key]
        defined = values[~np.isnan(values)]
        if defined.size == 0:
            return {q: float("nan") for q in qs}
        found = np.percentile(defined, np.asarray(qs, dtype=np.float64))
        return {q: float(v) for q, v in zip(qs, found, strict=True)}

    def to_frame(self, all_runs: bool = False, *, qs: Sequence[float] = QUANTILES) -> pl.DataFrame:
        """The kept columns as a long frame.

        By default the percentiles: a row per column and month, columns ``month``,
        ``column``, ``p5``, ``p25``, ``p50``, ``p75``, ``p95`` (one ``p<q>`` per ``qs``),
        column by column in the order kept. With ``all_runs``, every run's rows instead:
        ``run``, ``month`` and the kept columns, run by run (for writing a sweep out).
        """
        if all_runs:
            return long_frame(self.months, self.runs, self.columns)
        months = self.scenario.months
        labels = pl.Series("month", self.months, dtype=pl.String)
        table = self.percentile_table(None, qs)
        names = list(self.columns)
        frame: dict[str, pl.Series | np.ndarray | list[str]] = {
            "month": labels.gather(np.tile(np.arange(months), len(names))),
            "column": pl.Series("column", np.repeat(names, months), dtype=pl.String),
        }
        for q in qs:
            frame[f"p{float(q):g}"] = np.concatenate([table[name][q] for name in names])
        return pl.DataFrame(frame)

    def runs_frame(self) -> pl.DataFrame:
        """A row per run: ``run``, each drawn parameter, then each key figure.

        Month figures are given as YYYY-MM, null when not reached within the horizon.
        """
        data: dict[str, np.ndarray | pl.Series] = {"run": np.arange(self.runs, dtype=np.int32)}
        data.update(self.draws)
        labels = self.months
        for key, values in self.figures.items():
            if key in MONTH_FIGURES:
                named = [labels[i] if i != NEVER else None for i in values.tolist()]
                data[key] = pl.Series(key, named, dtype=pl.String)
            else:
                data[key] = values
        return pl.DataFrame(data)

    def _column(self, name: str) -> np.ndarray:
        try:
            return self.columns[name]
        except KeyError:
            raise KeyError(registry.unknown_key_message("kept column", name, tuple(self.columns))) from None


class Stopped(Exception):
    """A simulation ended early because its caller no longer needed it."""


def simulate(
    scenario: Scenario,
    runs: int | None = None,
    *,
    columns: Iterable[str] | None = None,
    chunk: int = DEFAULT_CHUNK,
    draws: Mapping[str, np.ndarray] | None = None,
    stop: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Simulation:
    """Draw ``runs`` variants of ``scenario`` (see :func:`draw`) and project them all.

    ``stop`` is asked before each chunk; when it answers True the run ends with
    :class:`Stopped` (an explorer whose user moved on drops a run it no longer needs).
    ``progress`` is told ``(runs projected so far, runs in all)`` after each chunk, from
    whichever thread projected it.

    Runs are projected ``chunk`` at a time, and of each chunk only the output ``columns``
    (default :data:`CHART_COLUMNS`) and the key figures are kept, so memory grows with the
    kept columns rather than with all of MODEL.md's. ``draws`` projects given per-run
    values instead of drawing (``runs`` is then their length).
    """
    kept = CHART_COLUMNS if columns is None else tuple(dict.fromkeys(columns))
    for name in kept:
        if name not in OUTPUT_COLUMNS:
            raise KeyError(registry.unknown_key_message("output column", name, OUTPUT_COLUMNS))
    if isinstance(chunk, bool) or not isinstance(chunk, (int, np.integer)) or chunk < 1:
        raise ValueError(f"chunk must be a whole number of 1 or more, not {chunk!r}")
    if draws is None:
        values = draw(scenario, runs)
    else:
        values = {key: np.array(v, dtype=np.float64).reshape(-1) for key, v in draws.items()}  # a copy: made read-only
    lengths = {len(v) for v in values.values()}
    if len(lengths) > 1 or (runs is not None and lengths - {runs}):
        raise ValueError("draws need one value per run for every parameter, all of one length")
    total = int(lengths.pop() if lengths else (runs or scenario.uncertainty.runs))
    if stop is not None and stop():
        raise Stopped
    if total <= chunk:  # one chunk: keep the batch's own blocks, no copy
        batch = project_batch(scenario, values, total)
        blocks = {name: np.ascontiguousarray(batch.columns[name].T) for name in kept}
        figures = run_figures(batch)
        del batch
        if progress is not None:
            progress(total, total)
    else:
        blocks, figures = _in_chunks(scenario, values, total, kept, chunk, stop, progress)
    for array in (*values.values(), *blocks.values(), *figures.values()):
        array.flags.writeable = False
    return Simulation(
        scenario=scenario,
        runs=total,
        draws=MappingProxyType(values),
        columns=MappingProxyType({name: block.T for name, block in blocks.items()}),
        figures=MappingProxyType(figures),
    )


def _in_chunks(
    scenario: Scenario,
    values: Mapping[str, np.ndarray],
    total: int,
    kept: Sequence[str],
    chunk: int,
    stop: Callable[[], bool] | None,
    progress: Callable[[int, int], None] | None,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Project ``total`` runs ``chunk`` at a time, two chunks at once, into (months, total) blocks.

    Each chunk writes its own slice of the kept blocks and key figures, so the two threads
    never touch the same memory. NumPy lets go of the interpreter lock inside each
    operation, which on chunks this size is most of the time.
    """
    blocks = {name: np.empty((scenario.months, total)) for name in kept}
    figures: dict[str, np.ndarray] = {}
    done = [0]
    counting = threading.Lock()

    def project(start: int) -> None:
        if stop is not None and stop():
            raise Stopped
        end = min(start + chunk, total)
        batch = project_batch(scenario, {key: v[start:end] for key, v in values.items()}, end - start)
        for name in kept:
            blocks[name][:, start:end] = batch.columns[name].T
        for key, figure in run_figures(batch).items():
            figures.setdefault(key, np.empty(total, dtype=figure.dtype))[start:end] = figure
        if progress is not None:
            with counting:
                done[0] += end - start
                progress(done[0], total)

    project(0)  # the first chunk alone, so every figure's array exists before two threads fill them
    starts = range(chunk, total, chunk)
    pending = [_pool().submit(project, start) for start in starts[1::2]]
    try:
        for start in starts[::2]:
            project(start)
        for future in pending:
            future.result()  # a chunk's error (or Stopped) is the simulation's
    except BaseException:
        for future in pending:
            future.cancel()
        wait(pending)  # the blocks must not be written to after this returns
        raise
    return blocks, figures


_POOL: ThreadPoolExecutor | None = None


_POOL_LOCK = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    """One helper thread: with the calling thread, the two cores' worth this work is sized for.

    Work handed to it never waits on it in turn, so it cannot deadlock.
    """
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ammoflow-montecarlo")
        return _POOL


# -- percentiles -----------------------------------------------------------------------


def month_percentiles(by_month: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """Percentiles ``qs`` of each row of a (months, runs) array: a (len(qs), months) array.

    The same numbers as ``np.percentile(by_month, qs, axis=1)`` with the default linear
    method, including its rounding: NumPy partitions around several ranks, which on a
    large block is slower than sorting each row once (SIMD sort) and reading the ranks.
    A row holding NaN gives NaN, as NumPy does.
    """
    n = by_month.shape[1]
    fraction = np.asarray(qs, dtype=np.float64) / 100
    virtual = (n - 1) * fraction
    floor = np.floor(virtual)
    gamma = (virtual - floor)[:, None]
    previous = floor.astype(np.intp)
    following = previous + 1
    top = virtual >= n - 1
    previous[top] = n - 1
    following[top] = n - 1
    ordered = _sorted_rows(by_month)
    below = ordered[:, previous].T
    above = ordered[:, following].T
    step = above - below
    out = below + step * gamma
    np.subtract(above, step * (1 - gamma), out=out, where=np.broadcast_to(gamma >= 0.5, out.shape))
    out[:, np.isnan(ordered[:, -1])] = np.nan
    return out


PARALLEL_SIZE = 100_000  # below about this many values one thread sorts faster than two (measured)


def _sorted_rows(block: np.ndarray) -> np.ndarray:
    """Each row of ``block`` sorted, the rows split between two threads when there are many values.

    NumPy's sort lets go of the interpreter lock, so the two halves sort at the same time.
    """
    if block.size < PARALLEL_SIZE or block.shape[0] < 2:
        return np.sort(block, axis=1)
    out = np.empty_like(block)

    def sort(rows: slice) -> None:
        out[rows] = block[rows]
        out[rows].sort(axis=1)

    half = block.shape[0] // 2
    other = _pool().submit(sort, slice(half, None))
    sort(slice(0, half))
    other.result()
    return out
