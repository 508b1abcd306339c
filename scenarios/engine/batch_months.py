"""A batch projected a window of months at a time, for a caller who reads each month's runs once.

A sweep wants per-month percentiles across runs: each month's runs, once. The batch engine
(:func:`ammoflow.scenarios.engine.batch.project_batch`) makes every column a whole
(months, runs) block; at 10,000 runs of 48 months a sweep's 17 columns touch some 40 MB of
fresh memory, and in a fresh process (the command line) the first touch of each page costs
more than the arithmetic done on it (measured here: about 2 microseconds a 4 KB page, a
third of the run). Here the same equations (docs/model.md; the batch engine's own code,
cut to a window of months by :class:`ammoflow.scenarios.engine.batch.MonthsBefore`) are
followed a window at a time: the blocks of a window are handed out, read and given back
(:class:`BlockPool`) and used again for the next window, so the memory a run touches is a
few windows' worth, small enough to stay in the processor's cache. The numbers are those
of the whole batch, bit for bit: every number is worked out by the same operations in the
same order.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from ammoflow.scenarios.engine.batch import (
    _BLOCKS,
    MonthsBefore,
    Value,
    _InputRows,
    _lag,
    _Projection,
    batch_inputs,
)
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.columns import NUMBER_COLUMNS
from ammoflow.scenarios.model.scenario import Scenario

WINDOW_VALUES = 120_000
"""Runs times months of one window's block: 12 months of 10,000 runs, 940 KB, so that a window's
blocks stay in a core's cache (4 MB here) between being made and being read."""

# Running totals: each window adds to the last row of the window before.
_RUNNING = frozenset({"cumulative_containers", "cumulative_rounds"})


def window_months(runs: int, months: int) -> int:
    """Months of a window: :data:`WINDOW_VALUES` runs x months, at least 1, at most the horizon."""
    return max(1, min(months, WINDOW_VALUES // max(1, runs)))


class BlockPool:
    """(window months, runs) float64 blocks, given back once read and handed out again: few fresh pages.

    Thread-safe: blocks are taken on the projecting thread and given back by whichever thread read them.
    """

    def __init__(self, rows: int, runs: int) -> None:
        self.rows = rows
        self.runs = runs
        self._free: list[np.ndarray] = []
        self._ours: dict[int, np.ndarray] = {}  # every block made, by id: held, so that no id is used again
        self._lock = threading.Lock()

    def take(self, shape: tuple[int, int]) -> np.ndarray:
        """A block of ``shape`` (at most :attr:`rows` months of :attr:`runs`), its numbers left over."""
        if shape[1] != self.runs or shape[0] > self.rows:
            raise ValueError(f"a pool of ({self.rows}, {self.runs}) blocks has none of {shape}")
        with self._lock:
            block = self._free.pop() if self._free else None
        if block is None:
            block = np.empty((self.rows, self.runs))
            with self._lock:
                self._ours[id(block)] = block
        rows: np.ndarray = block[: shape[0]]
        return rows

    def give(self, block: np.ndarray) -> None:
        """A block of the pool's whose numbers are no longer needed; any other array (or one given twice) is ignored."""
        base = block if block.base is None else block.base
        with self._lock:
            if self._ours.get(id(base)) is base and not any(base is free for free in self._free):
                self._free.append(base)

    def made(self) -> int:
        """Blocks made so far: what the memory a run touches comes to."""
        return len(self._ours)


def project_by_months(
    scenario: Scenario,
    values: Mapping[str, Sequence[float] | np.ndarray] | None,
    runs: int,
    names: Sequence[str],
    pool: BlockPool,
    *,
    drift: Mapping[str, np.ndarray] | None = None,
) -> Iterator[tuple[int, str, np.ndarray]]:
    """Columns ``names`` of the batch :func:`project_batch` would give, a window of months at a time.

    Yields ``(first month, name, block)``: the (window months, runs) rows of the column from
    that month, the windows in order and every column of a window before the next begins. A
    block of the ``pool``'s is the caller's to rearrange and to give back once read; a column
    the same every month (a per-run value, one row broadcast) comes as a read-only view. The
    windows are ``pool.rows`` months long (the last may be shorter). A name given twice comes once.
    """
    names = tuple(dict.fromkeys(names))
    for name in names:
        if name not in _BLOCKS:
            raise KeyError(registry.unknown_key_message("output column", name, NUMBER_COLUMNS))
    inputs = batch_inputs(scenario, values, runs, drift)
    months = scenario.months
    made: dict[str, Value] = {}  # each input worked out once for the whole horizon
    lag = _lag(inputs)
    kept = min(months, int(np.max(lag)))  # months of shipments a window reads from before it
    before = MonthsBefore(
        first=0,
        lag=lag,
        shipped=np.empty((kept + pool.rows, runs)),  # the kept months, then the window's
        since=-kept,
        take=pool.take,
        nk_stock=inputs("nk_stock_initial"),
        ru_stock=inputs("ru_stock_initial"),
    )
    for first in range(0, months, pool.rows):
        end = min(first + pool.rows, months)
        if first > 0 and kept:  # the last months shipped move to the front: a window reads no earlier ones
            before.shipped[:kept] = before.shipped[first - kept - before.since : first - before.since].copy()
        before.since = first - kept
        taken: list[np.ndarray] = []

        def take(shape: tuple[int, int], taken: list[np.ndarray] = taken) -> np.ndarray:
            block = pool.take(shape)
            taken.append(block)
            return block

        before.first = first
        before.take = take
        window = _Projection(_InputRows(inputs, first, end, made), {}, before)
        before.nk_stock = window.nk_stock[-1].copy()  # the next window's opening stock
        handed: list[np.ndarray] = []
        later: list[tuple[str, np.ndarray]] = []
        for name in names:
            block = _BLOCKS[name](window)
            if name in _RUNNING:
                before.totals[name] = block[-1].copy()
            if block.strides[0] == 0:  # one row broadcast over the months
                yield first, name, block
                continue
            if not any(block is own for own in taken):  # a view of a parameter, or the shipments kept for arrivals
                copy = take(block.shape)
                np.copyto(copy, block)
                block = copy
            handed.append(block)
            if _read_later(window, block):
                later.append((name, block))
            else:
                yield first, name, block
        if "_russia_state" in window.__dict__:  # Russia's side worked out: its closing stock goes on
            before.ru_stock = window.ru_stock[-1].copy()
        for name, block in later:
            yield first, name, block
        for block in taken:
            if not any(block is given for given in handed):
                pool.give(block)


def _read_later(window: _Projection, block: np.ndarray) -> bool:
    """Whether later columns of the window are worked out from ``block`` (arrivals, rounds fired, Russia's stock)."""
    if block is window.__dict__.get("arrivals"):
        return True
    state = window.__dict__.get("_russia_state")
    return state is not None and any(block is part for part in state)
