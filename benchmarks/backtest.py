"""How fast a backtest is: the median of repeats, end to end, and its parts.

    python benchmarks/backtest.py            # 10,000 runs, cut at 2024-02, the shipped observations
    python benchmarks/backtest.py --quick    # fewer repetitions

End to end is what `ammoflow backtest baseline --until 2024-02 --runs 10000` pays once the
scenario and the observations are read: condition the runs on what was known at the cut
(ammoflow.scenarios.analysis.conditioning.condition), project them over the horizon, draw each
claimant's scale and score every later observation. Target: at most 1 s at 10,000 runs.
The parts show where the time goes: the conditioning alone (which draws up to 8 times the runs asked
for when the observations leave too few effective runs), and the forecast and scoring given the
conditioned runs. The same is measured with drift on (``containers_per_month`` and
``ru_fire_rate`` at the registry's volatility), where the filter resamples month by month.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import median_ms  # noqa: E402  (the engine benchmark beside this file)

from ammoflow.scenarios.analysis.backtest import backtest, score_later, split  # noqa: E402
from ammoflow.scenarios.analysis.conditioning import condition  # noqa: E402
from ammoflow.scenarios.analysis.likelihood import Evidence  # noqa: E402
from ammoflow.scenarios.files.observation_csv import read_observations  # noqa: E402
from ammoflow.scenarios.model.observations import Observation  # noqa: E402
from ammoflow.scenarios.model.scenario import Scenario, baseline  # noqa: E402

UNTIL = "2024-02"
DRIFTING = ("containers_per_month", "ru_fire_rate")  # at the registry's volatility


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--runs", type=int, default=10_000)
    args = parser.parse_args()
    repeat = 3 if args.quick else 9
    observations = read_observations()
    plain = baseline()
    drifting = attrs.evolve(plain, uncertainty=attrs.evolve(plain.uncertainty, drift=DRIFTING))
    print(f"backtest of {args.runs:,} runs x {plain.months} months, cut {UNTIL}, median of {repeat}")
    for name, scenario in (("no drift", plain), ("drift", drifting)):
        measure(name, scenario, observations, args.runs, repeat)


def measure(name: str, scenario: Scenario, observations: Sequence[Observation], runs: int, repeat: int) -> None:
    known, later = split(scenario, observations, UNTIL)
    past = Evidence.prepare(scenario, known)
    total = median_ms(lambda: backtest(scenario, observations, UNTIL, runs), repeat, warmup=1)
    conditioning = median_ms(lambda: condition(scenario, past, runs, columns=()), repeat, warmup=1)
    conditioned = condition(scenario, past, runs, columns=())
    scoring = median_ms(lambda: score_later(scenario, UNTIL, past, later, conditioned), repeat)
    result = backtest(scenario, observations, UNTIL, runs)
    print(f"{name}:")
    print(f"  end to end            {total:8.1f} ms   (target 1,000 ms)")
    print(f"  conditioning alone    {conditioning:8.1f} ms   ({conditioned.runs_drawn:,} runs drawn)")
    print(f"  forecast and scoring  {scoring:8.1f} ms")
    print(f"  ESS {result.ess:,.0f} of {result.runs:,} runs; {len(result.scores)} observations scored")


if __name__ == "__main__":
    main()
