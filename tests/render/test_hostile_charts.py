"""The explorer's charts and tornados, fed hostile numbers, never end the process drawing them.

Values up to the float limit of either sign, infinities, gaps, constant and nearly constant
series, observations dated anywhere, marks and a cursor off the axis, tiny and huge sizes:
each drawn through the layouts the explorer uses, in a child process (plotext's kernel
aborts the process on a drawing it cannot make, see ``canvas_clip``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("hostile_charts.py")


@pytest.mark.parametrize("seed", [1, 2])
def test_hostile_charts_are_drawn_or_refused_never_fatal(seed: int) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(seed), "150"], capture_output=True, text=True, cwd=REPO, timeout=300
    )
    last = result.stdout.strip().splitlines()[-1:] or ["nothing"]
    assert result.returncode == 0, f"died ({result.returncode}) drawing case {last[0]!r}: {result.stderr[-600:]}"
    assert last == ["drawn"]
