"""Recovery after a crash, a kill or a dropped terminal: one slot per running explorer.

The slot logic is checked with real processes (a live ``sleep`` stands for another running
explorer; a reaped child for one that stopped), the copy's schedule with time passed in, and
the explorer with Textual's Pilot.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pilot_waits import settle

from ammoflow.scenarios.files.scenario_toml import read_scenario, scenario_text
from ammoflow.scenarios.model.scenario import baseline
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.panels.parameters import ParametersPanel
from ammoflow.tui.recovery import Copy, Process, Slot
from ammoflow.tui.state import COPY_LONGEST, CopySchedule, fingerprint

# Each test has a state folder and a working folder of its own (see conftest.py).
pytestmark = pytest.mark.usefixtures("private_state")


@pytest.fixture
def another_explorer() -> Iterator[Process]:
    """A process that is running (standing for another explorer), ended after the test."""
    child = subprocess.Popen(["sleep", "60"])
    try:
        yield Process.of(child.pid)
    finally:
        child.kill()
        child.wait()


def work(value: float) -> Copy:
    return Copy(baseline().with_value("ru_fire_rate", value), time.time(), None, "baseline", None)


async def offered(pilot, app: AmmoflowApp) -> bool:  # type: ignore[no-untyped-def]
    """Whether the explorer is asking to restore unsaved work (given time to ask)."""
    for _ in range(20):
        await pilot.pause()
        if type(app.screen).__name__ == "RecoverScreen":
            return True
    return False


def notes(app: AmmoflowApp) -> str:
    """The notifications the explorer has shown (as the other explorer tests read them)."""
    return "\n".join(app.notices)


# -- when the copy is written ---------------------------------------------------------


def copies_of(edits: list[float], schedule: CopySchedule) -> list[float]:
    """When the copy is written for edits at these times, as the explorer's timer does it."""
    written: list[float] = []
    due: float | None = None
    for at in edits:
        if due is not None and due <= at:
            written.append(due)
            schedule.written()
        due = at + schedule.edited(at)
    if due is not None:
        written.append(due)
    return written


@pytest.mark.parametrize("interval", [0.01, 0.033, 0.05, 0.15, 0.3, 1.0])
def test_no_edit_waits_longer_than_the_longest_wait_however_steady_the_editing(interval: float) -> None:
    edits = [i * interval for i in range(int(6 / interval))]
    written = copies_of(edits, CopySchedule())
    for at in edits:
        first_copy_after = min(w for w in written if w >= at)
        assert first_copy_after - at <= COPY_LONGEST + 1e-9


def test_a_burst_of_edits_is_copied_a_few_times_a_second_not_once_a_key() -> None:
    edits = [i / 30 for i in range(60)]  # an arrow key held for two seconds
    written = copies_of(edits, CopySchedule())
    assert 8 <= len(written) <= 12


def test_a_lone_edit_is_copied_after_a_short_pause() -> None:
    schedule = CopySchedule()
    assert schedule.edited(100.0) == pytest.approx(schedule.quiet)
    assert schedule.pending
    schedule.written()
    assert not schedule.pending


# -- slots ------------------------------------------------------------------------------


def test_a_running_explorers_slot_is_never_offered_or_touched(another_explorer: Process) -> None:
    theirs = Slot(process=another_explorer)
    theirs.write(work(33_000))
    mine = Slot()
    assert mine.claim_next() is None
    assert mine.waiting() == 0
    mine.write(work(21_000))
    mine.clear()
    assert theirs.read().scenario.values["ru_fire_rate"] == 33_000


def test_a_slot_is_offered_once_its_explorer_has_stopped() -> None:
    child = subprocess.Popen(["sleep", "60"])
    theirs = Slot(process=Process.of(child.pid))
    theirs.write(work(33_000))
    assert Slot().claim_next() is None
    child.kill()
    child.wait()
    claimed = Slot().claim_next()
    assert claimed is not None and claimed.copy is not None
    assert claimed.copy.scenario.values["ru_fire_rate"] == 33_000


