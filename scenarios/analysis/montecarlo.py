"""Monte Carlo runs of a scenario: draw the uncertain parameters, project every run, summarise.

:func:`draw` gives every parameter one value per run from the scenario's uncertainty
settings (``scenario.uncertainty``); :func:`simulate` projects the runs with the batch
engine (:func:`ammoflow.scenarios.engine.batch.project_batch`) a chunk at a time and keeps only what the
charts and key figures need, as a :class:`Simulation`.

Memory stays bounded at every size the program accepts (100,000 runs of 240 months): chunks
are sized by runs times months, and asked for percentiles only (``qs``), a simulation keeps
the (months, runs) blocks of as many columns at a time as :data:`KEPT_BYTES` holds, projecting
the runs again for the next columns rather than holding every column at once. Per-month
percentiles cannot be merged from chunks' percentiles, but a column's block can be sorted and
read exactly, so the bands are the same numbers whatever the chunk size or the number of passes.
:func:`run_frames` hands every run's rows out a piece at a time, for writing them to a file.

Draws are starting values. A change over time in the scenario still applies to every run
from its month on (the batch engine's rule), so a parameter that changes is uncertain
only before its first change, unless it drifts: :func:`draw_drift` gives each drifting
parameter (``scenario.uncertainty.drift``) a month-by-month multiplier per run, a random
walk on top of its planned path (docs/model.md, Drift), drawn a chunk of runs at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, wait
from datetime import date
from types import MappingProxyType

import attrs
import numpy as np
import polars as pl

from ammoflow.scenarios.analysis.kept_memory import KEPT
from ammoflow.scenarios.analysis.percentiles import (
    SharedColumns,
    column_bands,
    every_month,
    helper_pool,
    month_percentiles,
    same_every_month,
)
from ammoflow.scenarios.engine.batch import long_frame, project_batch
from ammoflow.scenarios.engine.batch_figures import NEVER, run_figures
from ammoflow.scenarios.engine.batch_months import BlockPool, project_by_months, window_months
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.columns import CHARTED, NUMBER_COLUMNS
from ammoflow.scenarios.model.figures import BY_KEY as FIGURES_BY_KEY
from ammoflow.scenarios.model.figures import FIGURE_KEYS
from ammoflow.scenarios.model.months import month_of, parse_month
from ammoflow.scenarios.model.scenario import Scenario

# The output columns the charts draw: what a simulation keeps unless told otherwise.
CHART_COLUMNS: tuple[str, ...] = CHARTED
OUTPUT_COLUMNS: tuple[str, ...] = NUMBER_COLUMNS  # every output column but "month"
QUANTILES: tuple[float, ...] = (5, 25, 50, 75, 95)
MONTH_FIGURES: tuple[str, ...] = tuple(key for key in FIGURE_KEYS if FIGURES_BY_KEY[key].kind == "month")
DEFAULT_CHUNK = 20_000
# A chunk's runs times months: DEFAULT_CHUNK at the baseline's 48 months, fewer runs when months
# are more, so a chunk's blocks (and two threads' worth of them) stay the same size.
CHUNK_VALUES = DEFAULT_CHUNK * 48
# The kept (months, runs) float64 blocks of one projection pass when only percentiles are wanted:
# nine chart columns of 100,000 runs x 48 months fit in one pass; at 240 months, two columns do.
KEPT_BYTES = 400 * 2**20
FRAME_ROWS = 100_000  # rows of each piece run_frames hands out
# From this many runs a simulation's work is shared with the second thread; fewer are quicker on one,
# with no copies and no handing over (measured at 1,000 runs: 4.4 ms on one thread, 4.9 ms on two
# taking 6.2 ms of processor time; at 2,000 alike; at 5,000 two threads take 11.4 ms against 15.5).
TWO_THREADS_FROM = 2_000
# From this many runs the parameters are drawn on two threads, each from its own stream, so the draws
# are the same either way (measured: 100,000 runs take 10 ms instead of 17; 10,000 gain nothing).
PARALLEL_DRAW = 20_000
# Drift is drawn from one stream per parameter and block of this many runs, so a run's path does
# not depend on how the runs are split into chunks; a chunk draws only the blocks it overlaps.
DRIFT_BLOCK = 1_000
_DRIFT_STREAM = 0x64726966  # tags drift's streams apart from draw()'s, which are spawned from the same seed

# Where a simulation's drift multipliers come from: (first run, runs) -> {key: (months, runs) block}.
DriftSource = Callable[[int, int], Mapping[str, np.ndarray]]


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
    if runs >= PARALLEL_DRAW and len(wanted) > 1:  # the parameters shared between two threads
        half = len(wanted) // 2
        other = helper_pool().submit(_draw_each, scenario, runs, wanted[half:], streams)
        try:
            drawn = _draw_each(scenario, runs, wanted[:half], streams)
        finally:
            drawn |= other.result()
        return {key: drawn[key] for key in wanted}
    return _draw_each(scenario, runs, wanted, streams)


def _draw_each(
    scenario: Scenario, runs: int, wanted: Sequence[str], streams: Sequence[np.random.Generator]
) -> dict[str, np.ndarray]:
    """:func:`draw` of the parameters ``wanted``, each from its own stream."""
    settings = scenario.uncertainty
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


def draw_drift(
    scenario: Scenario, first_run: int, runs: int, *, keys: Iterable[str] | None = None
) -> dict[str, np.ndarray]:
    """Each drifting parameter's multipliers for runs ``first_run`` to ``first_run + runs - 1``.

    A (months, runs) block per parameter in ``scenario.uncertainty.drift`` (or only ``keys``
    of them): m_0 = 1 in the first month, then log m_t = log m_{t-1} + sigma z_t - sigma^2/2
    with sigma the monthly volatility (percent / 100) and z_t standard normal
    (docs/model.md, Drift). :func:`ammoflow.scenarios.engine.batch.project_batch` multiplies
    the planned path by it and clips the product into the slider range.

    Run ``r``'s path is the same whichever ``first_run`` and ``runs`` ask for it: the normals
    come from one stream per parameter and block of :data:`DRIFT_BLOCK` runs, seeded from
    ``scenario.uncertainty.seed`` and laid out month by month, so a longer horizon keeps the
    early months' paths too.
    """
    if first_run < 0 or runs < 0:
        raise ValueError(f"runs {first_run} to {first_run + runs - 1} do not exist")
    volatilities = scenario.uncertainty.volatilities()
    wanted = tuple(volatilities) if keys is None else tuple(keys)
    months = scenario.months
    out: dict[str, np.ndarray] = {}
    for key in wanted:
        if key not in volatilities:
            raise KeyError(registry.unknown_key_message("drifting parameter", key, tuple(volatilities)))
        sigma = volatilities[key] / 100
        block = np.empty((months, runs))
        block[0] = 0.0
        index = registry.KEYS.index(key)
        end = first_run + runs
        for number in range(first_run // DRIFT_BLOCK, -(-end // DRIFT_BLOCK)):
            seed = np.random.SeedSequence(scenario.uncertainty.seed, spawn_key=(_DRIFT_STREAM, index, number))
            normals = np.random.default_rng(seed).standard_normal((months - 1, DRIFT_BLOCK))
            lo, hi = max(first_run, number * DRIFT_BLOCK), min(end, (number + 1) * DRIFT_BLOCK)
            block[1:, lo - first_run : hi - first_run] = normals[
                :, lo - number * DRIFT_BLOCK : hi - number * DRIFT_BLOCK
            ]
        steps = block[1:]
        np.multiply(steps, sigma, out=steps)
        np.subtract(steps, sigma * sigma / 2, out=steps)
        for t in range(1, months):  # the running total row by row: contiguous rows, faster than cumsum(axis=0)
            np.add(block[t - 1], block[t], out=block[t])
        out[key] = np.exp(block, out=block)
        block.flags.writeable = False  # so the batch engine takes it without a copy
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
    as :func:`ammoflow.scenarios.engine.batch_figures.run_figures` gives them (month figures as month
    indices, NEVER = -1 when not reached within the horizon). ``bands``: for a simulation
    asked for percentiles only, each column's percentiles ``qs`` month by month, a
    (len(qs), months) array; its ``columns`` are then empty.
    """

    scenario: Scenario
    runs: int
    draws: Mapping[str, np.ndarray]
    columns: Mapping[str, np.ndarray]
    figures: Mapping[str, np.ndarray]
    bands: Mapping[str, np.ndarray] = attrs.field(factory=dict)
    qs: tuple[float, ...] = ()
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
        names = [*self.columns, *self.bands] if columns is None else list(columns)
        for name in names:
            self._column(name)
        wanted = _checked(qs)
        out: dict[str, dict[float, np.ndarray]] = {}
        for name in names:
            if name in self.bands:
                missing = [q for q in wanted if q not in self.qs]
                if missing:
                    raise ValueError(f"this simulation kept only the percentiles {list(self.qs)}, not {missing}")
                table = self.bands[name][[self.qs.index(q) for q in wanted]]
                table.flags.writeable = False  # as cached tables are
                out[name] = dict(zip(qs, table, strict=True))
                continue
            cached = self._cache.get((name, wanted))
            if cached is None:
                cached = month_percentiles(self.columns[name].T, wanted)
                cached.flags.writeable = False
                self._cache[name, wanted] = cached
            out[name] = dict(zip(qs, cached, strict=True))
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
        :func:`ammoflow.scenarios.engine.batch_figures.months_until`.
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
            if self.bands:
                raise ValueError("this simulation kept percentiles only; run_frames() gives every run's rows")
            return long_frame(self.months, self.runs, self.columns)
        months = self.scenario.months
        labels = pl.Series("month", self.months, dtype=pl.String)
        table = self.percentile_table(None, qs)
        names = [*self.columns, *self.bands]
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

    def _column(self, name: str) -> None:
        if name not in self.columns and name not in self.bands:
            kept = (*self.columns, *self.bands)
            raise KeyError(registry.unknown_key_message("kept column", name, kept))


