"""Answers the explorer has computed, kept for a step that asks for them again or looks ahead to them.

A slider step asks for the projection of a scenario (against the baseline it is compared with)
and, with the uncertainty bands on, for its bands. Both are pure functions of what they are
keyed by here, so an answer found here is the answer the job would give: the projection by the
scenario, the baseline, the observations and the month the "as of" figures are read at; the
bands by the scenario (its uncertainty settings, runs and seed included), whether they are given
the observations, the observations and that month. Nothing else goes into either (see
``ExplorerDrawing._project`` and ``BandsStatus.compute``), so a key that differs in any of
these finds nothing, and the step is computed as it would be without this store.

The few most recent answers are kept (stepping back is common: "what if shipments halve...
and back"), with those worked out ahead of the keys (``ExplorerAhead``). The store is shared
with the look-ahead's thread, hence the lock.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Generic, TypeVar

from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.explorer_base import Projection
from ammoflow.tui.panels.bands import Bands

KEEP = 8
"""Answers of each kind kept: the two a look-ahead works out and the last few steps taken."""

Value = TypeVar("Value")


class _Recent(Generic[Value]):
    """The most recent values by key, at most ``keep``; keys compared by equality (scenarios do not hash)."""

    def __init__(self, keep: int) -> None:
        self._keep = keep
        self._items: list[tuple[tuple[object, ...], Value]] = []  # oldest first
        self._lock = threading.Lock()

    def find(self, key: tuple[object, ...]) -> Value | None:
        with self._lock:
            for index, (known, value) in enumerate(self._items):
                if known == key:
                    self._items.append(self._items.pop(index))  # used: the most recent now
                    return value
        return None

    def keep(self, key: tuple[object, ...], value: Value) -> None:
        with self._lock:
            self._items = [item for item in self._items if item[0] != key]
            self._items.append((key, value))
            del self._items[: -self._keep]

    def __len__(self) -> int:
        return len(self._items)


def _seen(observations: Sequence[Observation]) -> tuple[Observation, ...]:
    return tuple(observations)


class Answers:
    """Projections and bands already computed, by everything each depends on."""

    def __init__(self, keep: int = KEEP) -> None:
        self._projections: _Recent[Projection] = _Recent(keep)
        self._bands: _Recent[Bands] = _Recent(keep)

    def projection(
        self, scenario: Scenario, baseline: Scenario, observations: Sequence[Observation], as_of: int
    ) -> Projection | None:
        """The projection of ``scenario`` compared with ``baseline``, if it is known."""
        return self._projections.find((scenario, baseline, _seen(observations), as_of))

    def keep_projection(self, projection: Projection, observations: Sequence[Observation], as_of: int) -> None:
        """``projection``, computed with ``observations`` and its figures read "as of" ``as_of``."""
        key = (projection.scenario, projection.baseline[0], _seen(observations), as_of)
        self._projections.keep(key, projection)

    def bands(
        self, scenario: Scenario, given: bool, observations: Sequence[Observation], as_of: int | None
    ) -> Bands | None:
        """The bands of ``scenario`` on all assumptions, or ``given`` the observations, if they are known."""
        return self._bands.find((scenario, given, _seen(observations), as_of))

    def keep_bands(self, bands: Bands, observations: Sequence[Observation]) -> None:
        """``bands``, computed with ``observations`` (used when they are given them)."""
        self._bands.keep((bands.scenario, bands.given is not None, _seen(observations), bands.as_of), bands)

    def counts(self) -> tuple[int, int]:
        """Projections and bands kept."""
        return len(self._projections), len(self._bands)
