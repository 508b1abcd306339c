"""The memory of Monte Carlo's kept blocks, used again by the next simulation of the same size.

A simulation of many runs keeps each chart column as a (months, runs) block: at 100,000 runs
of 48 months, 38 MB a column, some 350 MB in all. Blocks that large are mapped fresh from the
system every time (they are above glibc's largest mmap threshold, see
``scenarios/engine/allocator.py``), and the first touch of fresh memory costs: measured here, a
fifth of a 100,000-run simulation (240 ms against 194 ms with the memory used again). The
explorer asks for the same bands again at every slider step, so the blocks a simulation is done
with are kept here for the next one, and let go of when none has come for :data:`IDLE_SECONDS`
(or when one of another size comes), so that a program that has moved on does not hold them.

At most :data:`LIMIT` bytes are kept: the most a simulation holds at once in any case (its
``memory``), so keeping them never raises the peak.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np

IDLE_SECONDS = 20.0
LIMIT = 400 * 2**20  # as montecarlo.KEPT_BYTES: the blocks of one pass


class KeptMemory:
    """Blocks given back after their percentiles are read, handed out again for blocks of the same shape."""

    def __init__(
        self, limit: int = LIMIT, idle: float = IDLE_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.idle = idle
        self._clock = clock
        self._free: list[np.ndarray] = []
        self._last = clock()
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def take(self, shape: tuple[int, int]) -> np.ndarray:
        """A float64 block of ``shape``, its numbers left over (the caller writes every one).

        Blocks kept for another number of runs are let go first: a simulation of another size
        has begun, and theirs will not be asked for again soon, nor may they add to its peak.
        """
        with self._lock:
            for i, block in enumerate(self._free):
                if block.shape == shape:
                    return self._free.pop(i)
            self._free = [block for block in self._free if block.shape[1] == shape[1]]
        return np.empty(shape)

    def give(self, block: np.ndarray) -> None:
        """A block whose numbers are no longer needed: kept for the next :meth:`take`, within :attr:`limit`."""
        if not (block.flags.owndata and block.flags.c_contiguous and block.dtype == np.float64):
            return
        with self._lock:
            if self.held() + block.nbytes > self.limit:
                return
            self._free.append(block)
            self._last = self._clock()
            if self._timer is None:
                self._timer = threading.Timer(self.idle, self._check)
                self._timer.daemon = True  # never keeps a finished program waiting
                self._timer.start()

    def held(self) -> int:
        """Bytes kept now."""
        return sum(block.nbytes for block in self._free)

    def let_go_if_idle(self) -> bool:
        """Let every block go if none was given back for :attr:`idle` seconds; True when they went."""
        with self._lock:
            if self._clock() - self._last < self.idle:
                return False
            self._free.clear()
            return True

    def clear(self) -> None:
        with self._lock:
            self._free.clear()

    def _check(self) -> None:
        """The timer's: let go if idle, else look again when the idle time since the last block is up."""
        with self._lock:
            self._timer = None
        if self.let_go_if_idle():
            return
        with self._lock:
            if self._timer is None and self._free:
                wait = max(0.0, self.idle - (self._clock() - self._last))
                self._timer = threading.Timer(wait, self._check)
                self._timer.daemon = True
                self._timer.start()


KEPT = KeptMemory()
"""The process's kept memory, shared by every simulation."""
