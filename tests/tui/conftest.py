"""Helpers for the explorer's tests: a state folder of their own, and the recovery slots of
explorers that are no longer running."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.recovery import Copy, Process, Slot


@pytest.fixture(autouse=True)
def own_state_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No explorer under test writes its recovery copy or recent files into the real home."""
    monkeypatch.setenv("AMMOFLOW_STATE_DIR", str(tmp_path_factory.mktemp("state")))


def stopped_process() -> Process:
    """A process that has run and ended (reaped), as a slot of a stopped explorer would name it."""
    child = subprocess.Popen(["true"])
    child.wait()
    return Process(child.pid, "1")


@pytest.fixture
def stopped_explorer() -> Callable[..., Slot]:
    """Write ``scenario`` into the slot of an explorer that has stopped; the slot (its path is ``.path``).

    Keyword arguments are the copy's: ``path`` (absolute), ``preset``, ``fingerprint``, ``saved_at``.
    """

    def write(
        scenario: Scenario,
        *,
        path: Path | None = None,
        preset: str | None = "baseline",
        fingerprint: str | None = None,
        saved_at: float | None = None,
    ) -> Slot:
        slot = Slot(process=stopped_process())
        saved_at = time.time() if saved_at is None else saved_at
        slot.write(Copy(scenario, saved_at, path, None if path else preset, fingerprint))
        if not slot.path.exists():
            raise AssertionError(f"the slot {slot.path} was not written")
        return slot

    return write


@pytest.fixture
def private_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A state folder and a working folder (the current one, returned) of the test's own.

    For tests that save and open files by name: nothing lands in the real home or the checkout.
    """
    monkeypatch.setenv("AMMOFLOW_STATE_DIR", str(tmp_path / "state"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work
