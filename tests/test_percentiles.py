"""Per-month percentiles across runs: NumPy's numbers, bit for bit, whether rows are sorted or their ranks selected."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ammoflow.scenarios.analysis.percentiles import (
    SELECT_FROM,
    RankPlan,
    block_percentiles,
    month_percentiles,
    order_rows,
    ranked_percentiles,
)

QS = (5.0, 25.0, 50.0, 75.0, 95.0)


@pytest.mark.parametrize("runs", [1, 2, 3, 10, 101, 4_999])
def test_month_percentiles_match_numpy_bit_for_bit(runs: int) -> None:
    rng = np.random.default_rng(runs)
    block = rng.lognormal(10, 2, size=(48, runs)) * rng.choice([0, 1], size=(48, runs))  # ties at zero too
    block[5, :] = 1e9
    qs = np.array([0, 1, 5, 12.5, 25, 33.3, 50, 66.6, 75, 95, 99, 100])
    assert np.array_equal(month_percentiles(block, qs), np.percentile(block, qs, axis=1))
    block[7, runs // 2] = np.nan
    assert np.array_equal(month_percentiles(block, qs), np.percentile(block, qs, axis=1), equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(
    pool=st.lists(st.integers(0, 3), min_size=1, max_size=30),
    runs=st.integers(1, 300),
    seed=st.integers(0, 2**16),
    nan_row=st.booleans(),
)
def test_block_percentiles_with_repeated_months_match_numpy(
    pool: list[int], runs: int, seed: int, nan_row: bool
) -> None:
    """Months holding the same numbers are sorted once; the bands are numpy's, month for month."""
    rng = np.random.default_rng(seed)
    rows = rng.lognormal(10, 2, size=(4, runs)) * rng.choice([0, 1], size=(4, runs))
    rows[1] = rows[0]
    rows[1, -1] += 1.0  # equal to row 0 except at its last run: must not be taken for it
    if nan_row:
        rows[2, runs // 2] = np.nan  # NaN equals nothing, not even itself
    block = rows[pool]
    qs = (0, 5, 25, 50, 75, 95, 100)
    want = np.percentile(block, qs, axis=1)
    assert np.array_equal(block_percentiles(block.copy(), qs, len(pool)), want, equal_nan=True)
    read_only = block.copy()
    read_only.flags.writeable = False
    assert np.array_equal(block_percentiles(read_only, qs, len(pool)), want, equal_nan=True)
    assert np.array_equal(
        block_percentiles(block[:1].copy(), qs, len(pool)), np.repeat(want[:, :1], len(pool), axis=1), equal_nan=True
    )


def test_a_large_block_with_repeated_months_is_sorted_without_a_second_copy() -> None:
    """100,000 runs of 240 months make 190 MB columns: their percentiles must not need as much again.

    A demand that changes only with the days in the month repeats its rows; sorting a copy of the
    distinct rows doubled the peak memory of the longest accepted simulation past 1 GiB.
    """
    import tracemalloc

    rng = np.random.default_rng(7)
    distinct = rng.random((4, 200_000))
    block = distinct[np.arange(60) % 4]  # 60 months of 200,000 runs: 96 MB, four distinct rows
    qs = (5.0, 25.0, 50.0, 75.0, 95.0)
    want = np.percentile(distinct, qs, axis=1)[:, np.arange(60) % 4]
    tracemalloc.start()
    try:
        found = block_percentiles(block, qs, 60)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert np.array_equal(found, want)
    assert peak < block.nbytes / 4, f"sorting took {peak / 2**20:.0f} MB beside a {block.nbytes / 2**20:.0f} MB block"


@pytest.mark.parametrize("runs", [SELECT_FROM - 1, SELECT_FROM, SELECT_FROM + 7, 100_000])
def test_long_rows_have_their_ranks_selected_and_give_numpys_percentiles(runs: int) -> None:
    """From SELECT_FROM runs a row is not sorted, only its ranks put in place (unless it is full of ties)."""
    rng = np.random.default_rng(runs)
    block = rng.lognormal(10, 2, size=(4, runs))
    block[1] *= rng.choice([0, 1], size=runs)  # half the runs at zero: a shortfall, a stock run down
    block[2] = np.round(block[2], -4)  # ties everywhere
    block[3] *= rng.random(runs) > 0.01  # a few zeros
    qs = (0.0, 2.5, 5.0, 25.0, 50.0, 75.0, 95.0, 99.9, 100.0)
    want = np.percentile(block, qs, axis=1)
    assert np.array_equal(month_percentiles(block, qs), want)
    ordered = block.copy()
    order_rows(ordered, qs)
    in_order = np.all(np.diff(ordered, axis=1) >= 0, axis=1)
    assert in_order.tolist() == [runs < SELECT_FROM, True, True, runs < SELECT_FROM]  # tied rows are sorted
    block[0, runs // 3] = np.nan
    block[1, runs // 2] = np.nan
    assert np.array_equal(month_percentiles(block, qs), np.percentile(block, qs, axis=1), equal_nan=True)


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.floats(-1e12, 1e12), st.sampled_from([0.0, 1.0, -1.0, float("nan")])), min_size=1, max_size=120
    ),
    qs=st.lists(st.floats(0, 100), min_size=1, max_size=12),
)
def test_a_rank_plan_puts_every_rank_a_percentile_reads_in_place(values: list[float], qs: list[float]) -> None:
    """The plan followed on any row, short or long, ties and NaN included: NumPy's percentiles.

    Rows this short are sorted by order_rows, so the plan is followed here directly: the same
    steps it takes on a row of 100,000 runs.
    """
    row = np.array(values)
    wanted = tuple(qs)
    plan = RankPlan(len(row), wanted)
    ordered = row.copy()
    plan.apply(ordered)
    assert np.array_equal(np.sort(ordered), np.sort(row), equal_nan=True)  # the same numbers, rearranged
    got = ranked_percentiles(ordered[None, :], wanted)[:, 0]
    assert np.array_equal(got, np.percentile(row, wanted), equal_nan=True)


def test_a_rank_plan_partitions_only_between_ranks_already_placed() -> None:
    """Each step works on the stretch between two placed ranks, which halves: a few rows' worth in all."""
    plan = RankPlan(100_000, QS)
    work = sum(end - start for start, end, _, _ in plan.steps)
    assert len(plan.steps) == 11  # five percentiles' two neighbours each, and the largest
    assert work < 4 * 100_000
