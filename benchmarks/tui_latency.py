"""How the explorer feels in a real terminal: latency, start-up and bytes, measured in tmux.

    python benchmarks/tui_latency.py                 # 120x40, 40 key presses
    python benchmarks/tui_latency.py --size 80x24 --presses 20
    python benchmarks/tui_latency.py --runs 3         # with three kept runs on every chart
    python benchmarks/tui_latency.py --profile        # and where each step goes (step_timeline.py)
    python benchmarks/tui_latency.py --unknown        # no look-ahead: every step computed when its key comes

Everything the program writes to the terminal is copied to a file (``tmux pipe-pane``).
A key press is sent with ``tmux send-keys`` and the pane is read with ``capture-pane``
until it has not changed for 40 ms; the latency is the time of the last change, so it
includes the chart and the key figures, not just the slider. The same measurement on ``cat``
echoing a key is the method's own floor, printed beside the results as the reference. The
build measured has its modules compiled first, as an installed package has them.
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
from pathlib import Path

QUIET = 0.040
SESSION = "ammoflow-bench"
# A tmux server of its own: two benchmarks (or a benchmark and a test) never share a session.
SOCKET = f"ammoflow-bench-{os.getpid()}"


UNKNOWN = (
    "import sys; from ammoflow.tui import collector; collector.hold(); "
    "from ammoflow.tui.explorer import ExplorerScreen; ExplorerScreen.looks_ahead = False; "
    "from ammoflow.tui.cli.main import main; sys.exit(main())"
)
"""The command with no look-ahead (``--unknown``); step_timeline.py does the same when profiling. It
imports the explorer before the command does, so it does first what the command does before that:
hold the collector off, and (in the environment it is given) ask Textual for 500 frames a second."""


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], check=True, capture_output=True, text=True).stdout


def size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def screen() -> str:
    return tmux("capture-pane", "-p", "-e", "-t", SESSION)


def wait_settled(before: str, since: float, timeout: float = 5.0, quiet: float = QUIET) -> float:
    """Seconds from ``since`` until the pane last changed, once it has stayed put for ``quiet``."""
    last, last_change = before, None
    deadline = since + timeout
    while time.perf_counter() < deadline:
        now_screen = screen()
        now = time.perf_counter()
        if now_screen != last:
            last, last_change = now_screen, now
        elif last_change is not None and now - last_change > quiet:
            break
    return float("nan") if last_change is None else last_change - since


def launch(
    command: str, size: tuple[int, int], log: Path, env: dict[str, str], *, copy_output: bool
) -> tuple[float, str]:
    """Start ``command`` in a fresh tmux session; the clock time it was let go, and the screen before.

    The pane waits for a go file, so that the copy of its output (when asked for) is in
    place before the program writes its first byte.
    """
    subprocess.run(["tmux", "-L", SOCKET, "kill-session", "-t", SESSION], capture_output=True)
    width, height = size
    go = log.with_suffix(".go")
    go.unlink(missing_ok=True)
    exports = " ".join(f"{k}={v}" for k, v in env.items())
    script = f"while [ ! -e {go} ]; do sleep 0.005; done; exec env -u COLUMNS -u LINES {exports} {command}"
    tmux("new-session", "-d", "-s", SESSION, "-x", str(width), "-y", str(height), f"sh -c '{script}'")
    if copy_output:
        tmux("pipe-pane", "-t", SESSION, "-o", f"cat >> {log}")
    time.sleep(0.5)
    before = screen()
    began = time.perf_counter()
    go.touch()
    return began, before


def start(command: str, size: tuple[int, int], log: Path, env: dict[str, str], timeout: float = 15) -> float:
    """Seconds until the screen stops changing after ``command`` starts."""
    began, before = launch(command, size, log, env, copy_output=True)
    return wait_settled(before, began, timeout=timeout, quiet=0.3)


def first_complete(marks: tuple[str, ...], since: float, timeout: float = 15) -> float:
    """Seconds from ``since`` until the pane first shows every one of ``marks``."""
    while time.perf_counter() - since < timeout:
        text = tmux("capture-pane", "-p", "-t", SESSION)
        if all(mark in text for mark in marks):
            return time.perf_counter() - since
    return float("nan")


def start_until_complete(command: str, size: tuple[int, int], log: Path, env: dict[str, str]) -> float:
    """Seconds until the first frame that shows the chart, a slider's unit and the key figures."""
    began, _ = launch(command, size, log, env, copy_output=False)
    # The first chart's legend, a slider's unit, and a key figure shown at every size.
    return first_complete(("observed", "rounds/month", "NK share"), began)


def presses(key: str, count: int, log: Path, between: float = 0.15) -> tuple[list[float], float]:
    """Latency of each press (ms), and the mean bytes written per press."""
    latencies = []
    before_bytes = size_of(log)
    for _ in range(count):
        before = screen()
        sent = time.perf_counter()
        tmux("send-keys", "-t", SESSION, key)
        latencies.append(wait_settled(before, sent) * 1000)
        time.sleep(between)
    time.sleep(0.3)
    return latencies, (size_of(log) - before_bytes) / count


def hold(key: str, seconds: float, rate: float, log: Path) -> float:
    """Send ``key`` ``rate`` times a second for ``seconds``; ms from the last one until the screen settles."""
    interval = 1 / rate
    end = time.perf_counter() + seconds
    last = time.perf_counter()
    while time.perf_counter() < end:
        last = time.perf_counter()
        tmux("send-keys", "-t", SESSION, key)
        time.sleep(max(0.0, interval - (time.perf_counter() - last)))
    settled = wait_settled(screen(), last, timeout=10)
    return max(0.0, settled * 1000)