def test_a_reused_pid_does_not_keep_a_stopped_explorers_slot_alive(another_explorer: Process) -> None:
    # The same PID started at another time is another process: the explorer that wrote this is gone.
    stopped = Slot(process=Process(another_explorer.pid, str(int(another_explorer.started or "0") + 1)))
    stopped.write(work(33_000))
    claimed = Slot().claim_next()
    assert claimed is not None and claimed.copy is not None


def test_stopped_explorers_are_offered_newest_first_and_none_is_skipped(stopped_explorer) -> None:  # type: ignore[no-untyped-def]
    ages = {31_000: 300, 32_000: 100, 33_000: 200}
    for value, age in ages.items():
        slot = stopped_explorer(baseline().with_value("ru_fire_rate", value))
        past = time.time() - age
        os.utime(slot.path, (past, past))
    mine = Slot()
    seen = []
    while (claimed := mine.claim_next()) is not None:
        seen.append(claimed.copy.scenario.values["ru_fire_rate"])
        assert mine.waiting() == 3 - len(seen)
        mine.release(claimed)
    assert seen == [32_000, 33_000, 31_000]


def test_work_being_offered_is_not_offered_by_a_second_explorer_starting_at_once(
    stopped_explorer: Callable[..., Slot], another_explorer: Process
) -> None:
    stopped_explorer(baseline().with_value("ru_fire_rate", 33_000))
    first = Slot()
    claimed = first.claim_next()
    assert claimed is not None
    assert Slot(process=another_explorer).claim_next() is None


def test_work_being_offered_when_the_asking_explorer_died_is_offered_again(
    stopped_explorer: Callable[..., Slot],
) -> None:
    from conftest import stopped_process

    stopped_explorer(baseline().with_value("ru_fire_rate", 33_000))
    asking = Slot(process=stopped_process())  # it claimed the work, then died before an answer
    assert asking.claim_next() is not None
    claimed = Slot().claim_next()
    assert claimed is not None and claimed.copy.scenario.values["ru_fire_rate"] == 33_000


def test_an_unreadable_copy_is_reported_and_left_in_place(stopped_explorer: Callable[..., Slot]) -> None:
    slot = stopped_explorer(baseline())
    slot.path.write_text("{not json")
    claimed = Slot().claim_next()
    assert claimed is not None and claimed.copy is None
    assert str(claimed.path) in claimed.problem
    assert claimed.path.read_text() == "{not json"
    assert Slot().claim_next() is None  # said once, not at every start


def test_a_copy_records_the_absolute_path_and_the_fingerprint_when_the_work_began(private_state: Path) -> None:
    mine = private_state / "mine.toml"
    mine.write_text(scenario_text(baseline()))
    copy = Copy(baseline().with_value("ru_fire_rate", 33_000), 1.0, mine, None, fingerprint(mine))
    Slot().write(copy)
    assert Slot().read() == copy


# -- the explorer -------------------------------------------------------------------------


async def test_quitting_or_declining_never_touches_a_running_explorers_work(another_explorer: Process) -> None:
    theirs = Slot(process=another_explorer)
    theirs.write(work(33_000))
    app = AmmoflowApp()
    async with app.run_test(size=(120, 40)) as pilot:
        assert not await offered(pilot, app)
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("right")
        await settle(pilot, app)
        app.keep_work()
        assert app.slot.read() is not None
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.slot.read() is None
    assert theirs.read() is not None and theirs.read().scenario.values["ru_fire_rate"] == 33_000


