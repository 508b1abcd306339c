"""Per-month percentiles across runs, exactly as NumPy gives them, at a fraction of NumPy's cost.

A Monte Carlo simulation keeps each output column as a (months, runs) block and wants a few
percentiles of every month (the bands). ``np.percentile`` gives the numbers this module must
give (the default linear method, rounding included), but on blocks this size it is slow:
it partitions around all the ranks at once with a generic algorithm. Here each month's runs
are put in order only as far as the percentiles need:

- a row of up to :data:`SELECT_FROM` runs is sorted (NumPy's SIMD sort);
- a longer row has only the ranks the percentiles read put in place, each found by NumPy's
  SIMD partition on the stretch of the row between two ranks already placed (:class:`RankPlan`).
  Sorting costs a little more per run the longer the row; selecting does not, and at 100,000
  runs it takes two thirds of a sort's time.

Either way the rows are rearranged in place (the caller's block, when it may be), and a
block's rows are shared between two threads (NumPy lets go of the interpreter lock inside
the sort and the partition).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np

SELECT_FROM = 20_000
"""From this many runs a row, the ranks are selected rather than the row sorted (measured: at 10,000
runs sorting is 5% faster, at 20,000 selecting is 10% faster, at 100,000 a third)."""
PROBES = 256  # numbers of a row looked at for ties, before its ranks are selected
PARALLEL_SIZE = 100_000  # below about this many values one thread sorts faster than two (measured)
SHARED_COLUMN_SIZE = 8_000_000  # above this many values a column is put in order alone (memory: see column_bands)

_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def helper_pool() -> ThreadPoolExecutor:
    """One helper thread: with the calling thread, the two cores' worth this work is sized for.

    Work handed to it never waits on it in turn, so it cannot deadlock.
    """
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ammoflow-montecarlo")
        return _POOL


# -- reading percentiles off rows put in order ---------------------------------------------


@lru_cache(maxsize=64)
def _positions(n: int, qs: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For rows of ``n`` runs: each percentile's two neighbouring ranks and its weight on the upper one."""
    fraction = np.asarray(qs, dtype=np.float64) / 100
    virtual = (n - 1) * fraction
    floor = np.floor(virtual)
    gamma = (virtual - floor)[:, None]
    previous = floor.astype(np.intp)
    following = previous + 1
    top = virtual >= n - 1
    previous[top] = n - 1
    following[top] = n - 1
    for array in (previous, following, gamma):
        array.flags.writeable = False
    return previous, following, gamma


