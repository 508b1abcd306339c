"""In a real terminal (tmux): a scenario's name cannot set the terminal's title or clear its screen."""

from __future__ import annotations

import shutil

import pytest
from tmux_terminal import Terminal

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (.ci/run installs it)")

# OSC 2 sets the window title; ESC \ ends it (Textual drops BEL itself, not ESC).
NAME = "Evil\x1b]2;owned-title\x1b\\ name"


def test_a_crafted_name_is_shown_and_leaves_the_title_alone(terminal: Terminal) -> None:
    escaped = "".join(f"\\u{ord(c):04X}" if ord(c) < 0x20 else c for c in NAME.replace("\\", "\\\\"))
    (terminal.folder / "evil.toml").write_text(f'name = "{escaped}"\n', encoding="utf-8")
    terminal.start("evil.toml")
    terminal.wait_for("Food to North Korea")
    terminal.wait_for("Evil")  # the header is drawn
    assert "owned-title" not in terminal.tmux("display-message", "-p", "#{pane_title}")
    terminal.wait_for("Evil\\x1b]2;owned-title\\x1b\\ name")
    terminal.keys("q")
    terminal.wait_for("EXITED 0")
