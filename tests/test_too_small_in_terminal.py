"""A terminal made too small and then large again, as a split or zoomed tmux pane does it:
the keys act where they did before, and nothing changes unseen while the note is shown."""

from __future__ import annotations

import shutil
import time

import pytest
from tmux_terminal import Terminal

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (.ci/run installs it)")

LAST_ROW = "Food per returned"  # on screen once the parameters are drawn


def row_line(screen: str, label: str) -> str:
    return next((line for line in screen.splitlines() if line.startswith(label)), "")


def test_after_too_small_the_keys_act_on_the_row_they_acted_on_before(terminal: Terminal) -> None:
    terminal.start()
    terminal.wait_for(LAST_ROW)
    terminal.keys("Down")  # the second row: the Russia-order lines' utilisation
    terminal.wait_for("Russia-order lines, utilisation:")  # its help shown: the focus is there
    terminal.tmux("resize-window", "-x", "59", "-y", "19")
    terminal.wait_for("too small")
    terminal.keys("b", "3")  # would pin a baseline and switch tabs, unseen
    # Refused keys show nothing to wait for; the resize must not overtake them on their way in.
    time.sleep(1.0)
    terminal.tmux("resize-window", "-x", "100", "-y", "30")
    terminal.wait_for(LAST_ROW)
    terminal.keys("Home")  # the utilisation to 0 %: at 100 % already, End would change nothing
    screen = terminal.wait_for("modified")
    assert "0 %" in row_line(screen, "Russia-order lines, ut"), screen
    assert "100 %" not in row_line(screen, "Russia-order lines, ut"), screen
    assert "150,000" in row_line(screen, "Russia-order lines, fu"), screen  # the first row untouched
    assert "Pinned as the baseline" not in screen
    assert "Stockpiles at month end" not in screen  # the tab "3" would have shown


def test_a_file_that_does_not_exist_opens_a_new_scenario_that_saves_there(terminal: Terminal) -> None:
    terminal.start("plan.toml")
    screen = terminal.wait_for(LAST_ROW)
    assert "plan.toml" in screen  # the title names the file ctrl+s writes
    terminal.keys("Right")
    terminal.wait_for("modified")
    terminal.keys("C-s")
    terminal.wait_until(lambda: (terminal.folder / "plan.toml").exists(), "the file saved")
    text = (terminal.folder / "plan.toml").read_text()
    assert 'name = "plan"' in text and "nk_capacity_russia = 155_000" in text
    assert "the stockpiles are assumptions" in text  # the baseline's comments on its sources