def _checked(qs: Sequence[float]) -> tuple[float, ...]:
    wanted = tuple(float(q) for q in qs)
    if any(not 0 <= q <= 100 for q in wanted):
        raise ValueError(f"percentiles must lie from 0 to 100, not {list(qs)}")
    return wanted


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
    qs: Sequence[float] | None = None,
    memory: int = KEPT_BYTES,
    drift: DriftSource | None = None,
    as_of: int | None = None,
    figures: bool = True,
) -> Simulation:
    """Draw ``runs`` variants of ``scenario`` (see :func:`draw`) and project them all.

    ``stop`` is asked before each chunk (or column); when it answers True the run ends with
    :class:`Stopped` (an explorer whose user moved on drops a run it no longer needs).
    ``progress`` is told ``(projections so far, projections in all)`` after each chunk, from
    whichever thread projected it (each run once, or once a pass when there are several).

    Runs are projected ``chunk`` at a time (fewer when months are many: see
    :data:`CHUNK_VALUES`), and of each chunk only the output ``columns`` (default
    :data:`CHART_COLUMNS`) and the key figures are kept, so memory grows with the kept
    columns rather than with all of docs/model.md's. ``draws`` projects given per-run values
    instead of drawing (``runs`` is then their length).

    Drifting parameters take their multipliers from ``drift(first run, runs)``, by default
    :func:`draw_drift` of the scenario; a caller that resampled runs gives its own.

    With ``qs``, only those percentiles of each column are kept (:attr:`Simulation.bands`),
    and the columns' blocks are held at most ``memory`` bytes' worth at a time: the runs are
    projected once for every group of columns that fits (the key figures on the first pass).

    ``as_of`` is the absolute month (:func:`ammoflow.scenarios.model.months.parse_month`) the
    "as of" key figures are read at, as for :func:`ammoflow.scenarios.model.figures.key_figures`
    (today's when None): a caller with a present of its own (the explorer's, a test's) passes it.
    ``figures=False`` leaves the key figures out (:attr:`Simulation.figures` is then empty): a
    sweep writes the columns' percentiles only, and the figures cost a tenth of the run.
    """
    kept = CHART_COLUMNS if columns is None else tuple(dict.fromkeys(columns))
    for name in kept:
        if name not in OUTPUT_COLUMNS:
            raise KeyError(registry.unknown_key_message("output column", name, OUTPUT_COLUMNS))
    if isinstance(chunk, bool) or not isinstance(chunk, (int, np.integer)) or chunk < 1:
        raise ValueError(f"chunk must be a whole number of 1 or more, not {chunk!r}")
    wanted = None if qs is None else _checked(qs)
    values, total = _starting_values(scenario, runs, draws)
    if stop is not None and stop():
        raise Stopped
    size = chunk_runs(chunk, scenario.months)
    source = _drift_source(scenario, drift)
    as_of = month_of(date.today()) if as_of is None else as_of  # one present for every chunk
    bands: dict[str, np.ndarray] = {}
    with_figures = figures
    if wanted is None:
        blocks, found = _project(
            scenario, values, source, total, kept, size, stop, progress, figures=with_figures, as_of=as_of
        )
    else:
        column_bytes = scenario.months * total * np.dtype(np.float64).itemsize
        per_pass = max(1, memory // column_bytes)
        groups = [kept[i : i + per_pass] for i in range(0, len(kept), per_pass)] or [()]
        found = {}
        if not with_figures and TWO_THREADS_FROM <= total <= size and kept:  # a sweep: months read as made
            groups = []
            bands.update(_project_months(scenario, values, source, total, kept, wanted, stop, progress))
        for number, group in enumerate(groups):
            told = _pass_progress(progress, number, len(groups), total)
            with_made = with_figures and number == 0
            if TWO_THREADS_FROM <= total <= size:  # one chunk: its columns read while the rest is worked out
                made_bands, made = _project_bands(
                    scenario, values, source, total, group, wanted, stop, told, with_made, as_of
                )
                bands.update(made_bands)
            else:  # chunks into kept blocks, their memory used again; or a few runs, on one thread
                blocks, made = _project(
                    scenario, values, source, total, group, size, stop, told, figures=with_made, as_of=as_of
                )
                chunked = total > size
                bands.update(
                    column_bands(blocks, wanted, scenario.months, KEPT.give if chunked else None, parallel=chunked)
                )
            found = made if number == 0 else found
        blocks = {}
    for array in (*values.values(), *blocks.values(), *found.values(), *bands.values()):
        array.flags.writeable = False
    return Simulation(
        scenario=scenario,
        runs=total,
        draws=MappingProxyType(values),
        columns=MappingProxyType({name: every_month(block, scenario.months).T for name, block in blocks.items()}),
        figures=MappingProxyType(found),
        bands=MappingProxyType(bands),
        qs=wanted or (),
    )


def _drift_source(scenario: Scenario, drift: DriftSource | None) -> DriftSource:
    """``drift``, or the scenario's own multipliers (:func:`draw_drift`)."""
    if drift is not None:
        return drift
    return lambda first_run, runs: draw_drift(scenario, first_run, runs)


def chunk_runs(chunk: int, months: int) -> int:
    """Runs a chunk holds: at most ``chunk``, and at most :data:`CHUNK_VALUES` runs x months."""
    return max(1, min(int(chunk), CHUNK_VALUES // months))


def even_chunks(total: int, chunk: int) -> int:
    """Runs a chunk of ``total`` holds: at most ``chunk``, the chunks as near equal as can be, and as
    many as two threads share evenly (the fewest even number that ``chunk`` allows).

    100,000 runs in five chunks of 20,000 keep one thread busy with the fifth while the other
    waits; six of 16,667 do not.
    """
    pairs = -(-total // (2 * chunk))
    return -(-total // (2 * pairs))


def _pass_progress(
    progress: Callable[[int, int], None] | None, number: int, passes: int, total: int
) -> Callable[[int, int], None] | None:
    """Progress within pass ``number`` told as progress over all ``passes``."""
    if progress is None:
        return None
    return lambda done, _: progress(number * total + done, passes * total)


def _starting_values(
    scenario: Scenario, runs: int | None, draws: Mapping[str, np.ndarray] | None
) -> tuple[dict[str, np.ndarray], int]:
    """Each run's starting values (drawn, or copies of ``draws``) and how many runs there are."""
    if draws is None:
        values = draw(scenario, runs)
    else:
        values = {key: np.array(v, dtype=np.float64).reshape(-1) for key, v in draws.items()}  # a copy: made read-only
    lengths = {len(v) for v in values.values()}
    if len(lengths) > 1 or (runs is not None and lengths - {runs}):
        raise ValueError("draws need one value per run for every parameter, all of one length")
    return values, int(lengths.pop() if lengths else (runs or scenario.uncertainty.runs))


def _project(
    scenario: Scenario,
    values: Mapping[str, np.ndarray],
    drift: DriftSource,
    total: int,
    kept: Sequence[str],
    chunk: int,
    stop: Callable[[], bool] | None,
    progress: Callable[[int, int], None] | None,
    *,
    figures: bool = True,
    as_of: int | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The kept columns as (months, total) blocks, and (if asked for) the key figures per run, read as of ``as_of``."""
    if total > chunk:
        return _in_chunks(scenario, values, drift, total, kept, chunk, stop, progress, figures, as_of)
    batch = project_batch(scenario, values, total, drift=drift(0, total))
    for name in kept:  # made before the figures, as chunks make them: a figure sums a made column's block
        batch.columns[name]
    found = run_figures(batch, as_of) if figures else {}
    blocks = batch.columns.hand_over(kept)  # one chunk: keep the batch's own blocks, no copy
    del batch
    if progress is not None:
        progress(total, total)
    return blocks, found


def _project_bands(
    scenario: Scenario,
    values: Mapping[str, np.ndarray],
    drift: DriftSource,
    total: int,
    kept: Sequence[str],
    qs: Sequence[float],
    stop: Callable[[], bool] | None,
    progress: Callable[[int, int], None] | None,
    figures: bool,
    as_of: int | None,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The kept columns' percentiles and (if asked for) the key figures of runs projected as one chunk.

    Each column is handed to the helper thread as soon as it is made, to be copied and sorted
    there while this thread works out the next columns and the key figures; then both threads
    take the columns left. The copy is what lets the batch go on reading a column after it is
    handed over (later columns and the figures are worked out from earlier ones); a column
    nothing else reads (``Columns.release``, when no figure is wanted) and the columns still
    waiting once the batch is done with are put in order where they lie, with no copy.
    """
    batch = project_batch(scenario, values, total, drift=drift(0, total))
    shared = SharedColumns(qs, scenario.months)
    other = helper_pool().submit(shared.work, True)
    try:
        for name in kept:
            if stop is not None and stop():
                raise Stopped
            released = None if figures else batch.columns.release(name)  # the figures may read any column
            if released is None:
                shared.put(name, batch.columns[name].T)
            else:
                shared.put(name, released, own=True)
                shared.work(False, leave=2)  # columns released are read as they come, their memory used again
        found = run_figures(batch, as_of) if figures else {}
        shared.take_over(batch.columns.hand_over)
        del batch
        shared.close()
        shared.work(False)
    except BaseException:
        shared.close(drop=True)  # the helper stops after the column it holds
        wait([other])
        raise
    other.result()
    if progress is not None:
        progress(total, total)
    return {name: shared.out[name] for name in kept}, found


def _project_months(
    scenario: Scenario,
    values: Mapping[str, np.ndarray],
    drift: DriftSource,
    total: int,
    kept: Sequence[str],
    qs: Sequence[float],
    stop: Callable[[], bool] | None,
    progress: Callable[[int, int], None] | None,
) -> dict[str, np.ndarray]:
    """The kept columns' percentiles, of runs projected as one chunk a window of months at a time.

    For a simulation that wants the percentiles only (a sweep: no key figure reads the whole
    columns). :func:`ammoflow.scenarios.engine.batch_months.project_by_months` hands out each
    window's columns as they are made; the helper thread puts them in order and reads their
    percentiles while this thread works out the next (and takes one itself whenever more than
    a couple wait), and each block read is given back to be made again in the next window. The
    memory touched is a few windows' blocks instead of every column's (months, runs) block:
    in a fresh process (the command line) most of the cost of the whole blocks was the first
    touch of their pages.
    """
    months = scenario.months
    pool = BlockPool(window_months(total, months), total)
    windows: list[tuple[int, SharedColumns, Future[None]]] = []
    try:
        for first, name, block in project_by_months(scenario, values, total, kept, pool, drift=drift(0, total)):
            if not windows or windows[-1][0] != first:
                if windows:
                    windows[-1][1].close()
                if stop is not None and stop():
                    raise Stopped
                shared = SharedColumns(qs, min(pool.rows, months - first), pool.give)
                windows.append((first, shared, helper_pool().submit(shared.work, True)))
            shared = windows[-1][1]
            shared.put(name, block)
            shared.work(False, leave=2)  # the blocks in hand stay few: each read is made again
        for _, shared, _ in windows:
            shared.close()
            shared.work(False)
    except BaseException:
        for _, shared, _ in windows:
            shared.close(drop=True)  # the helper stops after the column it holds
        wait([future for _, _, future in windows])
        raise
    bands = {name: np.empty((len(qs), months)) for name in kept}
    for first, shared, future in windows:
        future.result()
        for name in kept:
            bands[name][:, first : first + shared.months] = shared.out[name]
    if progress is not None:
        progress(total, total)
    return bands


def _in_chunks(
    scenario: Scenario,
    values: Mapping[str, np.ndarray],
    drift: DriftSource,
    total: int,
    kept: Sequence[str],
    chunk: int,
    stop: Callable[[], bool] | None,
    progress: Callable[[int, int], None] | None,
    with_figures: bool,
    as_of: int | None,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Project ``total`` runs ``chunk`` at a time, two chunks at once, into (months, total) blocks.

    The two threads each take the next chunk when done with one. Each chunk works its columns
    out straight in its own slice of the kept blocks (``project_batch(into=...)``: no copy of
    a chunk's columns) and writes its slice of the key figures, so the two threads never touch
    the same memory. NumPy lets go of the interpreter lock inside each operation, which on
    chunks this size is most of the time.
    """
    chunk = even_chunks(total, chunk)
    blocks = _kept_blocks(scenario, values, drift, total, kept)
    figures: dict[str, np.ndarray] = {}  # made by the first chunk done, which knows their types
    done = [0]
    lock = threading.Lock()

    def project(start: int) -> None:
        if stop is not None and stop():
            raise Stopped
        end = min(start + chunk, total)
        chunk_values = {key: v[start:end] for key, v in values.items()}
        into = {name: block[:, start:end] for name, block in blocks.items() if len(block) > 1}
        batch = project_batch(scenario, chunk_values, end - start, drift=drift(start, end - start), into=into)
        for name in kept:  # each chunk its own slice: the threads never write the same memory
            part = batch.columns[name].T
            if name not in into:  # the same every month: one row kept
                blocks[name][:, start:end] = part[:1]
        found = run_figures(batch, as_of) if with_figures else {}
        with lock:
            for key, figure in found.items():
                if key not in figures:
                    figures[key] = np.empty(total, dtype=figure.dtype)
        for key, figure in found.items():
            figures[key][start:end] = figure
        del batch  # before the next chunk's is made
        if progress is not None:
            with lock:
                done[0] += end - start
                progress(done[0], total)

    starts = iter(range(0, total, chunk))
    ended = [False]  # a chunk failed (or was stopped): no thread takes another

    def take_chunks() -> None:
        """Project the next chunk left until none is: a thread given less time takes fewer."""
        while True:
            with lock:
                start = None if ended[0] else next(starts, None)
            if start is None:
                return
            try:
                project(start)
            except BaseException:
                with lock:
                    ended[0] = True
                raise

    other = helper_pool().submit(take_chunks)
    try:
        take_chunks()
    except BaseException:
        wait([other])  # the blocks must not be written to after this returns
        raise
    other.result()  # the helper's error (or Stopped) is the simulation's
    return blocks, figures


def _kept_blocks(
    scenario: Scenario, values: Mapping[str, np.ndarray], drift: DriftSource, total: int, kept: Sequence[str]
) -> dict[str, np.ndarray]:
    """The (months, total) blocks the chunks work the kept columns out in; one row for a column the same every month.

    Which columns are the same every month (a rate that never changes) depends on the scenario's
    changes, draws and drift, not on the number of runs: a projection of the first run tells.
    """
    if not kept:  # the key figures only
        return {}
    probe = project_batch(scenario, {key: v[:1] for key, v in values.items()}, 1, drift=drift(0, 1))
    rows = {name: 1 if same_every_month(probe.columns[name].T) else scenario.months for name in kept}
    return {name: KEPT.take((rows[name], total)) for name in kept}


def run_frames(
    scenario: Scenario,
    runs: int | None = None,
    *,
    columns: Iterable[str] = OUTPUT_COLUMNS,
    draws: Mapping[str, np.ndarray] | None = None,
    rows: int = FRAME_ROWS,
    drift: DriftSource | None = None,
) -> Iterator[pl.DataFrame]:
    """Every run's rows, as ``simulate(...).to_frame(all_runs=True)`` gives them, a piece at a time.

    Each piece is a long frame (``run``, ``month``, then ``columns``) of whole runs, about
    ``rows`` rows, the pieces in run order: written one after the other they make the whole
    frame, and only one piece is ever held, however many runs there are. ``drift`` as for
    :func:`simulate`.
    """
    kept = tuple(dict.fromkeys(columns))
    for name in kept:
        if name not in OUTPUT_COLUMNS:
            raise KeyError(registry.unknown_key_message("output column", name, OUTPUT_COLUMNS))
    values, total = _starting_values(scenario, runs, draws)
    source = _drift_source(scenario, drift)
    labels = scenario.month_labels()
    step = max(1, rows // scenario.months)
    for start in range(0, total, step):
        end = min(start + step, total)
        piece = {key: v[start:end] for key, v in values.items()}
        batch = project_batch(scenario, piece, end - start, drift=source(start, end - start))
        yield long_frame(labels, end - start, {name: batch.columns[name] for name in kept}, first_run=start)
        del batch
