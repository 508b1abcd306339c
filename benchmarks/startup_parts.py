"""Where the explorer's start-up goes: processor time until its first complete frame, by part.

    python benchmarks/startup_parts.py              # 120x40, 3 starts
    python benchmarks/startup_parts.py --starts 5 --size 80x24

Each start runs the explorer of this build in a tmux pane of its own, in a process that notes
its processor time (``time.process_time``: every thread, not the time other work on a shared
machine takes) at each step: the imports, Textual's start, composing and mounting the screen,
the first projection, and the first frame written that shows the chart, a slider's unit and
the key figures (the marks ``tui_latency.py`` waits for). The floor beside it is a trivial
Textual app's first frame with the same libraries imported: no start can take less. Both
hold Python's garbage collector off as the ``ammoflow`` command does (``tui/collector.py``).
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import tui_latency as tl

# Run inside the pane. Marks are written as JSON to the file named by argv[1].
PROBE = """
import functools, json, os, sys, time
began = time.perf_counter()
os.environ.setdefault("TEXTUAL_FPS", "500")  # as `ammoflow` itself sets it
try:
    from ammoflow.tui import collector
    collector.hold()  # as `ammoflow` does, for the floor too: the collector held off until the first frame
except ImportError:  # a build from before it
    pass
marks = {}
def mark(name):
    marks.setdefault(name, time.process_time() * 1000)
    marks.setdefault(name + " (clock)", (time.perf_counter() - began) * 1000)
MARKS = ("observed", "rounds/month", "NK share")
FLOOR = sys.argv[2] == "floor"
import textual.app
mark("Textual")
import numpy, plotext, polars
mark("Textual, Polars, NumPy, plotext")
from textual.drivers import linux_driver
write = linux_driver.LinuxDriver.write
seen = set()
def written(self, data):
    seen.update(m for m in MARKS if m in data)
    if len(seen) == len(MARKS):
        mark("first complete frame")
        app.exit()
    write(self, data)
linux_driver.LinuxDriver.write = written
if FLOOR:
    from textual.widgets import Footer, Header, Static
    class Floor(textual.app.App):
        def compose(self):
            yield Header()
            yield Static(" ".join(MARKS))
            yield Footer()
    app = Floor()
    app.run()
else:
    from ammoflow.tui import app as explorer_app
    from ammoflow.tui import explorer
    mark("the explorer's modules")
    def noting(cls, name, before, after):
        original = getattr(cls, name)
        @functools.wraps(original)  # Textual passes the event or not by the handler's signature
        def noted(*args, **kwargs):
            mark(before)
            result = original(*args, **kwargs)
            mark(after)
            return result
        setattr(cls, name, noted)
    noting(explorer.ExplorerScreen, "compose", "Textual's start, the stylesheet", "compose")
    noting(explorer.ExplorerScreen, "on_mount", "composing and mounting the widgets", "the first projection")
    app = explorer_app.AmmoflowApp()  # on the baseline, as `ammoflow` opens it
    app.run()
with open(sys.argv[1], "w") as out:
    json.dump(marks, out)
"""

PARTS = (
    ("Textual", "Python and Textual imported"),
    ("Textual, Polars, NumPy, plotext", "Polars, NumPy and plotext imported"),
    ("the explorer's modules", "the explorer's own modules"),
    ("Textual's start, the stylesheet", "Textual's start and the stylesheet"),
    ("composing and mounting the widgets", "composing and mounting the screen"),
    ("the first projection", "the first projection, the values put in place"),
    ("first complete frame", "laying out and painting the first frame"),
)


def one_start(python: Path, size: tuple[int, int], floor: bool, env: dict[str, str]) -> dict[str, float]:
    """The processor-time marks (ms) of one start in a fresh tmux pane."""
    with tempfile.TemporaryDirectory(prefix="ammoflow-parts-") as folder:
        out, probe = Path(folder) / "marks.json", Path(folder) / "probe.py"
        probe.write_text(PROBE)
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        command = f"env {exports} {python} {probe} {out} {'floor' if floor else 'explorer'}"
        width, height = size
        tl.tmux("new-session", "-d", "-s", tl.SESSION, "-x", str(width), "-y", str(height), command)
        deadline = time.monotonic() + 60
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        subprocess.run(["tmux", "-L", tl.SOCKET, "kill-session", "-t", tl.SESSION], capture_output=True)
        if not out.exists():
            sys.exit("a start did not reach its first complete frame within 60 s")
        marks: dict[str, float] = json.loads(out.read_text())
        return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="120x40", help="terminal size, WIDTHxHEIGHT")
    parser.add_argument("--starts", type=int, default=3)
    args = parser.parse_args()
    size = tuple(int(part) for part in args.size.split("x"))
    tl.tmux("new-session", "-d", "-s", "keep", "sleep 3600")
    atexit.register(tl.stop_server)
    python = Path(sys.executable)
    tl.compile_program(python.with_name("ammoflow"))
    env = {
        "AMMOFLOW_STATE_DIR": tempfile.mkdtemp(prefix="ammoflow-bench-"),
        "AMMOFLOW_CONFIG": "/nonexistent/ammoflow.toml",
        "TERM": os.environ.get("TERM", "xterm-256color"),
    }
    floors, starts = [], []
    for _ in range(args.starts):  # in turn, so both see the same load
        floors.append(one_start(python, (size[0], size[1]), True, env)["first complete frame"])
        starts.append(one_start(python, (size[0], size[1]), False, env))
    print(f"terminal {args.size}, {args.starts} starts, processor time (ms), medians; load {os.getloadavg()[0]:.1f}")
    before = 0.0
    for key, label in PARTS:
        at = statistics.median(start[key] for start in starts)
        print(f"  {label:<48} {at - before:6.0f}   (at {at:5.0f})")
        before = at
    print(f"{'start to first complete frame':<50} {before:6.0f}")
    clock = statistics.median(start["first complete frame (clock)"] for start in starts)
    print(f"{'the same in clock time (other work counts too)':<50} {clock:6.0f}")
    print(f"{'floor: a trivial app, the same libraries':<50} {statistics.median(floors):6.0f}")


if __name__ == "__main__":
    main()
