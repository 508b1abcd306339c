"""How fast Monte Carlo is: medians of the steps, end to end, memory, and against single projections.

    python benchmarks/montecarlo.py            # prints the tables
    python benchmarks/montecarlo.py --quick    # fewer repetitions
    python benchmarks/montecarlo.py --memory-only [--all-runs-file]   # only the peak memory table
    python benchmarks/montecarlo.py --drift-only [--quick]            # only drift against none

End to end is what the explorer pays for a Monte Carlo chart: draw every parameter,
project every run (ammoflow.scenarios.analysis.montecarlo.simulate, chunk by chunk, key figures included)
and the 5/25/50/75/95th percentiles of every chart column. Targets: 10,000 runs of 48
months in 20 ms, 100,000 in 200 ms, and under 1 GiB at every size the program accepts. On a
shared machine the milliseconds move with the load, so each table also gives the end to end as a
ratio to a reference timed in the same process: a bare NumPy loop over the 48 months of the
same runs, five row operations a month (North Korea's recursion without the engine around it),
about 6 ms for 10,000 runs on an idle machine of the kind measured. The CPU time of the end to
end (both threads) is printed beside it: it moves less than the wall time with the load.
Peak memory is the peak resident set size of a fresh process doing the work once: the
explorer's end to end (after a warm-up run of 1,000), and the CLI commands at 100,000 runs
of 240 months, the largest they accept (``--all-runs-file`` adds ``sweep --all-runs`` at that
size, which writes a file of several GB). The single-projection ratio extrapolates N calls
of ammoflow.scenarios.engine.projection.project from 200, in this process.

Drift (docs/model.md, Drift) is measured end to end against the same runs without it: the two
rates most often set drifting (shipments and the fire rate), and every rate that can drift.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import resource
import runpy
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import attrs
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import median_ms  # noqa: E402  (the engine benchmark beside this file)

from ammoflow.scenarios.analysis.fit import fit  # noqa: E402
from ammoflow.scenarios.analysis.montecarlo import CHART_COLUMNS, DEFAULT_CHUNK, draw, draw_drift, simulate  # noqa: E402
from ammoflow.scenarios.analysis.seek import goal_seek  # noqa: E402
from ammoflow.scenarios.analysis.sensitivity import tornado  # noqa: E402
from ammoflow.scenarios.engine.batch import project_batch  # noqa: E402
from ammoflow.scenarios.engine.batch_figures import run_figures  # noqa: E402
from ammoflow.scenarios.engine.projection import project  # noqa: E402
from ammoflow.scenarios.model import registry  # noqa: E402
from ammoflow.scenarios.model.scenario import Scenario, baseline  # noqa: E402

QS = (5, 25, 50, 75, 95)


def end_to_end(scenario: Scenario, runs: int, chunk: int = DEFAULT_CHUNK) -> None:
    """What the explorer does for its bands: only the percentiles are kept."""
    simulate(scenario, runs, chunk=chunk, qs=QS).percentile_table(CHART_COLUMNS, QS)


def reference_loop(runs: int, months: int = 48) -> Callable[[], None]:
    """The reference: a bare NumPy loop over the months, five whole-row operations a month."""
    rng = np.random.default_rng(0)
    produced, capacity, reserve = rng.random(runs), rng.random(runs), rng.random(runs)
    shipped, stock, room = np.empty((months, runs)), np.empty((months, runs)), np.empty(runs)

    def loop() -> None:
        previous = rng.random(runs)
        for t in range(months):
            available = np.add(previous, produced, out=stock[t])
            np.subtract(available, reserve, out=room)
            np.maximum(room, 0.0, out=room)
            np.minimum(room, capacity, out=shipped[t])
            previous = np.subtract(available, shipped[t], out=stock[t])

    return loop


def status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (VmRSS now, VmHWM its peak), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise KeyError(field)


def measure_memory(runs: int, months: int, chunk: int) -> None:
    """In a fresh process: one end-to-end run, then its time and peak resident memory as JSON."""
    scenario = baseline().with_horizon(months=months)
    end_to_end(baseline(), 1_000)
    before = status_mb("VmRSS")
    start = time.perf_counter()
    end_to_end(scenario, runs, chunk)
    took = (time.perf_counter() - start) * 1000
    # getrusage's ru_maxrss would do, but Linux carries it over from the parent across fork and exec,
    # so a child of a large benchmark process reports the parent's peak: VmHWM is this process's own.
    peak = status_mb("VmHWM")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(json.dumps({"before_mb": before, "peak_mb": peak, "maxrss_mb": maxrss, "ms": took}))


def memory_in_subprocess(runs: int, months: int, chunk: int) -> dict[str, float]:
    command = [sys.executable, __file__, "--memory", str(runs), str(months), str(chunk)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_cli(args: list[str]) -> None:
    """In a fresh process: the ``ammoflow`` command ``args``, then its peak resident memory as JSON on stderr."""
    start = time.perf_counter()
    sys.argv = ["ammoflow", *args]
    try:
        runpy.run_module("ammoflow", run_name="__main__")
    except SystemExit as exc:
        if exc.code:
            raise
    took = (time.perf_counter() - start) * 1000
    print(json.dumps({"peak_mb": status_mb("VmHWM"), "ms": took}), file=sys.stderr)


def cli_memory(args: list[str]) -> dict[str, float]:
    command = [sys.executable, __file__, "--cli", *args]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stderr.strip().splitlines()[-1])


def print_memory(all_runs_file: bool) -> None:
    """Peak resident memory of fresh processes at the largest sizes the program accepts."""
    print("Peak memory, one fresh process each (target: under 1 GiB, 1,074 MB)")
    print(f"  {'work':<62} {'peak RSS MB':>12} {'ms':>8}")
    for runs, months, chunk in ((100_000, 48, DEFAULT_CHUNK), (100_000, 48, 100_000), (100_000, 240, DEFAULT_CHUNK)):
        found = memory_in_subprocess(runs, months, chunk)
        label = f"explorer bands, {runs:,} runs x {months} months, chunk {chunk:,}"
        print(f"  {label:<62} {found['peak_mb']:>12.0f} {found['ms']:>8.0f}")
    with tempfile.TemporaryDirectory() as folder:
        commands = [
            ["uncertainty", "baseline", "--runs", "100000", "--months", "240"],
            ["sweep", "baseline", "--runs", "100000", "--months", "240", "-o", f"{folder}/bands.csv"],
            ["sweep", "baseline", "--runs", "100000", "-o", f"{folder}/bands48.csv"],
        ]
        if all_runs_file:
            commands.append(
                ["sweep", "baseline", "--runs", "100000", "--months", "240", "--all-runs", "-o", f"{folder}/r.parquet"]
            )
        for args in commands:
            found = cli_memory(args)
            shown = "ammoflow " + " ".join(Path(arg).name if arg.startswith(folder) else arg for arg in args)
            print(f"  {shown:<62} {found['peak_mb']:>12.0f} {found['ms']:>8.0f}")


def breakdown(scenario: Scenario, runs: int, repeat: int) -> dict[str, float]:
    """Each step on its own, at the default chunk size."""
    draws = draw(scenario, runs)
    starts = range(0, runs, DEFAULT_CHUNK)
    chunks = [{key: v[start : start + DEFAULT_CHUNK] for key, v in draws.items()} for start in starts]
    simulation = simulate(scenario, draws=draws)
    fresh = lambda: attrs.evolve(simulation)  # noqa: E731  (a new percentile cache)
    return {
        "draw (sampling)": median_ms(lambda: draw(scenario, runs), repeat),
        "simulate (projection + key figures)": median_ms(lambda: simulate(scenario, draws=draws), repeat),
        "  project_batch, chunk by chunk": median_ms(
            lambda: [project_batch(scenario, part) for part in chunks], repeat
        ),
        "  with run_figures, chunk by chunk": median_ms(
            lambda: [run_figures(project_batch(scenario, part)) for part in chunks], repeat
        ),
        f"percentiles, {len(CHART_COLUMNS)} chart columns": median_ms(
            lambda: fresh().percentile_table(CHART_COLUMNS, QS), repeat
        ),
        "  np.percentile(axis=0) instead": median_ms(
            lambda: [np.percentile(simulation.columns[name], QS, axis=0) for name in CHART_COLUMNS], repeat
        ),
        "end to end": median_ms(lambda: end_to_end(scenario, runs), repeat),
        "  CPU time of it, both threads": median_cpu_ms(lambda: end_to_end(scenario, runs), repeat),
    }


def median_cpu_ms(work: Callable[[], object], repeat: int) -> float:
    """The median CPU time of ``work`` in this process (every thread), in ms: what it costs the machine.

    On a shared machine the wall time also holds the waits for a core another program has;
    the CPU time moves less with the load, and a change that only moves work between the two
    threads leaves it as it was.
    """
    work()
    times = []
    for _ in range(repeat):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


DRIFT_CASES: dict[str, list[str]] = {
    "shipments and fire rate drifting": ["containers_per_month", "ru_fire_rate"],
    "every rate drifting (11)": [p.key for p in registry.PARAMETERS if p.can_drift],
}


def with_drift(scenario: Scenario, keys: list[str]) -> Scenario:
    return attrs.evolve(scenario, uncertainty=attrs.evolve(scenario.uncertainty, drift=keys))


def drift_against_none(runs: int, repeat: int) -> dict[str, tuple[float, float]]:
    """End to end with each drift case and without: median ms, and the ratio to no drift."""
    scenario = baseline()
    plain = median_ms(lambda: end_to_end(scenario, runs), repeat)
    out = {"no drift": (plain, 1.0)}
    for label, keys in DRIFT_CASES.items():
        drifting = with_drift(scenario, keys)
        ms = median_ms(functools.partial(end_to_end, drifting, runs), repeat)
        out[label] = (ms, ms / plain)
    every = with_drift(scenario, DRIFT_CASES["every rate drifting (11)"])
    out["  of which draw_drift, every rate"] = (median_ms(lambda: draw_drift(every, 0, runs), repeat), math.nan)
    return out


def print_drift(quick: bool) -> None:
    for runs, repeat in ((10_000, 5 if quick else 15), (100_000, 3 if quick else 7)):
        print(f"Drift, {runs:,} runs x 48 months end to end (median ms of {repeat}, ratio to no drift)")
        for label, (ms, ratio) in drift_against_none(runs, repeat).items():
            shown = "" if math.isnan(ratio) else f"{ratio:.2f}x"
            print(f"  {label:<40} {ms:>9.1f} {shown:>7}")


def analyses(scenario: Scenario, repeat: int) -> dict[str, float]:
    """Tornado, goal seek and fit on the baseline, as the app and the CLI run them."""
    return {
        "tornado, 17 parameters, total shortfall": median_ms(lambda: tornado(scenario, "total_shortfall"), repeat),
        "seek shipment rate for 2.5M rounds shipped": median_ms(
            lambda: goal_seek(scenario, "containers_per_month", "rounds_shipped", 2_500_000), repeat
        ),
        "seek Russian production: no shortfall": median_ms(
            lambda: goal_seek(scenario, "ru_production", "first_shortfall_month", "never"), repeat
        ),
        "fit shipment rate": median_ms(lambda: fit(scenario, ["containers_per_month"]), repeat),
        "fit + shells per container": median_ms(
            lambda: fit(scenario, ["containers_per_month", "shells_152_per_container"]), repeat
        ),
        "fit + 122 mm share": median_ms(
            lambda: fit(scenario, ["containers_per_month", "shells_152_per_container", "share_122_containers"]),
            repeat,
        ),
        "fit shipment rate per year": median_ms(lambda: fit(scenario, ["containers_per_month"], per="year"), repeat),
        "fit shipment rate from 2024-01, 2024-07": median_ms(
            lambda: fit(scenario, ["containers_per_month"], steps_from=["2024-01", "2024-07"]), repeat
        ),
    }


def single_call_ms(scenario: Scenario, calls: int = 200) -> float:
    """One projection (engine.projection.project) of a drawn variant: the median time of ``calls`` calls, per call."""
    draws = draw(scenario, calls)
    variants = [scenario.with_values({key: float(v[i]) for key, v in draws.items()}) for i in range(calls)]
    return median_ms(lambda: [project(variant) for variant in variants], 5, warmup=1) / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--memory-only", action="store_true", help="only the peak memory table")
    parser.add_argument("--analyses-only", action="store_true", help="only the analyses (tornado, seek, fit)")
    parser.add_argument("--all-runs-file", action="store_true", help="also sweep --all-runs at the largest size")
    parser.add_argument("--drift-only", action="store_true", help="only drift against no drift")
    parser.add_argument("--memory", nargs=3, type=int, metavar=("RUNS", "MONTHS", "CHUNK"), help=argparse.SUPPRESS)
    parser.add_argument("--cli", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory:
        measure_memory(*args.memory)
        return
    if args.cli:
        run_cli(args.cli)
        return
    if args.memory_only:
        print_memory(args.all_runs_file)
        return
    if args.drift_only:
        print_drift(args.quick)
        return
    scenario = baseline()
    repeat_analyses = 3 if args.quick else 9
    if args.analyses_only:
        print(f"Analyses on the baseline (median ms of {repeat_analyses})")
        for label, ms in analyses(scenario, repeat_analyses).items():
            print(f"  {label:<46} {ms:>9.1f}")
        return
    targets = {10_000: 20.0, 100_000: 200.0}
    totals: dict[int, float] = {}
    for runs, repeat in ((10_000, 5 if args.quick else 15), (100_000, 3 if args.quick else 7)):
        steps = breakdown(scenario, runs, repeat)
        totals[runs] = steps["end to end"]
        print(f"{runs:,} runs x 48 months, chunk {DEFAULT_CHUNK:,} (median ms of {repeat})")
        for label, ms in steps.items():
            print(f"  {label:<40} {ms:>9.1f}")
        print(f"  {'target for end to end':<40} {targets[runs]:>9.1f}")
        reference = median_ms(reference_loop(runs), repeat)
        ratio = steps["end to end"] / reference
        print(f"  {'reference: a NumPy loop over 48 months':<40} {reference:>9.1f}   end to end {ratio:.1f}x it")
    print()
    print_drift(args.quick)
    print(f"\nAnalyses on the baseline (median ms of {repeat_analyses})")
    for label, ms in analyses(scenario, repeat_analyses).items():
        print(f"  {label:<46} {ms:>9.1f}")
    print()
    print_memory(args.all_runs_file)
    per_call = single_call_ms(scenario)
    print(
        f"\nAgainst one projection (engine.projection.project) per run: {per_call:.2f} ms a call (median of 200 calls)"
    )
    for runs, total in totals.items():
        single = per_call * runs
        print(f"  {runs:>7,} runs: {single:>9.0f} ms one by one, {total:.0f} ms end to end: {single / total:.0f}x")


if __name__ == "__main__":
    main()
