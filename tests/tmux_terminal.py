"""A tmux server of the tests' own, driving the installed `ammoflow` as a user's terminal does.

Shared by the tests that need a real terminal (end to end, and the terminal's title), which
take it through the ``terminal`` fixture in ``conftest.py``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

PROGRAM = Path(sys.executable).with_name("ammoflow")


class Terminal:
    """One tmux server of our own, so tests never touch the user's sessions."""

    def __init__(self, folder: Path, state: Path) -> None:
        self.socket = f"ammoflow-test-{uuid.uuid4().hex[:8]}"
        self.sockets = [self.socket]  # every server this terminal started, so close() leaves none behind
        self.folder = folder
        self.state = state

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False)
        return done.stdout

    def start(self, *arguments: str) -> None:
        self.start_command(" ".join([str(PROGRAM), *arguments]))

    def start_command(self, program: str) -> None:
        self.socket = f"ammoflow-test-{uuid.uuid4().hex[:8]}"  # a fresh server: the last may still be closing
        self.sockets.append(self.socket)
        # COLUMNS and LINES (set by some test runners) would override the pane's real size.
        command = f"env -u COLUMNS -u LINES {program}"
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

    def wait_until(self, condition: Callable[[], object], what: str, timeout: float = 20) -> object:
        """Poll ``condition`` until it gives something true; that thing."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = condition()
            if found:
                return found
            time.sleep(0.05)
        raise AssertionError(f"{what} never happened; the screen was:\n{self.screen()}")

    def pid(self) -> int:
        """The explorer's process: the one child of the pane's shell."""

        def child() -> int | None:
            pane = self.tmux("list-panes", "-F", "#{pane_pid}").strip()
            try:
                found = Path(f"/proc/{pane}/task/{pane}/children").read_text().split()
            except (OSError, ValueError):
                return None
            return int(found[0]) if found else None

        return int(self.wait_until(child, "the explorer's process"))  # type: ignore[arg-type]

    def exit_status(self) -> int:
        """The status the explorer exited with, once the pane shows it."""
        match = self.wait_until(lambda: re.search(r"EXITED (\d+)", self.screen()), "an exit")
        return int(match.group(1))  # type: ignore[union-attr]

    def close(self) -> None:
        """Stop every server this terminal started and remove their sockets (tmux leaves them behind)."""
        folder = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        for socket in self.sockets:
            subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, check=False)
            (folder / socket).unlink(missing_ok=True)
