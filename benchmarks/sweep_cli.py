"""What ``ammoflow sweep baseline --runs 10000`` adds over a 1-run sweep, from the command line: medians.

    python benchmarks/sweep_cli.py              # 15 rounds
    python benchmarks/sweep_cli.py --rounds 5

Each round runs the two commands as fresh processes, one after the other (alternating which
goes first), writing the bands to a temporary CSV, and times each from start to exit. The 1-run
sweep is the reference: the process start, the imports and the file are common to both, so
the difference of the medians is what the 10,000 runs cost. Target: at most 30 ms.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(args: list[str], folder: Path) -> float:
    (folder / args[-1]).unlink(missing_ok=True)  # each run writes its file afresh
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ammoflow", *args], check=True, capture_output=True, cwd=folder)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    commands = {
        "sweep --runs 1 (reference)": ["sweep", "baseline", "--runs", "1", "-o", "one.csv"],
        "sweep --runs 10000": ["sweep", "baseline", "--runs", "10000", "-o", "many.csv"],
    }
    times: dict[str, list[float]] = {label: [] for label in commands}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for command in commands.values():  # a warm-up each: the first start reads every file from disk
            timed(command, folder)
        for number in range(args.rounds):
            order = list(commands) if number % 2 == 0 else list(reversed(commands))
            for label in order:
                times[label].append(timed(commands[label], folder))
    print(f"ammoflow sweep from the command line, {args.rounds} rounds, ms from start to exit")
    for label, found in times.items():
        print(f"  {label:<32}{statistics.median(found):9.1f}")
    extra = statistics.median(times["sweep --runs 10000"]) - statistics.median(times["sweep --runs 1 (reference)"])
    print(f"  {'what the 10,000 runs add':<32}{extra:9.1f}")
    print(f"  {'target':<32}{30.0:9.1f}")


if __name__ == "__main__":
    main()
