"""Comparing runs the way a user meets it: the real program in a terminal (tmux) of its own."""

from __future__ import annotations

from tmux_terminal import Terminal

LABELS = ("Containers", "Rounds", "NK at reserve", "RU short from", "Short, total", "Fired a day")
MORE = ("NK share", "Food, tonnes", "Short, 12 mo", "NK stock", "RU stock", "Fire from NK")


def test_the_full_figures_table_at_80x24_with_a_baseline(terminal: Terminal) -> None:
    terminal.start()
    terminal.wait_for("Food to North Korea")
    terminal.tmux("resize-window", "-x", "80", "-y", "24")
    terminal.wait_for("NK at reserve")  # the compact figures under the chart
    terminal.keys("Right", "Right", "Right", "6")
    screen = terminal.wait_for("change")
    header = next(line for line in screen.splitlines() if "as of" in line)
    assert "this" in header and "baseline" in header and "change" in header  # the change on its line
    for label in LABELS + MORE:
        assert label in screen, label
    terminal.keys("q", "Enter")  # modified: quitting asks
    terminal.close()


def test_three_runs_compared_renamed_and_exported(terminal: Terminal) -> None:
    terminal.start()
    terminal.wait_for("Food to North Korea")
    terminal.keys("k")
    terminal.wait_for("Kept run: Baseline")
    terminal.keys("Right", "Right", "Right", "k")
    terminal.wait_for("Kept run: Baseline (modified)")
    terminal.keys("Right", "Right", "Right", "k")
    terminal.wait_for("Kept run: Baseline (modified) (2)")
    terminal.keys("K")
    screen = terminal.wait_for("Runs compared")
    assert "Baseline (modified) (2)" in screen
    terminal.keys("n", "fast", "Enter")  # the old name is selected: typing replaces it
    terminal.wait_for("Renamed to fast")
    terminal.keys("3")  # the stocks chart: every run in the legend
    screen = terminal.wait_for("fast")
    terminal.keys("K")
    terminal.wait_for("Runs compared")
    terminal.keys("e")
    terminal.wait_for("Export the comparison")
    terminal.keys("Enter")  # the suggested name, in the folder ammoflow was started in
    terminal.wait_for("Exported 5 runs")  # this, the baseline and the three kept
    months = (terminal.folder / "comparison.csv").read_text().splitlines()
    assert months[0].startswith("run,month,")
    assert len(months) == 1 + 5 * 48
    figures = (terminal.folder / "comparison-figures.csv").read_text()
    assert "fast" in figures and "Baseline (modified) (2)" in figures
    terminal.close()