async def test_declining_moves_on_to_the_next_and_restoring_says_what_is_left(stopped_explorer) -> None:  # type: ignore[no-untyped-def]
    for value, age in ((31_000, 300), (32_000, 200), (33_000, 100)):
        slot = stopped_explorer(baseline().with_value("ru_fire_rate", value))
        past = time.time() - age
        os.utime(slot.path, (past, past))
    app = AmmoflowApp()
    async with app.run_test(size=(120, 40)) as pilot:
        assert await offered(pilot, app)
        await pilot.press("d")  # the newest, 33,000: declined
        assert await offered(pilot, app)
        await pilot.press("r")  # the next, 32,000: restored
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == 32_000
        assert "1 more unsaved scenario will be offered at the next start" in notes(app)
        assert app.slot.read().scenario.values["ru_fire_rate"] == 32_000  # in this explorer's slot at once
    left = Slot().claim_next()
    assert left is not None and left.copy.scenario.values["ru_fire_rate"] == 31_000


def stopped_explorers(stopped_explorer: Callable[..., Slot], values: tuple[float, ...]) -> None:
    """Slots of stopped explorers, one per value, the first the newest."""
    for age, value in enumerate(values):
        slot = stopped_explorer(baseline().with_value("ru_fire_rate", value))
        past = time.time() - 100 * (age + 1)
        os.utime(slot.path, (past, past))


def left_for_the_next_start() -> list[float]:
    """The fire rates of the work a new explorer would offer, newest first (each declined)."""
    mine, found = Slot(), []
    while (claimed := mine.claim_next()) is not None:
        found.append(claimed.copy.scenario.values["ru_fire_rate"])
        mine.release(claimed)
    return found


async def test_later_keeps_this_work_and_the_rest_for_the_next_start(stopped_explorer) -> None:  # type: ignore[no-untyped-def]
    from conftest import stopped_process

    stopped_explorers(stopped_explorer, (33_000, 32_000, 31_000))
    app = AmmoflowApp()
    app.slot = Slot(process=stopped_process())  # this explorer, too, has stopped by the next start
    async with app.run_test(size=(120, 40)) as pilot:
        assert await offered(pilot, app)
        await pilot.press("d")  # the newest, 33,000: discarded
        assert await offered(pilot, app)
        await pilot.press("escape")  # the next, 32,000, and the last: later
        assert not await offered(pilot, app)
        assert "Kept 2 unsaved scenarios for the next start." in notes(app)
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == baseline().values["ru_fire_rate"]
    assert left_for_the_next_start() == [32_000, 31_000]


async def test_discard_all_removes_every_copy_waiting_after_asking(stopped_explorer) -> None:  # type: ignore[no-untyped-def]
    stopped_explorers(stopped_explorer, (33_000, 32_000, 31_000))
    app = AmmoflowApp()
    async with app.run_test(size=(120, 40)) as pilot:
        assert await offered(pilot, app)
        await pilot.press("D")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("y")
        assert not await offered(pilot, app)
        assert "Discarded 3 unsaved scenarios." in notes(app)
    assert left_for_the_next_start() == []


async def test_no_to_discard_all_asks_about_the_same_work_again(stopped_explorer) -> None:  # type: ignore[no-untyped-def]
    stopped_explorers(stopped_explorer, (33_000, 32_000))
    app = AmmoflowApp()
    async with app.run_test(size=(120, 40)) as pilot:
        assert await offered(pilot, app)
        await pilot.press("D")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("n", "r")  # typed in one burst: "r" waits for the question to be back
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == 33_000
    assert left_for_the_next_start() == [32_000]


def test_discarding_every_copy_sets_an_unreadable_one_aside(stopped_explorer: Callable[..., Slot]) -> None:
    stopped_explorers(stopped_explorer, (33_000, 32_000))
    broken = stopped_explorer(baseline())
    broken.path.write_text("{not json")
    assert Slot().discard_waiting() == 2
    assert [path.name for path in broken.path.parent.iterdir()] == [broken.path.name + ".unreadable"]


