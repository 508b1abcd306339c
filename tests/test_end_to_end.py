"""The installed `ammoflow`, in a real terminal (tmux): move a slider, undo, save, quit, reopen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PROGRAM = Path(sys.executable).with_name("ammoflow")

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (.ci/run installs it)")


class Terminal:
    """One tmux server of our own, so tests never touch the user's sessions."""

    def __init__(self, folder: Path, state: Path) -> None:
        self.socket = f"ammoflow-test-{uuid.uuid4().hex[:8]}"
        self.folder = folder
        self.state = state

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False)
        return done.stdout

    def start(self, *arguments: str) -> None:
        self.socket = f"ammoflow-test-{uuid.uuid4().hex[:8]}"  # a fresh server: the last may still be closing
        # COLUMNS and LINES (set by some test runners) would override the pane's real size.
        command = " ".join(["env -u COLUMNS -u LINES", str(PROGRAM), *arguments])
        # The pane stays after the program exits so its last screen can be read.
        self.tmux(
            "new-session", "-d", "-x", "120", "-y", "40", "-c", str(self.folder),
            "-e", f"AMMOFLOW_STATE_DIR={self.state}", "-e", "TERM=xterm-256color",
            f"{command}; echo EXITED $?; sleep 60",
        )  # fmt: skip

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", key)
            time.sleep(0.05)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p")

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def close(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    work = tmp_path / "work"
    work.mkdir()
    term = Terminal(work, tmp_path / "state")
    yield term
    term.close()


def test_move_undo_save_quit_and_reopen(terminal: Terminal) -> None:
    assert os.access(PROGRAM, os.X_OK), f"{PROGRAM} is not installed"
    terminal.start()
    terminal.wait_for("Food to North Korea")
    screen = terminal.wait_for("150,000 rounds/month")

    # The first row (Russia-order lines, full capacity) has the focus: three steps of 5,000.
    for value in ("155,000", "160,000", "165,000"):
        terminal.keys("Right")
        terminal.wait_for(f"{value} rounds/month")
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
