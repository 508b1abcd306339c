"""Monte Carlo: reproducible draws from the right distributions, projected and summarised faithfully."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import attrs
import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ammoflow.scenarios.analysis import montecarlo
from ammoflow.scenarios.analysis.montecarlo import (
    CHART_COLUMNS,
    Simulation,
    Stopped,
    draw,
    drawn_range,
    run_frames,
    simulate,
    triangular_cdf,
)
from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.scenario import Change, Scenario, Uncertainty, baseline

DRAWN = tuple(p.key for p in registry.PARAMETERS if p.uncertainty[0] < p.uncertainty[1])
CONTINUOUS = tuple(p.key for p in registry.PARAMETERS if not p.integer and p.uncertainty[0] < p.uncertainty[1])


def uncertain(scenario: Scenario | None = None, **settings: object) -> Scenario:
    return attrs.evolve(scenario or baseline(), uncertainty=Uncertainty(**settings))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def small() -> Simulation:
    """1,100 runs in uneven chunks, every output column kept."""
    from ammoflow.scenarios.analysis.montecarlo import OUTPUT_COLUMNS

    return simulate(uncertain(seed=7), 1_100, columns=OUTPUT_COLUMNS, chunk=400)


# -- drawing ---------------------------------------------------------------------------


@pytest.mark.parametrize("sampling", ["random", "latin-hypercube"])
@pytest.mark.parametrize("distribution", ["triangular", "uniform"])
def test_the_same_seed_draws_the_same_values_and_another_seed_others(distribution: str, sampling: str) -> None:
    first = draw(uncertain(seed=3, distribution=distribution, sampling=sampling), 500)
    again = draw(uncertain(seed=3, distribution=distribution, sampling=sampling), 500)
    other = draw(uncertain(seed=4, distribution=distribution, sampling=sampling), 500)
    assert list(first) == list(registry.KEYS)
    for key in registry.KEYS:
        assert first[key].shape == (500,) and first[key].dtype == np.float64
        assert np.array_equal(first[key], again[key]), key
    for key in DRAWN:
        assert not np.array_equal(first[key], other[key]), key


def test_runs_default_to_the_scenarios_and_a_subset_of_keys_draws_the_same_values() -> None:
    scenario = uncertain(seed=11, runs=321)
    everything = draw(scenario)
    assert {len(v) for v in everything.values()} == {321}
    some = draw(scenario, keys=["ru_fire_rate", "nk_reserve"])
    assert list(some) == ["ru_fire_rate", "nk_reserve"]
    assert np.array_equal(some["ru_fire_rate"], everything["ru_fire_rate"])
    assert np.array_equal(some["nk_reserve"], everything["nk_reserve"])


@pytest.mark.parametrize("sampling", ["random", "latin-hypercube"])
def test_many_runs_drawn_on_two_threads_are_the_draws_of_each_parameter_alone(sampling: str) -> None:
    """From PARALLEL_DRAW runs the parameters are shared between two threads: the same numbers, in registry order."""
    scenario = uncertain(seed=12, sampling=sampling)
    runs = montecarlo.PARALLEL_DRAW + 3
    everything = draw(scenario, runs)
    assert list(everything) == list(registry.KEYS)
    for key in (registry.KEYS[0], registry.KEYS[-1], "ru_fire_rate"):
        assert np.array_equal(draw(scenario, runs, keys=[key])[key], everything[key]), key


def test_seeded_simulations_reproduce_exactly() -> None:
    first = simulate(uncertain(seed=5), 300)
    again = simulate(uncertain(seed=5), 300)
    other = simulate(uncertain(seed=6), 300)
    assert list(first.columns) == list(CHART_COLUMNS)
    for name in CHART_COLUMNS:
        assert np.array_equal(first.columns[name], again.columns[name]), name
    for key, values in first.figures.items():
        assert np.array_equal(values, again.figures[key], equal_nan=True), key
    assert not np.array_equal(first.columns["ru_stock"], other.columns["ru_stock"])


@pytest.mark.parametrize("sampling", ["random", "latin-hypercube"])
@pytest.mark.parametrize("distribution", ["triangular", "uniform"])
def test_draws_stay_within_their_ranges(distribution: str, sampling: str) -> None:
    scenario = uncertain(seed=1, distribution=distribution, sampling=sampling)
    draws = draw(scenario, 20_000)
    for key, values in draws.items():
        p = registry.BY_KEY[key]
        low, high = p.uncertainty
        assert low <= values.min() and values.max() <= high, key
        assert p.low <= values.min() and values.max() <= p.high, key
    assert set(np.unique(draws["transit_months"])) == {0.0, 1.0, 2.0}


@pytest.mark.parametrize("sampling", ["random", "latin-hypercube"])
@pytest.mark.parametrize("distribution", ["triangular", "uniform"])
def test_a_value_moved_outside_its_range_widens_the_range_to_take_it_in(distribution: str, sampling: str) -> None:
    moved = {"ru_fire_rate": 80_000, "nk_reserve": 0, "transit_months": 6, "containers_per_month": 300}
    scenario = uncertain(baseline().with_values(moved), seed=1, distribution=distribution, sampling=sampling)
    draws = draw(scenario, 20_000)
    for key, value in moved.items():
        low, high = registry.BY_KEY[key].uncertainty
        assert drawn_range(scenario, key) == (min(low, value), max(high, value))
        assert min(low, value) <= draws[key].min() and draws[key].max() <= max(high, value), key
        # The runs reach past the evidence towards the user's value ...
        assert draws[key].max() > high or draws[key].min() < low, key
    assert set(np.unique(draws["transit_months"])) == {0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0}
    # ... so the bands surround the line the user sees.
    sim = simulate(scenario, 2_000)
    line = project(scenario)["ru_stock"].to_numpy()
    bands = sim.percentiles("ru_stock", (0, 100))
    assert np.all(bands[0] <= line + 1e-6) and np.all(line <= bands[100] + 1e-6)


def test_triangular_draws_have_the_right_mean() -> None:
    runs = 100_000
    moved = baseline().with_values({"ru_fire_rate": 60_000})  # above its range: the range widens to 10,000-60,000
    draws = draw(uncertain(moved, seed=2), runs)
    for key in (*CONTINUOUS, "ru_fire_rate"):
        low, high = drawn_range(moved, key)
        mode = moved.values[key]
        mean = (low + mode + high) / 3
        sd = math.sqrt((low**2 + mode**2 + high**2 - low * mode - low * high - mode * high) / 18)
        assert abs(draws[key].mean() - mean) < 4 * sd / math.sqrt(runs), key
    assert abs(draws["ru_fire_rate"].mean() - (10_000 + 60_000 + 60_000) / 3) < 150
    # Not the uniform mean: the mode pulls the draws towards it.
    low, high = registry.BY_KEY["nk_stock_initial"].uncertainty
    assert abs(draws["nk_stock_initial"].mean() - (low + high) / 2) > 500_000


def test_uniform_draws_have_the_right_mean() -> None:
    runs = 100_000
    draws = draw(uncertain(seed=2, distribution="uniform"), runs)
    for key in CONTINUOUS:
        low, high = registry.BY_KEY[key].uncertainty
        sd = (high - low) / math.sqrt(12)
        assert abs(draws[key].mean() - (low + high) / 2) < 4 * sd / math.sqrt(runs), key


def strata(key: str, values: np.ndarray, scenario: Scenario, runs: int) -> np.ndarray:
    """Which of ``runs`` equal quantile strata each value falls in."""
    low, high = drawn_range(scenario, key)
    if scenario.uncertainty.distribution == "uniform":
        share = (values - low) / (high - low)
    else:
        share = triangular_cdf(values, low, min(max(scenario.values[key], low), high), high)
    return np.floor(share * runs).astype(np.int64)


@pytest.mark.parametrize("distribution", ["triangular", "uniform"])
def test_latin_hypercube_puts_one_draw_in_each_stratum(distribution: str) -> None:
    runs = 1_000
    scenario = uncertain(seed=9, distribution=distribution, sampling="latin-hypercube")
    draws = draw(scenario, runs)
    for key in CONTINUOUS:
        counts = np.bincount(strata(key, draws[key], scenario, runs), minlength=runs)
        assert counts.tolist() == [1] * runs, key
    # Independently permuted: no two parameters share an order of strata.
    orders = {tuple(np.argsort(draws[key])) for key in CONTINUOUS}
    assert len(orders) == len(CONTINUOUS)
    # Plain random sampling leaves some strata empty and others doubled.
    plain = uncertain(seed=9, distribution=distribution)
    counts = np.bincount(strata("ru_fire_rate", draw(plain, runs)["ru_fire_rate"], plain, runs), minlength=runs)
    assert counts.max() > 1


def test_a_range_override_narrows_the_draws() -> None:
    wide = draw(uncertain(seed=1), 5_000)["ru_fire_rate"]
    narrow = draw(uncertain(seed=1, ranges={"ru_fire_rate": (18_000, 22_000)}), 5_000)["ru_fire_rate"]
    assert wide.min() < 15_000 and wide.max() > 35_000
    assert narrow.min() >= 18_000 and narrow.max() <= 22_000
    assert narrow.max() - narrow.min() > 3_000


def test_a_range_the_scenario_sets_is_kept_even_when_the_value_lies_outside() -> None:
    scenario = uncertain(
        baseline().with_value("ru_fire_rate", 60_000), seed=1, ranges={"ru_fire_rate": (10_000, 40_000)}
    )
    assert drawn_range(scenario, "ru_fire_rate") == (10_000, 40_000)
    draws = draw(scenario, 10_000)["ru_fire_rate"]
    assert draws.min() >= 10_000 and draws.max() <= 40_000
    assert abs(draws.mean() - (10_000 + 40_000 + 40_000) / 3) < 300  # the mode clipped to the top


def test_a_single_point_range_gives_a_constant() -> None:
    scenario = uncertain(seed=1, ranges={"containers_per_month": (900, 900), "transit_months": (3, 3)})
    draws = draw(scenario, 1_000)
    assert np.all(draws["containers_per_month"] == 900)
    assert np.all(draws["transit_months"] == 3)
    assert np.ptp(draws["ru_fire_rate"]) > 0  # the other parameters still vary


def test_a_mode_at_the_edge_of_its_range_works() -> None:
    # nk_utilisation_russia defaults to 100, the top of its range 70-100.
    draws = draw(uncertain(seed=1), 50_000)["nk_utilisation_russia"]
    assert abs(draws.mean() - (70 + 100 + 100) / 3) < 0.2
    assert np.isfinite(draws).all()


def test_unknown_keys_and_bad_runs_are_refused() -> None:
    with pytest.raises(KeyError, match="ru_fire_rate"):
        draw(baseline(), 10, keys=["ru_fire_rat"])
    with pytest.raises(ValueError, match="runs"):
        draw(baseline(), 0)
    with pytest.raises(KeyError, match="ru_stock"):
        simulate(baseline(), 10, columns=["ru_stok"])
    with pytest.raises(ValueError, match="chunk"):
        simulate(baseline(), 10, chunk=0)


# -- simulating ------------------------------------------------------------------------


def test_chunked_simulation_equals_unchunked(small: Simulation) -> None:
    whole = simulate(small.scenario, columns=list(small.columns), chunk=10_000, draws=small.draws)
    assert whole.runs == small.runs == 1_100
    for key in registry.KEYS:
        assert np.array_equal(whole.draws[key], small.draws[key])
    for name, block in small.columns.items():
        assert block.shape == (1_100, 48)
        assert np.array_equal(whole.columns[name], block), name
    for key, values in small.figures.items():
        assert np.array_equal(whole.figures[key], values, equal_nan=True), key


def test_progress_counts_every_run_once_up_to_the_total() -> None:
    seen: list[tuple[int, int]] = []
    simulate(baseline(), 1_050, chunk=100, progress=lambda done, total: seen.append((done, total)))
    assert len(seen) == 12  # one report per chunk: at most 100 runs each, in an even number of chunks (of 88)
    assert all(total == 1_050 for _, total in seen)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[-1] == (1_050, 1_050)
    one: list[tuple[int, int]] = []
    simulate(baseline(), 50, progress=lambda done, total: one.append((done, total)))
    assert one == [(50, 50)]


def test_a_stop_before_the_first_chunk_projects_nothing(monkeypatch: pytest.MonkeyPatch) -> None:

    def projected(*args: object, **kwargs: object) -> None:
        raise AssertionError("a stopped simulation projected a chunk")

    monkeypatch.setattr(montecarlo, "project_batch", projected)
    with pytest.raises(Stopped):
        simulate(baseline(), 1_000, chunk=100, stop=lambda: True)


def test_a_stop_between_chunks_ends_the_run_and_no_chunk_starts_after_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    started: list[int] = []
    lock = threading.Lock()
    real = montecarlo.project_batch

    def counted(scenario: Scenario, values: dict[str, np.ndarray], runs: int, **drift: Any) -> object:
        with lock:
            started.append(runs)
        return real(scenario, values, runs, **drift)

    monkeypatch.setattr(montecarlo, "project_batch", counted)
    asked: list[int] = []

    def stop() -> bool:
        with lock:
            asked.append(len(started))
            return len(started) >= 3

    with pytest.raises(Stopped):
        simulate(baseline(), 2_000, chunk=100, stop=stop)
    assert 3 <= len(started) < 20  # stopped well short of the 20 chunks
    assert len(started) <= max(asked) + 1  # at most the chunk in flight on the other thread went on


def test_a_stop_between_the_columns_of_one_chunk_ends_the_run_and_leaves_the_helper_free() -> None:
    """Percentiles only, one chunk: stop is asked before each column; the next simulation is whole."""
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 3  # once at the start, then before the first columns

    with pytest.raises(Stopped):
        simulate(baseline(), 2_000, qs=(5, 50, 95), stop=stop)
    assert len(asked) == 4
    again = simulate(baseline(), 2_000, qs=(5, 50, 95))
    every = simulate(baseline(), 2_000)
    for name in CHART_COLUMNS:
        assert np.array_equal(again.bands[name], np.percentile(every.columns[name], (5, 50, 95), axis=0)), name


@given(total=st.integers(2, 10**6), chunk=st.integers(1, 10**5))
def test_chunks_are_shared_evenly_between_the_two_threads(total: int, chunk: int) -> None:
    size = montecarlo.even_chunks(total, chunk)
    chunks = -(-total // size)
    pairs = -(-total // (2 * chunk))
    assert size <= chunk
    assert chunks <= 2 * pairs  # no more chunks than the fewest pairs of them need
    assert size - (total - (chunks - 1) * size) <= chunks  # the last chunk short by little


def test_an_error_in_any_chunk_is_the_simulations(monkeypatch: pytest.MonkeyPatch) -> None:

    real = montecarlo.project_batch

    def failing(scenario: Scenario, values: dict[str, np.ndarray], runs: int, **drift: Any) -> object:
        if values["ru_fire_rate"][0] == -1:
            raise ValueError("this chunk went wrong")
        return real(scenario, values, runs, **drift)

    monkeypatch.setattr(montecarlo, "project_batch", failing)
    draws = draw(baseline(), 1_000)
    for chunk_start in (500, 600):  # a chunk of the calling thread's, and one of the helper's
        marked = {key: v.copy() for key, v in draws.items()}
        marked["ru_fire_rate"][chunk_start] = -1
        with pytest.raises(ValueError, match="this chunk went wrong"):
            simulate(baseline(), chunk=100, draws=marked)


def test_each_run_is_the_projection_of_its_draws(small: Simulation) -> None:
    for run in (0, 399, 400, 1_099):  # both sides of a chunk boundary, and the last run
        values = {key: float(v[run]) for key, v in small.draws.items()}
        frame = project(small.scenario.with_values(values))
        for name, block in small.columns.items():
            assert np.allclose(block[run], frame[name].to_numpy(), rtol=1e-9, atol=1e-6), (run, name)


def test_changes_over_time_apply_to_every_run() -> None:
    scenario = uncertain(seed=1).with_changes([Change("2025-01", "ru_fire_rate", 5_000)])
    sim = simulate(scenario, 200, columns=["ru_demand"])
    start = scenario.month_labels().index("2025-01")
    assert np.ptp(sim.columns["ru_demand"][:, start - 1]) > 0
    assert np.all(sim.columns["ru_demand"][:, start] == 5_000 * 31)


@pytest.mark.parametrize("column", CHART_COLUMNS)
def test_percentiles_equal_numpys_on_the_same_samples(small: Simulation, column: str) -> None:
    qs = (0, 2.5, 5, 25, 50, 75, 95, 99.9, 100)
    got = small.percentiles(column, qs)
    want = np.percentile(small.columns[column], qs, axis=0)
    assert list(got) == list(qs)
    for i, q in enumerate(qs):
        assert got[q].shape == (48,)
        assert np.array_equal(got[q], want[i]), q
    assert list(small.percentiles(column)) == [5, 25, 50, 75, 95]


def test_percentiles_of_many_runs_take_the_two_thread_path() -> None:
    from ammoflow.scenarios.analysis.percentiles import PARALLEL_SIZE

    sim = simulate(uncertain(seed=4), 6_000, columns=["ru_stock", "cumulative_rounds"])
    assert sim.columns["ru_stock"].size > PARALLEL_SIZE
    table = sim.percentile_table()
    for name in ("ru_stock", "cumulative_rounds"):
        want = np.percentile(sim.columns[name], [5, 25, 50, 75, 95], axis=0)
        assert np.array_equal(np.stack(list(table[name].values())), want), name
    table["ru_stock"].clear()  # a caller's copy: the cache is untouched
    again = sim.percentiles("ru_stock", (5.0, 50.0))
    assert list(again) == [5.0, 50.0]
    assert np.array_equal(again[50], np.percentile(sim.columns["ru_stock"], 50, axis=0))
    with pytest.raises(ValueError):
        again[50][0] = 0.0  # cached arrays are read-only


def test_percentiles_refuse_what_they_cannot_give(small: Simulation) -> None:
    with pytest.raises(KeyError):
        simulate(baseline(), 5, columns=["ru_stock"]).percentiles("nk_stock")
    with pytest.raises(ValueError):
        small.percentiles("ru_stock", (50, 101))


def direct_share_before(sim: Simulation, key: str, month: str) -> float:
    labels = sim.months
    before = 0
    for index in sim.figures[key].tolist():
        if index >= 0 and labels[index] < month:  # YYYY-MM sorts as text
            before += 1
    return before / sim.runs


@pytest.mark.parametrize("key", ["first_shortfall_month", "nk_reserve_month"])
def test_probability_before_matches_a_direct_count(small: Simulation, key: str) -> None:
    months = ["2020-01", "2023-09", "2023-10", "2024-06", "2025-01", "2026-03", "2027-08", "2027-09", "2040-01"]
    shares = [small.probability_before(key, month) for month in months]
    assert shares == [direct_share_before(small, key, month) for month in months]
    assert shares[0] == shares[1] == 0.0
    assert shares == sorted(shares)
    assert 0 < shares[4] < 1  # the seeded runs straddle 2025-01: the check has something to count
    assert shares[-1] == np.mean(small.figures[key] >= 0)


def test_probability_before_wants_a_month_figure(small: Simulation) -> None:
    with pytest.raises(KeyError):
        small.probability_before("total_shortfall", "2025-01")
    with pytest.raises(ValueError):
        small.probability_before("first_shortfall_month", "2025-13")


def test_figure_percentiles(small: Simulation) -> None:
    got = small.figure_percentiles("total_shortfall")
    want = np.percentile(small.figures["total_shortfall"], [5, 25, 50, 75, 95])
    assert list(got) == [5, 25, 50, 75, 95]
    assert [got[q] for q in got] == want.tolist()
    assert got[5] <= got[50] <= got[95]
    with pytest.raises(ValueError, match="month"):
        small.figure_percentiles("first_shortfall_month")
    with pytest.raises(KeyError):
        small.figure_percentiles("total_shortfal")


def test_to_frame_gives_percentiles_in_the_documented_columns() -> None:
    sim = simulate(uncertain(seed=3), 250, columns=["ru_stock", "nk_stock"])
    frame = sim.to_frame()
    assert frame.columns == ["month", "column", "p5", "p25", "p50", "p75", "p95"]
    assert frame.height == 2 * 48
    assert frame["column"].to_list() == ["ru_stock"] * 48 + ["nk_stock"] * 48
    assert frame["month"].to_list() == sim.months * 2
    for q in (5, 25, 50, 75, 95):
        rows = frame.filter(frame["column"] == "nk_stock")[f"p{q}"].to_numpy()
        assert np.array_equal(rows, np.percentile(sim.columns["nk_stock"], q, axis=0)), q


def test_to_frame_with_all_runs_gives_every_run() -> None:
    sim = simulate(uncertain(seed=3), 250, columns=["ru_stock", "nk_stock"], chunk=100)
    frame = sim.to_frame(all_runs=True)
    assert frame.columns == ["run", "month", "ru_stock", "nk_stock"]
    assert frame.height == 250 * 48
    assert frame["run"].to_list()[47:50] == [0, 1, 1]
    assert frame["month"].to_list()[:48] == sim.months
    last = frame.filter(frame["run"] == 249)
    assert np.array_equal(last["ru_stock"].to_numpy(), sim.columns["ru_stock"][249])
    assert np.array_equal(frame["nk_stock"].to_numpy(), sim.columns["nk_stock"].reshape(-1))


# -- bounded memory: percentiles pass by pass, every run's rows piece by piece -----------------

QS = (0, 5, 25, 50, 75, 95, 100)


def test_percentiles_kept_a_column_at_a_time_equal_those_of_every_run_kept(small: Simulation) -> None:
    """Too little memory for two columns' runs: one column a pass, in chunks of 37 runs, the same numbers."""
    seen: list[tuple[int, int]] = []
    bands = simulate(
        small.scenario,
        columns=list(small.columns),
        chunk=37,
        draws=small.draws,
        qs=QS,
        memory=1,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert dict(bands.columns) == {}  # no column of runs is kept
    passes = len(small.columns)
    assert seen[-1] == (passes * small.runs, passes * small.runs)  # each pass projected every run
    for name, block in small.columns.items():
        got = bands.percentiles(name, QS)
        want = np.percentile(block, QS, axis=0)
        for i, q in enumerate(QS):
            assert np.array_equal(got[q], want[i]), (name, q)
    for key, values in small.figures.items():  # totals over narrower chunks may differ in the last bit
        assert np.allclose(bands.figures[key], values, rtol=1e-12, atol=0, equal_nan=True), key
    assert bands.to_frame(qs=(5, 50, 95)).equals(small.to_frame(qs=(5, 50, 95)))


def test_a_simulation_of_percentiles_says_what_it_did_not_keep(small: Simulation) -> None:
    bands = simulate(small.scenario, columns=["ru_stock"], draws=small.draws, qs=(5, 95))
    with pytest.raises(ValueError, match=r"only the percentiles \[5.0, 95.0\]"):
        bands.percentiles("ru_stock", (50,))
    with pytest.raises(KeyError, match="ru_stock"):
        bands.percentiles("nk_stock")
    with pytest.raises(ValueError, match="run_frames"):
        bands.to_frame(all_runs=True)


def test_every_runs_rows_a_piece_at_a_time_make_the_whole_frame(small: Simulation) -> None:
    columns = ["ru_stock", "cumulative_rounds", "ru_arrivals"]
    pieces = list(run_frames(small.scenario, columns=columns, draws=small.draws, rows=1_000))
    assert len(pieces) == 55  # 20 runs of 48 months a piece
    assert all(piece.height <= 1_000 for piece in pieces)
    whole = simulate(small.scenario, columns=columns, draws=small.draws).to_frame(all_runs=True)
    assert pl.concat(pieces).equals(whole)


def test_runs_frame_has_draws_and_figures(small: Simulation) -> None:
    frame = small.runs_frame()
    assert frame.height == small.runs
    assert frame.columns == ["run", *registry.KEYS, *small.figures]
    assert np.array_equal(frame["ru_fire_rate"].to_numpy(), small.draws["ru_fire_rate"])
    shortfall = small.figures["first_shortfall_month"]
    named = frame["first_shortfall_month"].to_list()
    assert named == [small.months[i] if i >= 0 else None for i in shortfall.tolist()]
    assert None in named and "2025-01" in named


def test_kept_arrays_are_read_only(small: Simulation) -> None:
    with pytest.raises(ValueError):
        small.columns["ru_stock"][0, 0] = 1.0
    with pytest.raises(ValueError):
        small.draws["ru_fire_rate"][0] = 1.0


def test_a_simulation_keeps_by_default_every_column_the_charts_draw_bands_for() -> None:
    """One list: a column drawn with bands but not kept would have no bands to draw, and the reverse wastes memory."""
    from ammoflow.tui.panels.chart_tabs import TABS, fan_columns

    drawn = {column for tab in TABS for column in fan_columns(tab)}
    assert drawn == set(CHART_COLUMNS)
    sim = simulate(uncertain(seed=3), 20)
    assert set(sim.columns) == drawn


@pytest.mark.parametrize("drifting", [(), ("nk_capacity_russia", "ru_fire_rate", "containers_per_month")])
@pytest.mark.parametrize("runs", [1_100, montecarlo.TWO_THREADS_FROM + 1])  # on one thread, and on two
@pytest.mark.parametrize("figures", [True, False])
def test_percentiles_of_one_chunk_equal_numpys(drifting: tuple[str, ...], runs: int, figures: bool) -> None:
    """One chunk: the batch's own blocks are sorted where they lie, and no column reads another's sorted memory."""
    from ammoflow.scenarios.analysis.montecarlo import OUTPUT_COLUMNS

    scenario = uncertain(seed=7, drift=list(drifting))
    draws = draw(scenario, runs)
    every = simulate(scenario, columns=OUTPUT_COLUMNS, draws=draws)
    bands = simulate(scenario, columns=OUTPUT_COLUMNS, draws=draws, qs=QS, figures=figures)
    for name in OUTPUT_COLUMNS:
        got = bands.percentiles(name, QS)
        want = np.percentile(every.columns[name], QS, axis=0)
        for i, q in enumerate(QS):
            assert np.array_equal(got[q], want[i]), (name, q)
    for key, values in every.figures.items():
        assert not figures or np.array_equal(bands.figures[key], values, equal_nan=True), key
    assert bool(bands.figures) == figures


# -- the "as of" figures ---------------------------------------------------------------


def test_the_as_of_figures_of_a_simulation_are_read_at_the_month_asked_for() -> None:
    """Each run's stocks "as of" a month are its stocks at that month; a later month reads later stocks."""
    from ammoflow.scenarios.model.months import month_of
    from ammoflow.tui.panels.bands import figure_ranges

    scenario = uncertain(seed=11)
    kept = ["nk_stock", "ru_stock", "ru_shortfall"]
    spreads = {}
    for offset in (3, 30):
        month = scenario.start_index + offset
        sim = simulate(scenario, 600, columns=kept, chunk=250, as_of=month)  # chunks of the helper thread too
        for name, key in (("nk_stock", "nk_stock_as_of"), ("ru_stock", "ru_stock_as_of")):
            assert np.array_equal(sim.figures[key], sim.columns[name][:, offset]), (key, offset)
        ahead = sim.columns["ru_shortfall"][:, offset : offset + 12].sum(axis=1)
        assert np.allclose(sim.figures["shortfall_next_12_months"], ahead, rtol=1e-12, atol=1e-6)
        ranges = figure_ranges(sim)
        want = np.percentile(sim.columns["nk_stock"][:, offset], (5, 50, 95))
        assert np.allclose(ranges["nk_stock_as_of"], want, rtol=1e-12), offset
        spreads[offset] = ranges
    # North Korea's stock falls as it ships: its range 27 months on lies lower.
    assert spreads[30]["nk_stock_as_of"][1] < spreads[3]["nk_stock_as_of"][1]
    # Without a month, today's: the same numbers as asking for today's month.
    today = simulate(scenario, 200, columns=(), as_of=month_of(date.today()))
    default = simulate(scenario, 200, columns=())
    for key in ("nk_stock_as_of", "ru_stock_as_of", "shortfall_next_12_months"):
        assert np.array_equal(today.figures[key], default.figures[key]), key


def test_a_simulation_without_figures_has_the_same_bands_and_no_figures(small: Simulation) -> None:
    """A sweep writes only the columns' percentiles: the key figures are not worked out for it."""
    bands = simulate(small.scenario, columns=["ru_stock", "nk_stock"], draws=small.draws, qs=QS, figures=False)
    assert dict(bands.figures) == {}
    for name in ("ru_stock", "nk_stock"):
        want = np.percentile(small.columns[name], QS, axis=0)
        got = bands.percentiles(name, QS)
        assert all(np.array_equal(got[q], want[i]) for i, q in enumerate(QS)), name


def test_a_sweep_of_one_chunk_reads_each_window_of_months_and_a_stop_ends_it_between_windows() -> None:
    """Percentiles without figures, 2,000 to 20,000 runs: the months a window at a time, the numbers NumPy's."""
    from ammoflow.scenarios.engine.batch_months import window_months

    scenario = uncertain(attrs.evolve(baseline(), months=30), seed=5)
    runs = 9_000
    windows = -(-scenario.months // window_months(runs, scenario.months))
    assert windows > 1  # the path under test reads several windows
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 2  # once before the draws, then before each window: the second window is refused

    columns = ["ru_stock", "cumulative_rounds", "ru_demand", "nk_production_russia"]
    with pytest.raises(Stopped):
        simulate(scenario, runs, columns=columns, qs=QS, figures=False, stop=stop)
    assert len(asked) == 3
    draws = draw(scenario, runs)
    every = simulate(scenario, columns=columns, draws=draws)
    told: list[tuple[int, int]] = []
    bands = simulate(
        scenario, columns=columns, draws=draws, qs=QS, figures=False, progress=lambda *done: told.append(done)
    )
    assert told == [(runs, runs)]
    for name in columns:
        assert np.array_equal(bands.bands[name], np.percentile(every.columns[name], QS, axis=0)), name