@lru_cache(maxsize=64)
def _reading(n: int, qs: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_positions` as :func:`ranked_percentiles` reads them: both ranks in one index, the weights
    on the lower one, and which percentiles are read from the upper rank (at or above the middle)."""
    previous, following, gamma = _positions(n, qs)
    ranks = np.concatenate([previous, following])
    lower = 1 - gamma
    upper = gamma >= 0.5
    for array in (ranks, lower, upper):
        array.flags.writeable = False
    return ranks, gamma, lower, upper


def ranked_percentiles(ordered: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """:func:`month_percentiles` of a (months, runs) array put in order by :func:`order_rows` for ``qs``.

    Reads the two ranks around each percentile and interpolates as NumPy's linear method does
    (from the lower rank below the middle, from the upper one above it). The last run of
    each row is its largest, NaN when the row holds one: such a row gives NaN, as NumPy does.
    """
    ranks, gamma, lower, upper = _reading(ordered.shape[1], tuple(float(q) for q in qs))
    read = ordered[:, ranks].T  # each percentile's lower ranks, then its upper ones
    below = read[: len(gamma)]
    above = read[len(gamma) :]
    step = above - below
    out: np.ndarray = below + step * gamma
    np.subtract(above, step * lower, out=out, where=upper)
    out[:, np.isnan(ordered[:, -1])] = np.nan
    return out


# -- putting rows in order ---------------------------------------------------------------


class RankPlan:
    """How to put the ranks a row's percentiles read in place, for rows of one length.

    The ranks (each percentile's two neighbours, and the last: the largest, or NaN) are placed
    one at a time, each on the stretch of the row between ranks already placed, the rank chosen
    nearest the middle of its stretch so that the stretches halve. A rank at either end of its
    stretch is the stretch's smallest or largest number: found and swapped into place, with no
    partition. The plan depends only on the row length and the percentiles, so it is worked out
    once and followed for every row.
    """

    def __init__(self, n: int, qs: tuple[float, ...]) -> None:
        previous, following, _ = _positions(n, qs)
        ranks = sorted({*previous.tolist(), *following.tolist(), n - 1})
        self.steps: list[tuple[int, int, int, str]] = []  # (start, end, rank within, how)
        stretches = [(0, n, 0, len(ranks))]
        while stretches:
            start, end, first, last = stretches.pop()
            if first >= last:
                continue
            middle = (start + end) // 2
            chosen = min(range(first, last), key=lambda i: abs(ranks[i] - middle))
            rank = ranks[chosen]
            how = "smallest" if rank == start else "largest" if rank == end - 1 else "partition"
            self.steps.append((start, end, rank - start, how))
            stretches.append((start, rank, first, chosen))
            stretches.append((rank + 1, end, chosen + 1, last))

    def apply(self, row: np.ndarray) -> None:
        """Rearrange ``row`` (contiguous, writable) so that every rank of the plan holds its number."""
        for start, end, rank, how in self.steps:
            stretch = row[start:end]
            if how == "partition":
                stretch.partition(rank)
                continue
            # argmin and argmax both find the first NaN if there is one. NumPy orders NaN last: right
            # for the largest; the smallest of a stretch holding NaN is left to the partition.
            found = int(stretch.argmin() if how == "smallest" else stretch.argmax())
            if how == "smallest" and np.isnan(stretch[found]):
                stretch.partition(rank)
                continue
            stretch[rank], stretch[found] = stretch[found], stretch[rank]


@lru_cache(maxsize=64)
def rank_plan(n: int, qs: tuple[float, ...]) -> RankPlan:
    return RankPlan(n, qs)


def order_rows(block: np.ndarray, qs: Sequence[float], parallel: bool = True) -> None:
    """Put each row of ``block`` in order as far as the percentiles ``qs`` read it, in place.

    Rows of fewer than :data:`SELECT_FROM` runs are sorted; longer rows have their ranks
    selected (:class:`RankPlan`). With ``parallel``, a block of many values has its rows
    shared between this thread and the helper thread.
    """
    if parallel and block.size >= PARALLEL_SIZE and block.shape[0] >= 2:
        half = block.shape[0] // 2
        other = helper_pool().submit(order_rows, block[half:], qs, False)
        try:
            order_rows(block[:half], qs, False)
        finally:
            other.result()
        return
    n = block.shape[1]
    if n < SELECT_FROM:
        block.sort(axis=1)
        return
    plan = rank_plan(n, tuple(float(q) for q in qs))
    for row, tied in zip(block, _tied_rows(block), strict=True):
        if tied:
            row.sort()
        else:
            plan.apply(row)


def _tied_rows(block: np.ndarray) -> np.ndarray:
    """Per row, whether a tenth of :data:`PROBES` numbers spread along it equal another of them.

    NumPy's partition slows down several times over when the rank it looks for lies in a large
    run of equal numbers (a shortfall of 0 in most runs, a stock run down to 0), where a sort gets
    faster instead (measured: a fifth of the runs equal makes a partition slower than a sort, a
    twentieth does not); a mass of equal numbers that large shows among the probes.
    """
    probes = np.sort(block[:, :: max(1, block.shape[1] // PROBES)], axis=1)
    equal = np.count_nonzero(probes[:, 1:] == probes[:, :-1], axis=1)
    tied: np.ndarray = equal >= probes.shape[1] // 10
    return tied


def month_percentiles(by_month: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """Percentiles ``qs`` of each row of a (months, runs) array: a (len(qs), months) array.

    The same numbers as ``np.percentile(by_month, qs, axis=1)`` with the default linear
    method, including its rounding. A row holding NaN gives NaN, as NumPy does. The caller's
    array is left as it was.
    """
    ordered = np.array(by_month, dtype=np.float64, order="C")
    order_rows(ordered, qs)
    return ranked_percentiles(ordered, qs)


# -- a simulation's kept blocks ----------------------------------------------------------


def same_every_month(block: np.ndarray) -> bool:
    """Whether a (months, runs) block is one row broadcast over the months (a rate that never changes)."""
    return block.shape[0] > 1 and block.strides[0] == 0


def every_month(block: np.ndarray, months: int) -> np.ndarray:
    """A kept block as (months, runs): a single row kept for a column the same every month, broadcast."""
    return np.broadcast_to(block, (months, block.shape[1])) if len(block) == 1 < months else block


def block_percentiles(block: np.ndarray, qs: Sequence[float], months: int, *, parallel: bool = True) -> np.ndarray:
    """:func:`month_percentiles` of a kept (months, runs) block, put in order in place when it is writable.

    Months whose runs hold exactly the same numbers (a rate that never changes; a demand that
    changes only with the days in the month; nothing arrived yet) are put in order once: the
    percentiles are read for the distinct rows and repeated. A read-only block (a view the
    batch could not hand over) is copied first. ``parallel`` lets a large block's rows be
    shared between two threads (not when already on the helper thread).
    """
    block = every_month(block, months)
    first = _first_of_equal_rows(block)
    alone = first == np.arange(months)  # a row equal to no earlier one
    if not alone.all():
        distinct = np.flatnonzero(alone)  # each row's first equal one is among these, and is where it reads
        where = np.searchsorted(distinct, first)
        if block.flags.writeable and block.size > SHARED_COLUMN_SIZE:
            # A large block of its own: its distinct rows are put in order where they lie, as a copy
            # of them would cost as much memory again as the block (100,000 runs of 240 months).
            for row in distinct:
                order_rows(block[row : row + 1], qs, False)
            found_all: np.ndarray = ranked_percentiles(block, qs)  # reads a few columns; rows not in order unused
            return found_all[:, distinct[where]]
        rows = np.array(block[distinct], dtype=np.float64, order="C")
        order_rows(rows, qs, parallel)
        found: np.ndarray = ranked_percentiles(rows, qs)[:, where]
        return found
    if not block.flags.writeable:
        block = np.array(block, dtype=np.float64, order="C")
    order_rows(block, qs, parallel)
    return ranked_percentiles(block, qs)


def _first_of_equal_rows(block: np.ndarray) -> np.ndarray:
    """Per row of a (months, runs) block, the first row holding exactly the same numbers (itself if none).

    Rows are matched on 64 of their numbers first, then each row that matched an earlier one is
    compared whole with it, row by row in place (no copies of the rows: a demand that changes
    only with the days in the month matches 44 rows of 48), so a block of distinct rows costs
    64 reads a row. NaN never equals itself: such a row stands alone.
    """
    months, runs = block.shape
    if months > 1 and block.strides[0] == 0:
        return np.zeros(months, dtype=np.intp)
    first = np.arange(months)
    seen: dict[bytes, int] = {}
    probes = np.ascontiguousarray(block[:, :: max(1, runs // 64)])
    raw, width = probes.tobytes(), probes.shape[1] * probes.itemsize
    candidate = np.array([seen.setdefault(raw[row * width : (row + 1) * width], row) for row in range(months)])
    for row in np.flatnonzero(candidate != first).tolist():
        if np.array_equal(block[row], block[candidate[row]]):
            first[row] = candidate[row]
    return first


def column_bands(
    blocks: dict[str, np.ndarray],
    qs: Sequence[float],
    months: int,
    done: Callable[[np.ndarray], None] | None = None,
    *,
    parallel: bool = True,
) -> dict[str, np.ndarray]:
    """:func:`block_percentiles` of every block, taken out of ``blocks`` (so each is freed once read).

    ``done`` is given each block once its percentiles are read, its numbers no longer needed
    (:mod:`ammoflow.scenarios.analysis.kept_memory` keeps its memory for the next simulation).
    ``parallel=False`` keeps the work on this thread (a few runs: quicker than handing it over).

    Several large blocks are shared between two threads a column at a time: each thread takes
    the next column left when it is done with one, so a thread the machine gives less time
    (another program on the core) takes fewer, and neither waits for the other's share.
    """
    names = list(blocks)
    size = sum(blocks[name].size for name in names)
    largest = max((blocks[name].size for name in names), default=0)
    # Two columns at once hold two working copies; for columns as large as a whole long run
    # (100,000 runs of 240 months: 190 MB each) that doubled the peak, so those are taken one
    # at a time, each put in order by both threads (order_rows) instead.
    if not parallel or len(names) < 2 or size < PARALLEL_SIZE or largest > SHARED_COLUMN_SIZE:
        out = {}
        for name in names:
            block = blocks.pop(name)
            out[name] = block_percentiles(block, qs, months, parallel=parallel)
            if done is not None:
                done(block)
        return out
    shared = SharedColumns(qs, months, done)
    for name in names:
        shared.put(name, blocks.pop(name))
    shared.close()
    other = helper_pool().submit(shared.work, False)
    try:
        shared.work(False)
    finally:
        other.result()
    return {name: shared.out[name] for name in names}


class SharedColumns:
    """Columns whose percentiles are wanted, taken by whichever of two threads is free first.

    A thread working with ``wait`` waits for more columns until :meth:`close`; the thread that
    puts them takes what is left once it is done putting them. A read-only column (one a batch
    is still working from) is copied by :func:`block_percentiles` before it is put in order.
    """

    def __init__(self, qs: Sequence[float], months: int, done: Callable[[np.ndarray], None] | None = None) -> None:
        self.qs = qs
        self.months = months
        self.done = done  # given each column's block once read (see column_bands)
        self.out: dict[str, np.ndarray] = {}
        self._left: list[tuple[str, np.ndarray]] = []
        self._taking: list[str] = []  # taken, percentiles not yet read
        self._own: set[str] = set()  # put as blocks no batch reads any more
        self._closed = False
        self._changed = threading.Condition()

    def put(self, name: str, block: np.ndarray, *, own: bool = False) -> None:
        """A column whose percentiles are wanted; ``own``: a block no batch reads any more (see :meth:`take_over`)."""
        with self._changed:
            if own:
                self._own.add(name)
            self._left.append((name, block))
            self._changed.notify()

    def take_over(self, hand_over: Callable[[Sequence[str]], dict[str, np.ndarray]]) -> None:
        """The columns still waiting replaced by the batch's own blocks, which may be put in order in place.

        ``hand_over`` is the batch's (:meth:`ammoflow.scenarios.engine.batch.Columns.hand_over`):
        asked for every column put but those put as ``own`` (already out of the batch), so that a
        block sharing memory with another column (being copied on the other thread) comes
        read-only, and is copied after all.
        """
        with self._changed:
            names = [name for name, _ in self._left if name not in self._own]
            given = hand_over([name for name in (*self.out, *self._taking, *names) if name not in self._own])
            self._left = [(name, given.get(name, block)) for name, block in self._left]

    def close(self, drop: bool = False) -> None:
        """No more columns come; with ``drop``, those waiting are not wanted either."""
        with self._changed:
            self._closed = True
            if drop:
                self._left.clear()
            self._changed.notify_all()

    def work(self, wait: bool, *, leave: int = 0) -> None:
        """Read the percentiles of the next column left until ``leave`` are (waiting for more if ``wait``).

        The thread putting columns takes one itself whenever more than a couple wait
        (``leave=2``): the columns in hand stay few, so the memory of each one read is used
        again for the next one made, rather than fresh memory every time.
        """
        while True:
            with self._changed:
                while wait and not self._left and not self._closed:
                    self._changed.wait()
                if len(self._left) <= leave:
                    return
                name, block = self._left.pop(0)
                self._taking.append(name)
            found = block_percentiles(block, self.qs, self.months, parallel=False)
            if self.done is not None:
                self.done(block)
            del block  # freed once read
            with self._changed:
                self.out[name] = found
                self._taking.remove(name)
