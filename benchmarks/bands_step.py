"""How long a slider step takes to settle with the uncertainty bands on, in process: medians.

    python benchmarks/bands_step.py              # 30 steps
    python benchmarks/bands_step.py --steps 10

The explorer runs under Textual's Pilot at 120x40 with the bands on (the default 1,000 runs,
key ``u``). Each step presses the right arrow on the focused slider and waits with the tests'
``settle`` (tests/tui/pilot_waits.py) until every job asked for is done and drawn: the time is
from the key to the bands drawn for the new value. The same steps with the bands off are timed
in the same process as the reference. Target: a step with the bands on within 25 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "tui"))

from pilot_waits import settle  # noqa: E402  (the tests' own wait for the explorer's jobs)

from ammoflow.tui.app import AmmoflowApp  # noqa: E402


async def steps(count: int, bands: bool) -> list[float]:
    """``count`` slider steps, each timed from the key to the explorer settled, in ms."""
    app = AmmoflowApp(offer_recovery=False)
    times: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        if bands:
            await pilot.press("u")
            await settle(pilot, app)
            assert app.explorer.bands_current, "the bands did not come on"
        for number in range(count + 2):  # two to warm up
            key = "right" if number % 2 == 0 else "left"
            start = time.perf_counter()
            await pilot.press(key)
            await settle(pilot, app)
            if bands:
                assert app.explorer.bands_current
            if number >= 2:
                times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["AMMOFLOW_STATE_DIR"] = str(Path(folder) / "state")
        os.chdir(folder)
        plain = asyncio.run(steps(args.steps, bands=False))
        banded = asyncio.run(steps(args.steps, bands=True))
    print(f"slider steps at 120x40, {args.steps} each, ms from the key to the explorer settled")
    print(f"  {'':32}{'median':>9}{'90th pct':>10}")
    for label, times in (("bands off (reference)", plain), ("bands on, 1,000 runs", banded)):
        ninety = sorted(times)[int(0.9 * (len(times) - 1))]
        print(f"  {label:<32}{statistics.median(times):9.1f}{ninety:10.1f}")
    extra = statistics.median(banded) - statistics.median(plain)
    print(f"  {'what the bands add, median':<32}{extra:9.1f}")
    print(f"  {'bands on, target':<32}{25.0:9.1f}")


if __name__ == "__main__":
    main()
