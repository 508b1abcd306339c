"""How long a slider step takes to show with the uncertainty bands on, in process: medians.

    python benchmarks/bands_step.py              # 30 steps
    python benchmarks/bands_step.py --steps 10

The explorer runs under Textual's Pilot at 120x40 with the bands on (the default 1,000 runs,
key ``u``). Each step presses the right or left arrow on the focused slider; the time is from
the key until the explorer shows the new value's projection and, with the bands on, its bands.
Then the tests' ``settle`` (tests/tui/pilot_waits.py) waits, outside the time, for every job
(the look-ahead that works out the next steps included). The same steps with the bands off
are timed in the same process as the reference; each is timed with the look-ahead (the steps
known ahead) and without (every step computed when its key comes). Target: a step with the
bands on within 25 ms.
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
from ammoflow.tui.explorer import ExplorerScreen  # noqa: E402


def shown(app: AmmoflowApp, bands: bool) -> bool:
    """Whether the explorer shows the newest scenario's projection (and bands, when asked for)."""
    explorer = app.explorer
    result = explorer.result
    current = result is not None and result.scenario == explorer.workspace.scenario
    return current and (not bands or explorer.bands_current)


async def steps(count: int, bands: bool, ahead: bool) -> list[float]:
    """``count`` slider steps, each timed from the key to its answer shown, in ms."""
    ExplorerScreen.looks_ahead = ahead
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
            while not shown(app, bands):
                await asyncio.sleep(0.0002)
            took = (time.perf_counter() - start) * 1000
            await settle(pilot, app)
            if number >= 2:
                times.append(took)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["AMMOFLOW_STATE_DIR"] = str(Path(folder) / "state")
        os.chdir(folder)
        found = {
            (bands, ahead): asyncio.run(steps(args.steps, bands=bands, ahead=ahead))
            for ahead in (True, False)
            for bands in (False, True)
        }
    print(f"slider steps at 120x40, {args.steps} each, ms from the key to its answer shown")
    print(f"  {'':44}{'median':>9}{'90th pct':>10}")
    for (bands, ahead), times in found.items():
        label = f"bands {'on, 1,000 runs' if bands else 'off'}, {'known ahead' if ahead else 'computed at the key'}"
        ninety = sorted(times)[int(0.9 * (len(times) - 1))]
        print(f"  {label:<44}{statistics.median(times):9.1f}{ninety:10.1f}")
    print(f"  {'bands on, target':<44}{25.0:9.1f}")


if __name__ == "__main__":
    main()
