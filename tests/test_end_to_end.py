"""The installed `ammoflow`, in a real terminal (tmux): move a slider, undo, save, quit, reopen;
kill it (SIGKILL, SIGHUP, a closed terminal) and restore its work; two explorers side by side."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest
from tmux_terminal import PROGRAM, Terminal

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (.ci/run installs it)")


def test_move_undo_save_quit_and_reopen(terminal: Terminal) -> None:
    assert os.access(PROGRAM, os.X_OK), f"{PROGRAM} is not installed"
    terminal.start()
    terminal.wait_for("Food to North Korea")
    screen = terminal.wait_for("150,000 rounds/month")

    # The first row (Russia-order lines, full capacity) has the focus: three steps of 5,000, typed
    # as a user moves a slider (one burst), so that they make one move for undo (steps less than a
    # second apart merge). Waiting for the screen between them would race that second on a busy machine.
    terminal.keys("Right", "Right", "Right")
    terminal.wait_for("165,000 rounds/month")
    terminal.wait_for("● modified")

    terminal.keys("C-z")
    terminal.wait_for("150,000 rounds/month")
    terminal.keys("C-y")
    terminal.wait_for("165,000 rounds/month")

    terminal.keys("C-s")
    terminal.wait_for("Save scenario as")
    terminal.keys("Enter")  # the suggested name, in the folder ammoflow was started in
    saved = terminal.folder / "baseline.toml"
    deadline = time.monotonic() + 10
    while not saved.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "nk_capacity_russia = 165_000" in saved.read_text()
    terminal.wait_for("Saved")

    terminal.keys("q")
    terminal.wait_for("EXITED 0")
    terminal.close()

    terminal.start("baseline.toml")
    screen = terminal.wait_for("165,000 rounds/month")
    assert "modified" not in screen
    terminal.keys("q")
    terminal.wait_for("EXITED 0")


# -- recovery after a kill or a dropped terminal ---------------------------------------

FIRST_ROW = "Russia-order lines, full"  # the focused row at start; each Right adds 5,000
STEP = 5_000
WINDOW = 0.25  # the README's promise: at most this much editing lost to SIGKILL
MARGIN = 0.2  # for a loaded machine: an edit this much older than the window must survive


def shows(terminal: Terminal, value: int) -> bool:
    return any(FIRST_ROW in line and f"{value:,} rounds/month" in line for line in terminal.screen().splitlines())


def copies(state: Path, pid: int | None = None) -> dict[int, object]:
    """The recovery copies in the state folder by process (only ``pid``'s when given)."""
    from ammoflow.tui.recovery import Copy, Process

    found = {}
    for path in (state / "recovery").glob("*.json"):
        owner = Process.from_name(path.name)
        if owner is None or (pid is not None and owner.pid != pid):
            continue
        try:
            found[owner.pid] = Copy.read(path).scenario
        except Exception:  # being replaced this very moment: read it next time round
            continue
    return found


def copied_value(state: Path, pid: int) -> int | None:
    scenario = copies(state, pid).get(pid)
    return None if scenario is None else int(scenario.values["nk_capacity_russia"])  # type: ignore[attr-defined]


def step(terminal: Terminal, value: int) -> int:
    """One step right on the first row; the value once the screen shows it."""
    terminal.keys("Right")
    terminal.wait_until(lambda: shows(terminal, value + STEP), f"{value + STEP:,} on screen")
    return value + STEP


def restore(terminal: Terminal, candidates: tuple[int, ...]) -> int:
    """Start again, restore the offered work, and check all of it: the value it restored."""
    from ammoflow.scenarios.files import presets

    terminal.start()
    terminal.wait_for("did not close cleanly")
    terminal.keys("r")
    value = terminal.wait_until(lambda: next((v for v in candidates if shows(terminal, v)), None), "a restored value")
    pid = terminal.pid()
    # The restored work is copied to the new explorer's slot at once: every value, not just the one shown.
    terminal.wait_until(lambda: copied_value(terminal.state, pid) == value, "the restored copy")
    assert copies(terminal.state, pid)[pid] == presets.load("baseline").with_value("nk_capacity_russia", value)
    return int(value)  # type: ignore[call-overload]


@pytest.mark.parametrize("stop", ["SIGKILL", "SIGHUP"])
def test_killed_explorers_work_is_restored(terminal: Terminal, stop: str) -> None:
    """Kill 0 s, 0.2 s and 0.5 s after the last key, and in steady editing; relaunch and restore.

    An edit older than the window survives SIGKILL; SIGHUP (and a closed terminal) keep every
    edit the screen showed.
    """
    number = getattr(signal, stop)
    terminal.start()
    terminal.wait_until(lambda: shows(terminal, 150_000), "the first frame")
    # A first edit, copied: there is always earlier work to restore, whatever a kill loses.
    value, lost = step(terminal, 150_000), []
    first = terminal.pid()
    terminal.wait_until(lambda: copied_value(terminal.state, first) == value, "the first copy")
    for trial in ("0", "0.2", "0.5", "steady", "closed terminal"):
        if trial == "closed terminal" and stop != "SIGHUP":
            continue
        pid = terminal.pid()
        if trial == "steady":  # a key every 0.3 s; the kill lands 0.1 s after the last
            for _ in range(4):
                value = step(terminal, value)
                shown = time.monotonic()
                time.sleep(0.3)
            kept = value - STEP  # older than the window by the time of the kill
            value = step(terminal, value)
            shown = time.monotonic()
            time.sleep(0.1)
        else:
            kept = value
            value = step(terminal, value)
            shown = time.monotonic()
            time.sleep(float(trial) if trial != "closed terminal" else 0)
        age = time.monotonic() - shown
        if trial == "closed terminal":
            terminal.close()  # the terminal hangs up: the explorer must copy its work and end, not hang
            gone = Path(f"/proc/{pid}")
            terminal.wait_until(lambda: not gone.exists(), "the explorer's end", timeout=10)  # noqa: B023
        else:
            os.kill(pid, number)
            assert terminal.exit_status() == 128 + number
            terminal.close()
        may_lose = number == signal.SIGKILL and age < WINDOW + MARGIN
        restored = restore(terminal, (value, kept) if may_lose else (value,))
        assert restored == value or may_lose, f"{stop} {trial}: the last edit was lost"
        if restored != value:
            lost.append(f"{trial} ({age:.2f} s old)")
        value = restored
    terminal.keys("q")
    terminal.wait_for("Quit without saving")
    terminal.keys("y")
    assert terminal.exit_status() == 0
    assert copies(terminal.state) == {}
    print(f"{stop}: {len(lost)} edit(s) lost, all within the window: {', '.join(lost) or 'none'}")


def test_two_explorers_at_once_keep_their_own_work(tmp_path: Path) -> None:
    state = tmp_path / "state"
    first_folder, second_folder = tmp_path / "first", tmp_path / "second"
    first_folder.mkdir()
    second_folder.mkdir()
    first, second = Terminal(first_folder, state), Terminal(second_folder, state)
    try:
        first.start()
        first.wait_until(lambda: shows(first, 150_000), "the first explorer")
        step(first, 150_000)
        first_pid = first.pid()
        first.wait_until(lambda: copied_value(state, first_pid) == 155_000, "the first explorer's copy")

        # The second is not offered the first one's live work: its first key moves its own slider.
        second.start()
        second.wait_until(lambda: shows(second, 150_000), "the second explorer")
        step(second, 150_000)
        step(second, 155_000)
        assert "did not close cleanly" not in second.screen()
        second_pid = second.pid()
        second.wait_until(lambda: copied_value(state, second_pid) == 160_000, "the second explorer's copy")
        second.keys("q")
        second.wait_for("Quit without saving")
        second.keys("y")
        assert second.exit_status() == 0
        assert copied_value(state, second_pid) is None  # its own copy went with it
        assert copied_value(state, first_pid) == 155_000  # the other's stayed

        # The first dies; the next start offers its work, and only its work.
        os.kill(first_pid, signal.SIGKILL)
        assert first.exit_status() == 128 + signal.SIGKILL
        second.close()
        assert restore(second, (155_000,)) == 155_000
    finally:
        first.close()
        second.close()


def test_a_crash_exits_non_zero_and_keeps_the_work(terminal: Terminal) -> None:
    """An unexpected error (here one planted in the pin-baseline key) ends the explorer with status 1."""
    crash = "1/0"
    script = (
        "import sys; from ammoflow.tui import explorer; "
        f"explorer.ExplorerScreen.action_pin_baseline = lambda self: {crash}; "
        "from ammoflow.tui.cli.main import main; sys.argv[0] = 'ammoflow'; main()"
    )
    terminal.start_command(f'{sys.executable} -c "{script}"')
    terminal.wait_until(lambda: shows(terminal, 150_000), "the first frame")
    step(terminal, 150_000)
    pid = terminal.pid()
    terminal.keys("b")
    assert terminal.exit_status() == 1
    assert copied_value(terminal.state, pid) == 155_000
