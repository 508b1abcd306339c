"""A computation a dialog runs in the background: what it runs for, and a note when it is slow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.timer import Timer
from textual.widget import Widget

WORKING_DELAY = 0.2
"""Seconds before a running job says so: quicker answers appear without a flicker."""


class Job:
    """The newest background run of a dialog.

    Each start gets a new generation; an answer whose generation is not the newest is for
    inputs the user has since changed, and is dropped.
    """

    def __init__(self, owner: Widget, on_slow: Callable[[], None]) -> None:
        self._owner = owner
        self._on_slow = on_slow
        self.generation = 0
        self.running_for: Any = None
        self._timer: Timer | None = None

    def start(self, inputs: Any) -> int:
        """A run for ``inputs`` begins; its generation, to pass along to the worker."""
        self.generation += 1
        self.running_for = inputs
        self._stop_timer()
        self._timer = self._owner.set_timer(WORKING_DELAY, self._slow)
        return self.generation

    def cancel(self) -> None:
        """Nothing is running any more (an answer still on its way will be dropped)."""
        self.generation += 1
        self.running_for = None
        self._stop_timer()

    def is_current(self, generation: int) -> bool:
        return generation == self.generation

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _slow(self) -> None:
        self._timer = None
        if self.running_for is not None:
            self._on_slow()