async def test_a_restore_reopens_the_file_by_its_absolute_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import stopped_process

    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for folder, rate in ((first, 20_000), (second, 25_000)):
        (folder / "scen.toml").write_text(scenario_text(baseline().with_value("ru_fire_rate", rate)))
    monkeypatch.chdir(first)
    typed = Path("scen.toml")  # as typed on the command line
    app = AmmoflowApp(read_scenario(typed), typed, str(typed), offer_recovery=False)
    app.slot = Slot(process=stopped_process())  # this explorer is about to die
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(ParametersPanel).focus_parameter("nk_reserve")
        await pilot.press("right")
        await settle(pilot, app)
        app.keep_work()
        edited = app.explorer.workspace.scenario

    monkeypatch.chdir(second)
    restored = AmmoflowApp(read_scenario(typed), typed, str(typed))
    async with restored.run_test(size=(120, 40)) as pilot:
        assert await offered(pilot, restored)
        await pilot.press("r")
        await settle(pilot, restored)
        assert restored.explorer.workspace.path == first / "scen.toml"
        await pilot.press("ctrl+s")
        await settle(pilot, restored)
    assert read_scenario(first / "scen.toml") == edited
    assert read_scenario(second / "scen.toml").values["ru_fire_rate"] == 25_000


async def test_a_file_changed_on_disk_since_the_work_began_is_not_overwritten_without_asking(
    private_state: Path, stopped_explorer: Callable[..., Slot]
) -> None:
    path = private_state / "mine.toml"
    path.write_text(scenario_text(baseline()))
    began = fingerprint(path)
    stopped_explorer(baseline().with_value("ru_fire_rate", 33_000), path=path, fingerprint=began)
    path.write_text(path.read_text() + "# edited elsewhere after the crash\n")
    app = AmmoflowApp()
    async with app.run_test(size=(120, 40)) as pilot:
        assert await offered(pilot, app)
        await pilot.press("r")
        await settle(pilot, app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("escape")
        await pilot.pause()
    assert path.read_text().endswith("# edited elsewhere after the crash\n")


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
async def test_a_stop_signal_keeps_the_pending_work_and_exits_non_zero(number: int) -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("right")
        await settle(pilot, app)
        # The explorer catches the signal (otherwise this would end the test run).
        assert number in app.catching
        os.kill(os.getpid(), number)
        for _ in range(100):
            await pilot.pause()
            if app.stopped_by is not None:
                break
    assert app.exit_status == 128 + number
    found = app.slot.read()
    assert found is not None and found.scenario.values["ru_fire_rate"] == 20_500


async def test_edits_arriving_after_the_copy_fell_due_are_copied_at_once() -> None:
    """A busy loop can handle a key after the copy was already due; the copy then follows it."""
    now = [1000.0]
    app = AmmoflowApp(offer_recovery=False)
    app.clock = lambda: now[0]
    app.explorer.copy_schedule = CopySchedule(quiet=30, longest=60)  # no copy in real time during the test
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("right")
        now[0] += 100.0  # the first edit's copy was due long ago
        await pilot.press("right")
        for _ in range(50):
            await pilot.pause()
            found = app.slot.read()
            if found is not None and found.scenario.values["ru_fire_rate"] == 21_000:
                break
        assert found is not None and found.scenario.values["ru_fire_rate"] == 21_000


@pytest.mark.parametrize(
    ("source", "path", "preset"), [("nk-cutback-2025", None, "nk-cutback-2025"), ("scen.toml", None, None)]
)
def test_the_copy_an_older_version_left_is_offered_not_lost(
    tmp_path: Path, source: str, path: Path | None, preset: str | None
) -> None:
    """Older versions kept one copy for all explorers, its source as typed: a relative path is not trusted."""
    import json

    state = tmp_path / "state"
    state.mkdir()
    (state / "recovery.toml").write_text(scenario_text(baseline().with_value("ru_fire_rate", 33_000)))
    (state / "recovery.json").write_text(json.dumps({"saved_at": "2025-03-04 17:22", "source": source}))
    claimed = Slot().claim_next()
    assert claimed is not None and claimed.copy is not None
    assert claimed.copy.scenario.values["ru_fire_rate"] == 33_000
    assert (claimed.copy.path, claimed.copy.preset) == (path, preset)
    assert not (state / "recovery.toml").exists()
