"""The parameter list moved through with the keyboard, as a terminal shows it at 80x24.

When the focus moves to a row out of view the list scrolls, and every row that moved must be
written where it now is: a screen that kept the rows from before the move, with the focused
row drawn over them, showed values under the wrong labels.
"""

from __future__ import annotations

import shutil
import time
from itertools import pairwise

import pytest
from tmux_terminal import Terminal

from ammoflow.scenarios.model.registry import GROUPS
from ammoflow.tui.panels.parameters import REPORTED_ONLY_TITLE

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (.ci/run installs it)")

SLIDER_GLYPHS = frozenset("━─●╸╺ ")
TITLES = (*(title for _, title in GROUPS), REPORTED_ONLY_TITLE)  # the list's group titles
LIST_ROWS = range(1, 17)  # the list's lines at 80x24, under the title bar and over the help area
PANEL_WIDTH = 33


def list_lines(screen: str) -> list[str]:
    lines = screen.splitlines()
    return [lines[row][:PANEL_WIDTH].rstrip() for row in LIST_ROWS]


def kind(line: str) -> str:
    if line and set(line) <= SLIDER_GLYPHS:
        return "slider"
    if line in TITLES:
        return "title"
    return "value"


def out_of_order(lines: list[str]) -> list[str]:
    """Lines that cannot follow the one before them: each value line has its slider under it."""
    wrong = []
    for before, line in pairwise(lines):
        if (kind(before) == "value") != (kind(line) == "slider"):
            wrong.append(f"{before!r} then {line!r}")
    return wrong


def narrow_list(screen: str) -> bool:
    """The 80x24 layout: 24 lines, the first group's title, then a row with its slider under it."""
    if len(screen.splitlines()) != 24:
        return False
    lines = list_lines(screen)
    return lines[0] == "Production" and kind(lines[1]) == "value" and kind(lines[2]) == "slider"


def at_80x24(terminal: Terminal) -> None:
    terminal.start()
    terminal.wait_for("Food to North Korea")
    terminal.tmux("resize-window", "-x", "80", "-y", "24")
    terminal.wait_until(lambda: narrow_list(terminal.screen()), "the list at 80x24, each slider under its row")


def test_moving_down_the_list_and_back_a_key_at_a_time_writes_every_row_where_it_now_is(terminal: Terminal) -> None:
    at_80x24(terminal)
    for key in ["Down"] * 16 + ["Up"] * 16:
        terminal.keys(key)
        time.sleep(0.3)  # a user's pace: each move drawn before the next key
        lines = list_lines(terminal.screen())
        assert not out_of_order(lines), f"after a {key}:\n" + "\n".join(lines)
    assert list_lines(terminal.screen())[0] == "Production"


def test_moving_down_the_list_in_bursts_ends_on_the_rows_of_the_focused_parameter(terminal: Terminal) -> None:
    at_80x24(terminal)
    for keys, help_text in ((["Down"] * 5, "Shipment rate:"), (["Down"] * 11, "lines, utilisation: How hard")):
        terminal.keys(*keys)  # a burst: the list scrolls several times before it settles
        terminal.wait_for(help_text)
        time.sleep(0.4)  # anything still to be written is out by now
        lines = list_lines(terminal.screen())
        assert not out_of_order(lines), "\n".join(lines)
    assert lines[-2].endswith("30 %"), "the focused last row at the bottom of the list"
