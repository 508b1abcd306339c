"""How fast the engine is: medians over repeated runs, against the plain-Python reference.

    python benchmarks/engine.py            # prints a table
    python benchmarks/engine.py --quick    # fewer repetitions

The reference (tests/reference.py) is docs/model.md's equations as a month-by-month loop;
the ratio is reference time / engine time for the same work, run in this process.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from reference import reference_projection  # noqa: E402

from ammoflow.scenarios.engine.batch import project_batch  # noqa: E402
from ammoflow.scenarios.engine.projection import project  # noqa: E402
from ammoflow.scenarios.model import registry  # noqa: E402
from ammoflow.scenarios.model.scenario import Change, baseline  # noqa: E402


def median_ms(work: Callable[[], object], repeat: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        work()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def variants(n: int, seed: int = 1) -> dict[str, np.ndarray]:
    """Every parameter drawn from its uncertainty range, one value per run."""
    rng = np.random.default_rng(seed)
    out = {}
    for p in registry.PARAMETERS:
        low, high = p.uncertainty
        draw = rng.uniform(low, high, n)
        out[p.key] = np.round(draw) if p.integer else draw
    return out


def reference_runs(values: dict[str, np.ndarray], n: int) -> None:
    base = baseline()
    for i in range(n):
        reference_projection(base.with_values({k: float(v[i]) for k, v in values.items()}))


def cli_start_ms(repeat: int) -> float:
    script = Path(sys.executable).with_name("ammoflow")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "ammoflow"]
    command += ["run", "baseline", "--format", "csv"]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    r = 5 if args.quick else 1

    s48 = baseline()
    s240 = s48.with_horizon(months=240)
    phased = s48.with_changes(  # docs/model.md, Gradual changes
        [Change("2024-06", "containers_per_month", 500, 12), Change("2024-06", "nk_reserve", 3_000_000, 24)]
    )
    steep = s48.with_changes([Change("2024-06", "nk_reserve", 20_000_000, 24)])  # a piece a month
    rows = []
    for label, scenario, reps in (
        ("one projection, 48 months", s48, 200 // r),
        ("one projection, 240 months", s240, 100 // r),
        ("  changes phased in over months", phased, 200 // r),
        ("  a reserve rising past production", steep, 100 // r),
    ):
        engine = median_ms(lambda s=scenario: project(s), reps)
        reference = median_ms(lambda s=scenario: reference_projection(s), reps)
        rows.append((label, engine, reference))
    n = 10_000
    values = variants(n)
    every_column = lambda v: list(project_batch(s48, v).columns.values())  # noqa: E731
    engine = median_ms(lambda: every_column(values), 15 // r or 3, warmup=2)
    reference = median_ms(lambda: reference_runs(values, n), 3 if not args.quick else 1, warmup=0)
    rows.append((f"{n:,} variants, 48 months, one call", engine, reference))
    state_only = median_ms(lambda: project_batch(s48, values), 15 // r or 3, warmup=2)
    rows.append(("  the recursion only (columns on request)", state_only, reference))
    two = {key: values[key] for key in ("containers_per_month", "ru_fire_rate")}
    engine_two = median_ms(lambda: every_column(two), 15 // r or 3, warmup=2)
    rows.append((f"{n:,} variants, two parameters varied", engine_two, reference))
    batch = project_batch(s48, values)
    long_form = median_ms(batch.frame, 7 // r or 3, warmup=1)
    single_n = 200
    one_by_one = median_ms(
        lambda: [project(s48.with_values({k: float(v[i]) for k, v in values.items()})) for i in range(single_n)],
        3,
        warmup=1,
    ) * (n / single_n)

    print(f"{'work':<38} {'engine ms':>10} {'reference ms':>13} {'reference/engine':>17}")
    for label, engine_ms, reference_ms in rows:
        print(f"{label:<38} {engine_ms:>10.2f} {reference_ms:>13.2f} {reference_ms / engine_ms:>16.1f}x")
    print(f"{'  then as one long frame (run, month)':<38} {long_form:>10.2f}")
    print(f"{'10,000 variants as 10,000 single calls':<38} {one_by_one:>10.0f}   (extrapolated from {single_n})")
    print(f"{'`ammoflow run baseline --format csv`':<38} {cli_start_ms(7 // r or 3):>10.0f}   (process start to exit)")


if __name__ == "__main__":
    main()
