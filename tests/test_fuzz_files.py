"""Thousands of broken presets and observation files: each is read or refused, never a traceback.

The cases are mutated copies of the shipped files (see ``fuzz_inputs``), seeded so that a
failure names the seed that makes it again. Reading runs in this process, which is fast; a
few cases also go through ``ammoflow validate`` to check what a user sees.
"""

from __future__ import annotations

import faulthandler
import math
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
from fuzz_inputs import mutated

from ammoflow.scenarios.files import presets
from ammoflow.scenarios.files.observation_csv import SHIPPED, read_observations
from ammoflow.scenarios.files.scenario_toml import read_scenario
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.observations import Observation

SCENARIO_CASES = 2000
OBSERVATION_CASES = 2000
# If reading ever hangs, end the run with every thread's stack rather than wait for ever.
# It is a guard, not the assertion: the assertion is that nothing but a ScenarioError escapes.
HANG_GUARD = 600


def fuzz(sources: list[bytes], cases: int, path: Path, read, check) -> list[str]:  # type: ignore[no-untyped-def]
    """Read ``cases`` mutated copies of ``sources``; the tracebacks of every failure."""
    failures = []
    faulthandler.dump_traceback_later(HANG_GUARD, exit=True)
    try:
        for seed in range(cases):
            data, names = mutated(sources[seed % len(sources)], seed)
            path.write_bytes(data)
            try:
                accepted = read(path)
            except ScenarioError as exc:
                assert exc.lines() and all(exc.lines()), f"seed {seed}: an empty message"
            except Exception:
                failures.append(f"seed {seed} ({', '.join(names)}):\n{traceback.format_exc()}")
            else:
                if not check(accepted):
                    failures.append(f"seed {seed} ({', '.join(names)}): accepted {accepted!r}")
    finally:
        faulthandler.cancel_dump_traceback_later()
    return failures


def test_mutated_presets_are_read_or_refused_cleanly(tmp_path: Path) -> None:
    sources = [presets.path_of(name).read_bytes() for name in presets.names()]
    failures = fuzz(sources, SCENARIO_CASES, tmp_path / "case.toml", read_scenario, lambda s: s.problems() == [])
    assert failures == []


def test_mutated_observations_are_read_or_refused_cleanly(tmp_path: Path) -> None:
    def counts(observations: tuple[Observation, ...]) -> bool:
        return all(math.isfinite(o.value) and o.value >= 0 for o in observations)

    failures = fuzz([SHIPPED.read_bytes()], OBSERVATION_CASES, tmp_path / "case.csv", read_observations, counts)
    assert failures == []


CLI_CASES = {
    "huge number": ("baseline", lambda text: text.replace("ru_fire_rate = ", "ru_fire_rate = 1" + "0" * 400 + " #")),
    "padded month": ("nk-cutback-2025", lambda text: text.replace('"2025-', '" 2025-', 1)),
    "deep nesting": ("baseline", lambda text: text + "\nx = " + "[" * 5000 + "]" * 5000 + "\n"),
    "dotted keys": ("baseline", lambda text: "".join(f"a.b.c{i} = 1\n" for i in range(60_000)) + text),
    "binary": ("baseline", lambda text: text[:200] + "\x00\x01\x02" + text[200:]),
    "truncated": ("us-state-dept", lambda text: text[: len(text) // 2] + '\nvalue = "'),
}


@pytest.mark.parametrize("case", list(CLI_CASES))
def test_validate_refuses_a_broken_file_in_lines_without_a_traceback(tmp_path: Path, case: str) -> None:
    preset, mutate = CLI_CASES[case]
    path = tmp_path / f"{preset}.toml"
    path.write_text(mutate(presets.path_of(preset).read_text(encoding="utf-8")), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "ammoflow", "validate", str(path)], capture_output=True, text=True, timeout=HANG_GUARD
    )
    assert (result.returncode, "Traceback" in result.stdout + result.stderr) == (1, False), result.stderr
    problems = result.stdout.splitlines()
    assert problems and all(line.startswith(f"{path}:") for line in problems)
