"""The explorer's working state: the scenario, where it lives on disk, and its history.

Nothing here draws anything; the explorer holds one :class:`Workspace` and redraws from it.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import attrs

from ammoflow.scenarios.files.reading import read_bytes
from ammoflow.scenarios.files.scenario_toml import MAX_BYTES
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.scenario import Scenario

# Slider steps on one parameter closer together than this make one undo step.
COALESCE_SECONDS = 1.0
# The recovery copy is written this long after the last edit, and never later than
# COPY_LONGEST after the first edit it does not hold yet: however steady the editing,
# a process killed outright loses at most that much work.
COPY_QUIET = 0.1
COPY_LONGEST = 0.2


def fingerprint(path: Path) -> str | None:
    """A digest of the file's bytes; None when it is not a regular scenario-sized file that can be read.

    Read the careful way (:mod:`ammoflow.scenarios.files.reading`): a save to a FIFO or a device is followed
    by this, and must not wait for a writer or read ``/dev/zero`` for ever.
    """
    try:
        return hashlib.sha256(read_bytes(path, MAX_BYTES, "a scenario file")).hexdigest()
    except ScenarioError:
        return None


@attrs.define
class History:
    """Undo and redo over immutable scenarios.

    Repeated changes to the same thing (holding an arrow key on one slider) within
    ``COALESCE_SECONDS`` merge into one step, so one undo takes the whole move back.
    """

    current: Scenario
    undo_stack: list[Scenario] = attrs.field(factory=list)
    redo_stack: list[Scenario] = attrs.field(factory=list)
    _last_topic: str | None = None
    _last_time: float = 0.0
    limit: int = 500

    def push(self, scenario: Scenario, topic: str | None = None, now: float | None = None) -> None:
        if scenario == self.current:
            return
        now = time.monotonic() if now is None else now
        merge = topic is not None and topic == self._last_topic and now - self._last_time < COALESCE_SECONDS
        if not merge:
            self.undo_stack.append(self.current)
            del self.undo_stack[: -self.limit]
        self.current = scenario
        self.redo_stack.clear()
        self._last_topic, self._last_time = topic, now

    def undo(self) -> bool:
        if not self.undo_stack:
            return False
        self.redo_stack.append(self.current)
        self.current = self.undo_stack.pop()
        self._last_topic = None
        return True

    def redo(self) -> bool:
        if not self.redo_stack:
            return False
        self.undo_stack.append(self.current)
        self.current = self.redo_stack.pop()
        self._last_topic = None
        return True

    def seal(self) -> None:
        """End the current run of merged steps: the next change is an undo step of its own."""
        self._last_topic = None

    def reset(self, scenario: Scenario) -> None:
        """Start afresh (a file was opened): nothing to undo."""
        self.current = scenario
        self.undo_stack.clear()
        self.redo_stack.clear()
        self._last_topic = None


@attrs.define
class CopySchedule:
    """When the recovery copy is next due: a debounce with a maximum wait.

    A burst of edits (an arrow key held down) is copied once it pauses for ``quiet``
    seconds, but no edit waits more than ``longest`` seconds for its copy, so a steady
    stream of edits is still copied several times a second. Time is passed in, so the
    schedule can be checked without a clock.
    """

    quiet: float = COPY_QUIET
    longest: float = COPY_LONGEST
    _first: float | None = None  # the earliest edit the copy does not hold yet

    def edited(self, now: float) -> float:
        """Note an edit at ``now``; the seconds from ``now`` until the copy is due."""
        if self._first is None:
            self._first = now
        return max(0.0, min(now + self.quiet, self._first + self.longest) - now)

    def written(self) -> None:
        """The copy now holds every edit so far."""
        self._first = None

    @property
    def pending(self) -> bool:
        return self._first is not None


@attrs.define
class Workspace:
    """The scenario being explored, the file it belongs to and the pinned baseline.

    The baseline is named (``baseline_name``: the scenario's name when pinned, "(modified)"
    when pinned with unsaved changes) and may be unpinned (``pinned`` False: nothing is
    compared with it).
    """

    history: History
    saved: Scenario
    baseline: Scenario
    path: Path | None = None
    disk_fingerprint: str | None = None
    origin: str = "baseline"  # preset name or file path, for titles and recovery
    baseline_name: str = ""
    pinned: bool = True

    @classmethod
    def open(cls, scenario: Scenario, path: Path | None, origin: str) -> Workspace:
        return cls(
            history=History(scenario),
            saved=scenario,
            baseline=scenario,
            path=path,
            disk_fingerprint=fingerprint(path) if path else None,
            origin=origin,
            baseline_name=scenario.name,
        )

    def pin(self, scenario: Scenario, name: str) -> None:
        """Compare against ``scenario`` from now on, under ``name``."""
        self.baseline, self.baseline_name, self.pinned = scenario, name, True

    @property
    def scenario(self) -> Scenario:
        return self.history.current

    @property
    def modified(self) -> bool:
        return self.scenario != self.saved

    def changed_on_disk(self) -> bool:
        """Whether the file was changed by someone else since it was opened or saved."""
        if self.path is None or not self.path.exists():
            return False
        return fingerprint(self.path) != self.disk_fingerprint

    def mark_saved(self, path: Path) -> None:
        self.path = path
        self.saved = self.scenario
        self.disk_fingerprint = fingerprint(path)
        self.origin = str(path)
