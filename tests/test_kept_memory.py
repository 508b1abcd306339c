"""Kept blocks' memory: used again by the next simulation of the same size, let go of when idle."""

from __future__ import annotations

import attrs
import numpy as np

from ammoflow.scenarios.analysis import montecarlo
from ammoflow.scenarios.analysis.kept_memory import KEPT, KeptMemory
from ammoflow.scenarios.model.scenario import baseline


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_block_given_back_is_handed_out_again_for_the_same_shape_only() -> None:
    kept = KeptMemory(idle=60)
    block = np.empty((48, 1_000))
    kept.give(block)
    assert kept.held() == block.nbytes
    assert kept.take((48, 1_000)) is block
    assert kept.held() == 0
    kept.give(block)
    other = kept.take((1, 1_000))  # the same runs: the 48-month block stays for the next simulation
    assert other is not block and other.shape == (1, 1_000)
    assert kept.held() == block.nbytes
    fresh = kept.take((48, 2_000))  # another number of runs: what is kept goes
    assert fresh.shape == (48, 2_000) and kept.held() == 0


def test_no_more_than_the_limit_is_kept_and_views_are_not() -> None:
    kept = KeptMemory(limit=48 * 1_000 * 8, idle=60)
    kept.give(np.empty((48, 1_000)))
    kept.give(np.empty((48, 1_000)))  # over the limit: let go
    kept.give(np.empty((48, 2_000))[:, :1_000])  # a view of memory not its own
    assert kept.held() == 48 * 1_000 * 8


def test_blocks_are_let_go_once_none_was_given_back_for_the_idle_time() -> None:
    clock = Clock()
    kept = KeptMemory(idle=20, clock=clock)
    kept.give(np.empty((48, 1_000)))
    clock.now = 19.0
    assert not kept.let_go_if_idle() and kept.held() > 0
    kept.give(np.empty((48, 1_000)))  # given back again: the idle time starts again
    clock.now = 38.0
    assert not kept.let_go_if_idle()
    clock.now = 39.5
    assert kept.let_go_if_idle() and kept.held() == 0


def test_a_simulation_on_memory_used_again_gives_the_numbers_of_one_on_fresh_memory() -> None:
    """The kept blocks hold the last simulation's numbers when handed out: every one must be written over."""
    scenario = baseline()
    runs, qs = 3_001, (5.0, 50.0, 95.0)
    KEPT.clear()
    fresh = montecarlo.simulate(scenario, runs, chunk=500, qs=qs)
    seed = scenario.uncertainty.seed + 1
    reseeded = attrs.evolve(scenario, uncertainty=attrs.evolve(scenario.uncertainty, seed=seed))
    other = montecarlo.simulate(reseeded, runs, chunk=500, qs=qs)
    assert KEPT.held() > 0  # the second ran on the first's memory, and gave it back
    again = montecarlo.simulate(scenario, runs, chunk=500, qs=qs)
    for name in montecarlo.CHART_COLUMNS:
        assert np.array_equal(again.bands[name], fresh.bands[name]), name
        assert not np.array_equal(other.bands[name], fresh.bands[name]), name  # other runs, other numbers
    KEPT.clear()
