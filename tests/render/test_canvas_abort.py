"""A drawing leaving the figure never kills the process that draws it.

plotext 6.1's C kernel aborts the interpreter (no exception, no cleanup: the explorer would
vanish with the user's unsaved work) on a line reaching a little left of or above the axes,
or to a non-finite or far-off point (``canvas_clip``'s docstring). The charts keep their
data inside their axes, so no input of the explorer's is known to get there; the canvas cuts
every drawing to the figure all the same. Each drawing runs in a child process here, as the
failure is the end of the process, and the child prints what it drew.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

CHILD = """
import json, math, sys
from ammoflow.tui.render.plotext_canvas import Canvas

def number(value):
    return float(value) if isinstance(value, str) else value

drawings = json.loads(sys.argv[1])
canvas = Canvas()
for kind, points, size in drawings:
    canvas.start(*size)
    if kind == "bars":
        canvas.no_frame()
    else:
        canvas.open_frame()
    canvas.x_range(0.0, 10.0)
    canvas.y_range(0.0, 10.0)
    columns = [[number(value) for value in column] for column in points]
    if kind == "line":
        canvas.line(columns[0], columns[1], "*")
    elif kind == "band":
        canvas.band(columns[0], columns[1], columns[2], "*")
    elif kind == "bars":
        canvas.horizontal_bars(columns[0], 5.0, columns[1], ["#"] * len(columns[0]), width=0.8)
    print("\\n".join(canvas.rows()), flush=True)
print("drawn", flush=True)
"""


Drawing = tuple[str, list[list[float | str]], tuple[int, int]]
"""kind, columns of values (a string for a value JSON cannot hold), figure size"""


def draw_in_child(*drawings: Drawing) -> subprocess.CompletedProcess[str]:
    """The drawings made by a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(drawings)], capture_output=True, text=True, cwd=REPO, timeout=120
    )


# Every one of these aborted plotext 6.1 (assertion or std::bad_alloc) through the canvas.
LEAVING: dict[str, Drawing] = {
    "a line to half a cell above the top": ("line", [[5.0, 5.0], [5.0, 10.5]], (60, 20)),
    "a line to just left of the first month": ("line", [[5.0, -0.1], [5.0, 5.0]], (60, 20)),
    "a line out through a corner": ("line", [[5.0, 20.0], [5.0, 20.0]], (60, 20)),
    "a line to a huge value": ("line", [[0.0, 10.0], [5.0, 1e300]], (60, 20)),
    "a line to an infinite value": ("line", [[0.0, 10.0], [5.0, "inf"]], (60, 20)),
    "a line to NaN": ("line", [[0.0, 10.0], [5.0, "nan"]], (60, 20)),
    "a line from the float limit to the other": ("line", [[-1e308, 1e308], [-1e308, 1e308]], (60, 20)),
    "a band filled above the top": ("band", [[5.0, 6.0], [5.0, 5.0], [11.0, 11.0]], (60, 20)),
    "a band to a huge value": ("band", [[2.0, 8.0], [5.0, 5.0], [5.0, -1e300]], (60, 20)),
    "a bar to infinity": ("bars", [[1.0], ["inf"]], (30, 2)),
    "a bar far to the right": ("bars", [[1.0], [1e10]], (30, 2)),
}


@pytest.mark.parametrize("name", sorted(LEAVING))
def test_a_drawing_leaving_the_figure_is_cut_not_fatal(name: str) -> None:
    result = draw_in_child(LEAVING[name])
    assert result.returncode == 0, f"{name}: the process died ({result.returncode}): {result.stderr[-500:]}"
    assert result.stdout.rstrip().endswith("drawn")


def test_what_stays_in_sight_is_drawn_up_to_the_edge() -> None:
    """A line out through the top is drawn to the top row; one wholly outside draws nothing."""
    result = draw_in_child(
        ("line", [[0.0, 10.0], [0.0, 20.0]], (42, 12)),  # leaves through the top halfway across
        ("line", [[0.0, 10.0], [11.0, 30.0]], (42, 12)),  # above the figure all along
    )
    assert result.returncode == 0, result.stderr[-500:]
    figures = result.stdout.split("\n")
    crossing, outside = figures[:12], figures[12:24]
    plot_rows = [row[5:] for row in crossing[:10]]  # the rows above the x axis, right of the labels
    assert "*" in plot_rows[0], "the line reaches the top row"
    assert "*" not in plot_rows[0][len(plot_rows[0]) * 3 // 4 :], "and is not drawn along it past where it left"
    assert not any("*" in row for row in outside), "a line wholly outside is not drawn"
