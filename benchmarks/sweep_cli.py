"""What ``ammoflow sweep baseline --runs 10000`` adds over a 1-run sweep, from the command line: medians.

    python benchmarks/sweep_cli.py              # 15 rounds, then where the time goes
    python benchmarks/sweep_cli.py --rounds 5

Each round runs the two commands as fresh processes, one after the other (alternating which
goes first), writing the bands to a temporary CSV, and times each from start to exit. The 1-run
sweep is the reference: the process start, the imports and the file are common to both, so
the difference of the medians is what the 10,000 runs cost. Target: at most 30 ms. Beside each,
the processor time of the whole process (both threads): on a shared machine it moves less than
the wall time with the others' load. The build's modules are compiled first, as installing a
package does (where PYTHONDONTWRITEBYTECODE is set, every start would otherwise compile them
again: 50 ms more on both commands).

Then where the time goes, in this process, as the command does it: the imports of the sweep's
path (in a fresh process, the same for both: neither imports anything the other does not), the
run (draws, projection, the percentiles of every column), and the table made and written. On
a shared machine the milliseconds move with the load; the CPU time of the run (both threads)
moves less, and says what the run costs whatever the other programs do.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui_latency import compile_program  # noqa: E402  (the latency benchmark beside this file)


def timed(args: list[str], folder: Path) -> tuple[float, float]:
    """Ms from start to exit, and the processor ms the process took (every thread, user and system)."""
    (folder / args[-1]).unlink(missing_ok=True)  # each run writes its file afresh
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ammoflow", *args], check=True, capture_output=True, cwd=folder)
    wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    commands = {
        "sweep --runs 1 (reference)": ["sweep", "baseline", "--runs", "1", "-o", "one.csv"],
        "sweep --runs 10000": ["sweep", "baseline", "--runs", "10000", "-o", "many.csv"],
    }
    times: dict[str, list[float]] = {label: [] for label in commands}
    cpus: dict[str, list[float]] = {label: [] for label in commands}
    compile_program(Path(sys.executable))  # as installed: no start measured compiles the package again
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for command in commands.values():  # a warm-up each: the first start reads every file from disk
            timed(command, folder)
        for number in range(args.rounds):
            order = list(commands) if number % 2 == 0 else list(reversed(commands))
            for label in order:
                wall, cpu = timed(commands[label], folder)
                times[label].append(wall)
                cpus[label].append(cpu)
    print(f"ammoflow sweep from the command line, {args.rounds} rounds, median ms: start to exit, and processor")
    print(f"  {'':<32}{'wall':>9}{'cpu':>9}")
    for label in commands:
        print(f"  {label:<32}{statistics.median(times[label]):9.1f}{statistics.median(cpus[label]):9.1f}")
    many, one = "sweep --runs 10000", "sweep --runs 1 (reference)"
    extra = statistics.median(times[many]) - statistics.median(times[one])
    extra_cpu = statistics.median(cpus[many]) - statistics.median(cpus[one])
    print(f"  {'what the 10,000 runs add':<32}{extra:9.1f}{extra_cpu:9.1f}")
    print(f"  {'target':<32}{30.0:9.1f}")
    print(f"  (load averages at the end: {', '.join(f'{v:.2f}' for v in os.getloadavg())})")
    where(args.rounds)


def medians(work: Callable[[], object], rounds: int) -> tuple[float, float]:
    """Median wall and CPU (this process, every thread) ms of ``work``, after one warm-up."""
    work()
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def where(rounds: int) -> None:
    """The command's steps in this process: what differs between 1 run and 10,000 is the run itself."""
    started = time.perf_counter()
    imports = "import ammoflow.tui.cli.main, ammoflow.scenarios.analysis.montecarlo, polars"
    subprocess.run([sys.executable, "-c", imports], check=True)
    fresh = (time.perf_counter() - started) * 1000
    from ammoflow.scenarios.analysis.montecarlo import OUTPUT_COLUMNS, QUANTILES, simulate
    from ammoflow.scenarios.files import presets
    from ammoflow.tui.cli.common import without_dust

    scenario = presets.load("baseline")
    columns = [name for name in OUTPUT_COLUMNS if name != "days"]  # as the command chooses them
    print(f"Where the time goes, in process (median ms of {rounds}; a fresh process imports in {fresh:.0f} ms)")
    print(f"  {'step':<44}{'wall':>9}{'cpu':>9}")
    for runs in (1, 10_000):
        run = lambda runs=runs: simulate(scenario, runs, columns=columns, qs=QUANTILES, figures=False)  # noqa: E731
        simulation = run()
        steps = {
            f"{runs:,} run(s): draws, projection, percentiles": run,
            f"{runs:,} run(s): the table made and written": lambda s=simulation: without_dust(s.to_frame()).write_csv(),
        }
        for label, work in steps.items():
            wall, cpu = medians(work, rounds)
            print(f"  {label:<44}{wall:9.1f}{cpu:9.1f}")


if __name__ == "__main__":
    main()
