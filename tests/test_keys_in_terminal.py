"""Keys as a real terminal sends them (tmux): each key in its own write, or several in one.

A key that moves focus must have moved it before the next key is routed, however the keys
are split into writes; and an Escape read together with the key after it is that Escape
and that key, not an Alt chord the explorer has no binding for.
"""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from tmux_terminal import Terminal

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (.ci/run installs it)")

FIRST_ROW = "Russia-order lines, full"
LAST_ROW = "Food per returned"  # on screen once the parameters are drawn
RUNS = 24
AT_ONCE = 3  # explorers started side by side: the machine is shared


def row_line(screen: str, label: str) -> str:
    return next((line for line in screen.splitlines() if line.startswith(label)), "")


def changed_rows(screen: str) -> list[str]:
    """The labels of the rows showing the changed mark, as drawn (cut to the label column)."""
    return [line[:26].strip() for line in screen.splitlines()[:26] if "━" in line and " *" in line]


def down_four_times_then_end(folder: Path) -> list[str]:
    """On a fresh explorer, Down four times and End, each in its own write: the rows changed."""
    (folder / "work").mkdir(parents=True)
    terminal = Terminal(folder / "work", folder / "state")
    try:
        terminal.start()
        terminal.wait_for(LAST_ROW)
        terminal.keys("Down", "Down", "Down", "Down", "End")
        terminal.wait_until(lambda: changed_rows(terminal.screen()), "a row changed")
        time.sleep(0.5)  # any later (wrong) change shows by now
        return changed_rows(terminal.screen())
    finally:
        terminal.close()


def test_four_downs_and_end_in_separate_writes_set_the_fifth_row(tmp_path: Path) -> None:
    with ThreadPoolExecutor(AT_ONCE) as pool:
        outcomes = list(pool.map(down_four_times_then_end, [tmp_path / str(run) for run in range(RUNS)]))
    wrong = [rows for rows in outcomes if rows != ["Russian stockpile at start"]]
    assert not wrong, f"{len(wrong)} of {RUNS} runs changed another row: {wrong}"


def test_escape_then_a_digit_in_one_write_leaves_the_field_and_shows_the_tab(terminal: Terminal) -> None:
    terminal.start()
    terminal.wait_for(LAST_ROW)
    terminal.keys("Enter")  # a field to type the first row's value, the value in it
    terminal.wait_until(lambda: row_line(terminal.screen(), FIRST_ROW).count("150,000") == 2, "the field")
    terminal.tmux("send-keys", "-l", "\x1b3")
    terminal.wait_for("Stockpiles at month end")
    screen = terminal.screen()
    assert "£" not in screen
    assert "150,000 rounds/month" in row_line(screen, FIRST_ROW)


def test_escape_then_b_in_one_write_pins_the_baseline(terminal: Terminal) -> None:
    terminal.start()
    terminal.wait_for(LAST_ROW)
    terminal.keys("Right")
    terminal.wait_for("155,000 rounds/month")
    terminal.tmux("send-keys", "-l", "\x1bb")
    terminal.wait_for("Pinned as the baseline")
