"""End to end in a real terminal (tmux): the chart's cursor reads a value the CLI also gives."""

from __future__ import annotations

import re
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


def test_the_cursor_reads_three_kept_runs_beside_the_scenario(terminal: Terminal) -> None:
    """Keep three runs (the shipments' Russia-order lines at 150,000, 165,000 and 180,000 a month),
    move on to 195,000, and read all four at the last month with the cursor."""
    base = presets.load("baseline")
    capacities = (150_000, 165_000, 180_000, 195_000)
    rounds = [project(base.with_value("nk_capacity_russia", c))["cumulative_rounds"][21] for c in capacities]
    assert len({format_compact_table(r) for r in rounds}) == 4, "the four runs must read apart"
    month = project(base)["month"][21]  # 2025-06: the runs apart once North Korea's stock runs low
    terminal.start()
    terminal.wait_for("Food per returned")
    for kept in ("Kept run: Baseline", "Kept run: Baseline (modified)", "Kept run: Baseline (modified) (2)"):
        terminal.keys("k")
        terminal.wait_for(kept)
        terminal.keys("Right", "Right", "Right")  # the first slider: Russia-order lines, 5,000 a step
    terminal.keys("2", "c", "Home", *["Right"] * 21)
    terminal.wait_until(lambda: f"▸ {month} rounds" in readout_line(terminal.screen()), "the cursor on that month")

    def readout() -> str:
        lines = terminal.screen().splitlines()
        start = next(i for i, line in enumerate(lines) if "▸ " in line)
        return " ".join(lines[start : start + 4])

    shown = terminal.wait_until(lambda: all(format_compact_table(r) in readout() for r in rounds) and readout(), "")
    own = format_compact_table(rounds[-1])
    assert re.search(rf"• (projected )?{re.escape(own)}", str(shown)), shown  # this scenario's own, in its glyph
