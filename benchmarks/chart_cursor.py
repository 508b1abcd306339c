"""Key press to screen with the charts' cursor on and three compared runs overlaid, in tmux.

    python benchmarks/chart_cursor.py                 # 120x40, 40 presses per case
    python benchmarks/chart_cursor.py --size 80x24 --presses 20

Two explorers are measured in the same minutes, with the method of ``tui_latency.py`` (the
pane is read until it has not changed for 40 ms): the plain one (no cursor, nothing
compared) and one with the cursor on and three presets drawn as compared runs. In each,
slider steps (Right/Left on the first slider: a projection and a redraw) and, in the
second, cursor moves (``]``/``[``: a redraw only) are timed. The runs are put in through
``chart_data``'s ``compared`` argument, the way the explorer passes its runs.
"""

from __future__ import annotations

import argparse
import atexit
import functools
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tui_latency as bench  # the method, shared

COMPARED = ("nk-cutback-2025", "seed-article", "us-state-dept")
CURSOR_MONTH = "2025-06"


def serve(overlaid: bool) -> None:
    """Run the explorer on the baseline; with ``overlaid``, the cursor on and three runs compared."""
    from ammoflow.scenarios.engine.projection import project
    from ammoflow.scenarios.files import presets
    from ammoflow.tui import explorer
    from ammoflow.tui.app import AmmoflowApp
    from ammoflow.tui.panels import chart_tabs

    if overlaid:
        runs = tuple(chart_tabs.Compared(name, project(presets.load(name))) for name in COMPARED)
        plain = chart_tabs.chart_data

        @functools.wraps(plain)
        def with_runs(*args: Any, **kwargs: Any) -> chart_tabs.ChartData:
            kwargs["compared"] = (*kwargs.get("compared", ()), *runs)
            return plain(*args, **kwargs)

        chart_tabs.chart_data = with_runs  # type: ignore[assignment]  # the three runs on every chart
        mount = explorer.ExplorerScreen.on_mount

        def cursor_on(screen: explorer.ExplorerScreen) -> None:
            screen.cursor_month = CURSOR_MONTH
            mount(screen)

        explorer.ExplorerScreen.on_mount = cursor_on  # type: ignore[method-assign]  # the cursor on from the start
    app = AmmoflowApp(presets.load("baseline"), None, "baseline", offer_recovery=False)
    app.run()


def measure(
    overlaid: bool, size: tuple[int, int], count: int, log: Path, env: dict[str, str]
) -> dict[str, list[float]]:
    """Latencies (ms) of slider steps, and of cursor moves when ``overlaid``."""
    command = f"{sys.executable} {Path(__file__).resolve()} --serve" + (" --overlaid" if overlaid else "")
    bench.start(command, size, log, env)
    time.sleep(0.5)
    found: dict[str, list[float]] = {"slider": []}
    for key in ("Right", "Left"):
        found["slider"] += bench.presses(key, count // 2, log)[0]
    if overlaid:
        found["cursor"] = []
        for key in ("]", "["):
            found["cursor"] += bench.presses(key, count // 2, log)[0]
    subprocess.run(["tmux", "-L", bench.SOCKET, "kill-session", "-t", bench.SESSION], capture_output=True)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="120x40", help="terminal size, WIDTHxHEIGHT")
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=2, help="plain and overlaid measured alternately, this often")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--overlaid", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.overlaid)
        return
    width, height = (int(part) for part in args.size.split("x"))
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed: apt-get install tmux")
    bench.tmux("new-session", "-d", "-s", "keep", "sleep 3600")
    atexit.register(bench.stop_server)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    state = tempfile.mkdtemp(prefix="ammoflow-bench-")
    env = {"AMMOFLOW_STATE_DIR": state, "TERM": os.environ.get("TERM", "xterm-256color")}
    log = Path(state) / "screen.bytes"
    plain: list[float] = []
    overlaid: dict[str, list[float]] = {"slider": [], "cursor": []}
    for _ in range(args.rounds):  # alternating, so both meet the same load
        plain += measure(False, (width, height), args.presses, log, env)["slider"]
        for key, values in measure(True, (width, height), args.presses, log, env).items():
            overlaid[key] += values
    print(f"terminal {width}x{height}, {len(plain)} presses per case")
    rows = (
        ("slider step, plain explorer", plain),
        ("slider step, cursor on and three runs", overlaid["slider"]),
        ("cursor move, three runs", overlaid["cursor"]),
    )
    for label, values in rows:
        median, p90 = statistics.median(values), bench.percentile(values, 0.9)
        print(f"{label + ', median / 90th percentile':<58} {median:6.1f} / {p90:6.1f} ms")


if __name__ == "__main__":
    main()
