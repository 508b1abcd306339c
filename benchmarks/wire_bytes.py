"""What each interaction costs over a slow link: the bytes the explorer writes, measured in tmux.

    python benchmarks/wire_bytes.py                  # 120x40 and 80x24, 3 repeats, then latency
    python benchmarks/wire_bytes.py --repeats 5 --no-latency

Everything the program writes goes to a file (``tmux pipe-pane``); each interaction is a key
sent with ``tmux send-keys`` (or a ``resize-window``), and its bytes are what the file grew by
once the pane has stopped changing. Each repeat is a fresh explorer, so the start and the first
slider step (the one that makes the baseline appear) are measured every time. The table gives
the median over the repeats, what that costs on a 256 kbit/s and a 1 Mbit/s link, and the
target; the start-up time and the latency figures of ``tui_latency.py`` follow.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# The helpers of the latency benchmark beside this file: one way of driving tmux.
import tui_latency as tl

LATER_STEPS = 4  # steps down the second slider (the first below the top one), which starts at its maximum
QUIET = 1.5  # seconds without a byte written: the interaction is over
MARKS = ("observed", "rounds/month", "NK share")  # as tui_latency.py: the first complete frame
TARGETS_KB = {  # at 120x40
    "start, first screen": 45,
    "focus move (Down)": 3,
    "first slider step": 12,
    "later slider steps": 2,
    "tab switch (3)": 8,
    "a step with the bands on": 8,
    "help open (f1)": 30,
    "help close": 20,
    "a resize": 45,
}


def settle_bytes(log: Path, since: int, quiet: float, timeout: float) -> int:
    """The size of ``log`` once it has grown past ``since`` and then stayed put for ``quiet`` seconds.

    Bytes, not the pane, decide: on a busy machine a frame can come in several writes, and a
    pane that looks settled may still have a write on its way.
    """
    deadline = time.perf_counter() + timeout
    last, last_change = since, time.perf_counter()
    while time.perf_counter() < deadline:
        now = tl.size_of(log)
        if now != last:
            last, last_change = now, time.perf_counter()
        elif last != since and time.perf_counter() - last_change > quiet:
            break
        time.sleep(0.01)
    return last


def grown(
    log: Path, act: Callable[[], None], expect: Callable[[str], bool] | None = None, timeout: float = 15.0
) -> int:
    """Bytes written from ``act`` until the pane has changed (to show ``expect``) and the program stopped writing."""
    before = tl.size_of(log)
    before_screen = tl.screen()
    act()
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        now = tl.tmux("capture-pane", "-p", "-e", "-t", tl.SESSION)
        if now != before_screen and (expect is None or expect(now)):
            break
        time.sleep(0.01)
    return settle_bytes(log, before, QUIET, timeout) - before


def key(name: str) -> Callable[[], None]:
    return lambda: tl.tmux("send-keys", "-t", tl.SESSION, name)


def session(program: str, size: tuple[int, int], log: Path, env: dict[str, str]) -> dict[str, float]:
    """One fresh explorer taken through every interaction of the table; bytes of each."""
    log.unlink(missing_ok=True)
    width, height = size
    found: dict[str, float] = {}
    # A state folder of its own: the explorer killed at the end of the last session kept its
    # work, and would offer it back in a dialog that takes the keys meant for the explorer.
    env = {**env, "AMMOFLOW_STATE_DIR": tempfile.mkdtemp(prefix="ammoflow-wire-state-")}
    began, _ = tl.launch(program, size, log, env, copy_output=True)
    tl.first_complete(MARKS, began, timeout=60)  # a busy machine can take seconds to start
    found["start, first screen"] = settle_bytes(log, 0, 1.5, 30.0)
    found["focus move (Down)"] = grown(log, key("Down"))
    found["first slider step"] = grown(log, key("Left"))
    later = [grown(log, key("Left")) for _ in range(LATER_STEPS)]
    found["later slider steps"] = statistics.median(later)
    found["tab switch (3)"] = grown(log, key("3"))
    grown(log, key("1"))
    grown(log, key("u"))
    found["a step with the bands on"] = statistics.median(grown(log, key("Left")) for _ in range(3))
    grown(log, key("u"))
    found["help open (f1)"] = grown(log, key("F1"), lambda pane: "close" in pane)
    found["help close"] = grown(log, key("Escape"), lambda pane: "close" not in pane)
    found["a resize"] = grown(
        log, lambda: tl.tmux("resize-window", "-t", tl.SESSION, "-x", str(width - 2), "-y", str(height))
    )
    subprocess.run(["tmux", "-L", tl.SOCKET, "kill-session", "-t", tl.SESSION], capture_output=True)
    return found


def kb(count: float) -> str:
    return f"{count / 1024:.1f}"


def on_link(count: float, bits_per_second: float) -> str:
    return f"{count * 8 / bits_per_second:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-latency", action="store_true", help="skip the latency benchmark")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed: apt-get install tmux")
    atexit.register(tl.stop_server)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    program = os.environ.get("AMMOFLOW_BENCH_PROGRAM") or str(Path(sys.executable).with_name("ammoflow"))
    state = tempfile.mkdtemp(prefix="ammoflow-wire-")
    env = {"AMMOFLOW_STATE_DIR": state, "TERM": os.environ.get("TERM", "xterm-256color")}
    log = Path(state) / "screen.bytes"

    sizes = ((120, 40), (80, 24))
    medians: dict[tuple[int, int], dict[str, float]] = {}
    for size in sizes:
        # A fresh tmux server for each size: the resize at the end of a session (resize-window)
        # leaves the server sizing the next sessions its own way.
        subprocess.run(["tmux", "-L", tl.SOCKET, "kill-server"], capture_output=True)
        for _ in range(50):  # until the old server has gone and a new one answers
            keep = ["tmux", "-L", tl.SOCKET, "new-session", "-d", "-s", "keep", "sleep 3600"]
            if subprocess.run(keep, capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        runs = [session(program, size, log, env) for _ in range(args.repeats)]
        medians[size] = {name: statistics.median(run[name] for run in runs) for name in TARGETS_KB}

    startup = []
    for _ in range(args.repeats):
        startup.append(tl.start_until_complete(program, sizes[0], log, env) * 1000)
        subprocess.run(["tmux", "-L", tl.SOCKET, "kill-session", "-t", tl.SESSION], capture_output=True)
    subprocess.run(["tmux", "-L", tl.SOCKET, "kill-server"], capture_output=True)

    big, small = medians[sizes[0]], medians[sizes[1]]
    print(f"bytes written per interaction, median of {args.repeats} fresh explorers (KB = 1024 bytes)")
    print(f"{'interaction':<26} {'120x40':>7} {'80x24':>6} {'256 kbit/s':>11} {'1 Mbit/s':>9} {'target':>7}")
    for name, target in TARGETS_KB.items():
        mark = "" if big[name] <= target * 1024 else "  over"
        print(
            f"{name:<26} {kb(big[name]):>7} {kb(small[name]):>6} {on_link(big[name], 256_000):>11}"
            f" {on_link(big[name], 1_000_000):>9} {target:>7}{mark}"
        )
    print(f"{'start to first complete frame at 120x40, median':<50} {statistics.median(startup):5.0f} ms (target 500)")
    sys.stdout.flush()
    if not args.no_latency:
        print()
        subprocess.run([sys.executable, str(Path(__file__).with_name("tui_latency.py"))], check=True)


if __name__ == "__main__":
    main()
