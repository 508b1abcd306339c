"""End to end in a real terminal (tmux): the chart's cursor reads a value the CLI also gives."""

from __future__ import annotations

import shutil

import pytest
from tmux_terminal import Terminal

from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.files import presets
from ammoflow.scenarios.model.numbers import format_compact_table

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (.ci/run installs it)")


def readout_line(screen: str) -> str:
    return next((line for line in screen.splitlines() if "▸ " in line), "")


def test_the_cursor_reads_the_rounds_shipped_in_the_first_and_last_months(terminal: Terminal) -> None:
    frame = project(presets.load("baseline"))
    first, last = frame["month"][0], frame["month"][-1]
    rounds = frame["cumulative_rounds"]
    terminal.start()
    terminal.wait_for("Food per returned")
    terminal.keys("2")
    terminal.wait_for("Rounds shipped to Russia, cumulative")
    terminal.keys("c", "End")
    terminal.wait_until(lambda: f"▸ {last} rounds" in readout_line(terminal.screen()), "the cursor on the last month")
    assert f"projected {format_compact_table(rounds[-1])}" in readout_line(terminal.screen())
    terminal.keys("Home")
    terminal.wait_until(lambda: f"▸ {first} rounds" in readout_line(terminal.screen()), "the cursor on the first month")
    assert f"projected {format_compact_table(rounds[0])}" in readout_line(terminal.screen())
    terminal.keys("Right")
    terminal.wait_until(lambda: f"▸ {frame['month'][1]} rounds" in readout_line(terminal.screen()), "a month on")
    assert f"projected {format_compact_table(rounds[1])}" in readout_line(terminal.screen())
