"""In a real terminal (tmux): a notification leaves nothing behind on the figures when it goes."""

from __future__ import annotations

import shutil

import pytest
from tmux_terminal import Terminal

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (.ci/run installs it)")

LAST_ROW = "Food per returned"  # on screen once the parameters are drawn


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_the_screen_after_a_toast_is_the_screen_drawn_afresh(terminal: Terminal, size: tuple[int, int]) -> None:
    terminal.start()
    terminal.wait_for(LAST_ROW)
    terminal.tmux("resize-window", "-x", str(size[0]), "-y", str(size[1]))
    terminal.wait_for("Short, total" if size[0] < 100 else "Total shortfall")
    terminal.keys("Right")
    terminal.wait_for("modified")
    terminal.keys("b")  # "Pinned as the baseline ...", over the figures
    terminal.wait_for("Pinned as the baseline")
    terminal.wait_until(lambda: "Pinned as the baseline" not in terminal.screen(), "the toast going", timeout=30)
    left = terminal.screen()
    terminal.keys("6")  # away and back: the right pane drawn again from nothing
    terminal.wait_until(lambda: terminal.screen() != left, "the Figures tab")
    terminal.keys("1")
    # Drawn afresh (the tab's underline slides there first), it is the screen the toast left.
    terminal.wait_until(lambda: terminal.screen() == left, f"the screen the toast left:\n{left}\nagain")
