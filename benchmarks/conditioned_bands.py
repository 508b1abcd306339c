"""How fast the bands given the observations are: medians end to end, against the plain bands, and memory.

    python benchmarks/conditioned_bands.py              # the table, then peak memory at the largest size
    python benchmarks/conditioned_bands.py --quick      # fewer repetitions, no memory
    python benchmarks/conditioned_bands.py --runs 1000  # the explorer's default runs

End to end is what the explorer pays for its bands in the "given the observations" mode:
the evidence placed on the months, the runs drawn (more when too few are effective), the
filter, the final projection and the percentiles of every chart column. The plain bands
(ammoflow.scenarios.analysis.montecarlo.simulate, percentiles only) are timed in the same
process for the ratio. Target: 10,000 runs of 48 months in 150 ms; peak memory under 1 GiB
at 100,000 runs of 240 months (VmHWM of a fresh process doing the work once).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ammoflow.scenarios.analysis.conditioning import Conditioned, condition
from ammoflow.scenarios.analysis.likelihood import Evidence
from ammoflow.scenarios.analysis.montecarlo import CHART_COLUMNS, QUANTILES, simulate
from ammoflow.scenarios.files.observation_csv import read_observations
from ammoflow.scenarios.model.scenario import Scenario, baseline

DRIFT = {"containers_per_month": 4.0, "ru_fire_rate": 3.0}  # the example of docs/model.md's Drift


def scenario_of(runs: int, months: int, drift: bool) -> Scenario:
    scenario = baseline().with_horizon(months=months)
    settings = attrs.evolve(scenario.uncertainty, runs=runs, drift=DRIFT if drift else {})
    return attrs.evolve(scenario, uncertainty=settings)


def given_bands(scenario: Scenario) -> Conditioned:
    """What the explorer does in the "given the observations" mode, from the observations read."""
    evidence = Evidence.prepare(scenario, read_observations())
    conditioned = condition(scenario, evidence, columns=CHART_COLUMNS, qs=QUANTILES)
    conditioned.simulation.percentile_table(CHART_COLUMNS, QUANTILES)
    return conditioned


def plain_bands(scenario: Scenario) -> None:
    simulate(scenario, columns=CHART_COLUMNS, qs=QUANTILES).percentile_table(CHART_COLUMNS, QUANTILES)


def median_ms(work: Callable[[], object], repeat: int) -> float:
    work()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def peak_in_subprocess(runs: int, months: int, drift: bool) -> dict[str, float]:
    command = [sys.executable, __file__, "--memory", str(runs), str(months), str(int(drift))]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    found: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def measure_memory(runs: int, months: int, drift: bool) -> None:
    start = time.perf_counter()
    conditioned = given_bands(scenario_of(runs, months, drift))
    took = (time.perf_counter() - start) * 1000
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))
    print(json.dumps({"peak_mb": peak, "ms": took, "drawn": conditioned.runs_drawn, "ess": conditioned.ess}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=48)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--memory", nargs=3, type=int, metavar=("RUNS", "MONTHS", "DRIFT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory:
        measure_memory(args.memory[0], args.memory[1], bool(args.memory[2]))
        return
    repeat = 3 if args.quick else 9
    print(f"{args.runs:,} runs x {args.months} months, shipped observations, median of {repeat}")
    print(f"{'':24}{'given (ms)':>12}{'plain (ms)':>12}{'ratio':>8}{'drawn':>10}{'ESS':>8}")
    for drift in (False, True):
        scenario = scenario_of(args.runs, args.months, drift)
        found = given_bands(scenario)
        given = median_ms(lambda scenario=scenario: given_bands(scenario), repeat)
        plain = median_ms(lambda scenario=scenario: plain_bands(scenario), repeat)
        label = "with drift" if drift else "without drift"
        print(f"{label:24}{given:12.0f}{plain:12.0f}{given / plain:8.1f}{found.runs_drawn:10,}{found.ess:8,.0f}")
    if args.quick:
        return
    print("peak memory, 100,000 runs x 240 months, fresh process")
    for drift in (False, True):
        peak = peak_in_subprocess(100_000, 240, drift)
        label = "with drift" if drift else "without drift"
        found = f"drawn {peak['drawn']:,.0f}, ESS {peak['ess']:,.0f}"
        print(f"{label:24}{peak['peak_mb']:8.0f} MB {peak['ms']:8.0f} ms  {found}")


if __name__ == "__main__":
    main()
