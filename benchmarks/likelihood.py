"""How fast the observations are scored against many runs: medians over repeated calls.

    python benchmarks/likelihood.py            # 10,000 runs, the shipped observations
    python benchmarks/likelihood.py --runs 100000 --repeat 20

Every analysis that reads the observations (conditioning, fit, backtest) calls these once a
batch or once an observation month, so each must cost far less than the projection itself.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ammoflow.scenarios.analysis.likelihood import SCALE_POINTS, Evidence
from ammoflow.scenarios.engine.batch import project_batch
from ammoflow.scenarios.files.observation_csv import read_observations
from ammoflow.scenarios.model.scenario import baseline


def medians_ms(work: Callable[[], object], repeat: int, warmup: int = 3) -> tuple[float, float]:
    """Median wall time and median CPU time of one call, in ms.

    On a shared machine the wall time also counts the waits for a core; the CPU time does not.
    """
    for _ in range(warmup):
        work()
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    scenario = baseline()
    rng = np.random.default_rng(1)
    batch = project_batch(scenario, {"containers_per_month": rng.uniform(400, 2_000, args.runs)})
    containers, rounds = batch["containers_shipped"].T, batch["rounds_shipped"].T
    evidence = Evidence.prepare(scenario, read_observations())
    values = evidence.projected(containers, rounds)
    print(
        f"{args.runs:,} runs x {len(evidence)} observations x {SCALE_POINTS} scale points "
        f"({len(evidence.claimants)} claimants); median of {args.repeat}"
    )
    rows = [
        ("projected (flows -> values)", lambda: evidence.projected(containers, rounds)),
        ("scale_loglik", lambda: evidence.scale_loglik(values)),
        ("loglik (marginalised)", lambda: evidence.loglik(values)),
        ("scale_posterior", lambda: evidence.scale_posterior(values)),
    ]
    print(f"  {'':<30} {'wall':>8}    {'cpu':>8}")
    for name, work in rows:
        wall, cpu = medians_ms(work, args.repeat)
        print(f"  {name:<30} {wall:8.2f} ms {cpu:8.2f} ms")


if __name__ == "__main__":
    main()