def stop_server() -> None:
    """Stop the benchmark's tmux server and remove its socket, which tmux leaves behind."""
    subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
    (Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}" / SOCKET).unlink(missing_ok=True)


def compile_program(program: Path) -> None:
    """Compile the measured build's modules once, as installing a package does.

    Python writes no bytecode where PYTHONDONTWRITEBYTECODE is set (some shells and containers
    set it): every start measured would then compile the whole package again, which an
    installed explorer never does. The build's own interpreter compiles its own files.
    """
    code = (
        "import compileall, ammoflow.scenarios, ammoflow.tui\n"
        "for package in (ammoflow, ammoflow.scenarios, ammoflow.tui):\n"
        "    compileall.compile_dir(package.__path__[0], quiet=1)\n"
    )
    subprocess.run([str(Path(program).with_name("python")), "-c", code], check=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="120x40", help="terminal size, WIDTHxHEIGHT")
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--runs", type=int, default=0, help="runs kept (k) for comparison before measuring")
    parser.add_argument(
        "--profile", action="store_true", help="also print where the steps' time goes (benchmarks/step_timeline.py)"
    )
    parser.add_argument(
        "--unknown",
        action="store_true",
        help="no step worked out ahead (the explorer's look-ahead off): what a step not known ahead costs",
    )
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed: apt-get install tmux")
    # A session that lives as long as the benchmark: killing the measured one never takes the
    # server down with it, so the next start never races a server that is shutting down.
    tmux("new-session", "-d", "-s", "keep", "sleep 3600")
    atexit.register(stop_server)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a stopped benchmark leaves no server behind
    program = os.environ.get("AMMOFLOW_BENCH_PROGRAM") or Path(sys.executable).with_name("ammoflow")
    state = tempfile.mkdtemp(prefix="ammoflow-bench-")
    env = {"AMMOFLOW_STATE_DIR": state, "TERM": os.environ.get("TERM", "xterm-256color")}
    log = Path(state) / "screen.bytes"
    compile_program(Path(program))
    timelines = Path(state) / "timelines.jsonl"
    python = Path(program).with_name("python")
    if args.unknown:  # a build without a look-ahead ignores it
        env["AMMOFLOW_BENCH_UNKNOWN"] = "1"
        env["TEXTUAL_FPS"] = os.environ.get("TEXTUAL_FPS", "500")  # as tui/cli/main.py sets it
        program = f'{python} -c "{UNKNOWN}"'
    if args.profile:  # the measured build's interpreter, through the clocks of this build's script
        script = Path(__file__).resolve().with_name("step_timeline.py")
        program = f"{python} {script} {timelines}"

    start("cat", (width, height), log, env, timeout=1)
    floor, _ = presses("x", 15, log, between=0.05)

    startup, settled = [], []
    for _ in range(3):
        startup.append(start_until_complete(str(program), (width, height), log, env) * 1000)
        subprocess.run(["tmux", "-L", SOCKET, "kill-session", "-t", SESSION], capture_output=True)
        log.unlink(missing_ok=True)
        settled.append(start(str(program), (width, height), log, env) * 1000)
        subprocess.run(["tmux", "-L", SOCKET, "kill-session", "-t", SESSION], capture_output=True)
    log.unlink(missing_ok=True)
    start(str(program), (width, height), log, env)
    time.sleep(0.5)
    for _ in range(args.runs):  # each run a step further along: every one drawn apart on the charts
        for key in ("Right", "Right", "Right", "k"):
            tmux("send-keys", "-t", SESSION, key)
        time.sleep(0.5)
    latencies, sizes = [], []
    for key in ("Right", "Left"):
        found, written = presses(key, args.presses // 2, log)
        latencies += found
        sizes.append(written)
    settle = hold("Right", 2.0, 30, log)
    # With the uncertainty bands on, every step also waits for 1,000 Monte Carlo runs and the bands.
    tmux("send-keys", "-t", SESSION, "u")
    time.sleep(1.5)
    with_fans: list[float] = []
    for key in ("Right", "Left"):
        found, _ = presses(key, args.presses // 2, log)
        with_fans += found
    subprocess.run(["tmux", "-L", SOCKET, "kill-session", "-t", SESSION], capture_output=True)

    unknown = ", no look-ahead" if args.unknown else ""
    print(f"terminal {width}x{height}, {len(latencies)} slider steps, {args.runs} kept runs compared{unknown}")
    print(f"{'key press to updated screen, median':<44} {statistics.median(latencies):7.1f} ms")
    print(f"{'key press to updated screen, 90th percentile':<44} {percentile(latencies, 0.9):7.1f} ms")
    print(f"{'method floor (cat echoing a key), median':<44} {statistics.median(floor):7.1f} ms")
    print(f"{'start to first complete frame, median of 3':<44} {statistics.median(startup):7.0f} ms")
    print(f"{'start until the screen stops changing':<44} {statistics.median(settled):7.0f} ms")
    print(f"{'bytes written per slider step, mean':<44} {statistics.mean(sizes) / 1024:7.1f} KB")
    print(f"{'holding an arrow key 2 s: settled after release':<44} {settle:7.0f} ms")
    print(f"{'with uncertainty bands on (1,000 runs), median':<44} {statistics.median(with_fans):7.1f} ms")
    print(f"{'with uncertainty bands on, 90th percentile':<44} {percentile(with_fans, 0.9):7.1f} ms")
    if args.profile:
        from step_timeline import summary

        print("\n".join(summary(timelines)))


if __name__ == "__main__":
    main()
