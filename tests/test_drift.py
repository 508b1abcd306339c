"""Drifting rates (docs/model.md, Drift): the batch engine's rule, the random walk, and the bands it widens."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import reference_projection
from test_cli_analysis import GIB, ammoflow, peak_bytes
from test_engine import VARIED_KEYS, close

from ammoflow.scenarios.analysis.montecarlo import DRIFT_BLOCK, draw_drift, run_frames, simulate
from ammoflow.scenarios.engine import batch as batch_module
from ammoflow.scenarios.engine.batch import project_batch
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.columns import NUMBER_COLUMNS
from ammoflow.scenarios.model.scenario import Change, Scenario, baseline

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DRIFTING = tuple(p.key for p in registry.PARAMETERS if p.can_drift)


def drifting(scenario: Scenario, drift: dict[str, Any] | list[str], **settings: Any) -> Scenario:
    """``scenario`` with ``[uncertainty] drift`` (and any other uncertainty settings) set."""
    return attrs.evolve(scenario, uncertainty=attrs.evolve(scenario.uncertainty, drift=drift, **settings))


# -- the batch engine: planned path times the multiplier, clipped ------------------------------


@SETTINGS
@given(data=st.data())
def test_every_run_with_drift_is_the_reference_with_its_multipliers(  # type: ignore[no-untyped-def]
    data: st.DataObject, scenario_strategy, value_strategy
) -> None:
    scenario = data.draw(scenario_strategy(max_changes=4))
    runs = data.draw(st.integers(1, 4))
    keys = data.draw(st.lists(st.sampled_from(VARIED_KEYS), max_size=4, unique=True))
    values = {key: np.array(data.draw(st.lists(value_strategy(key), min_size=runs, max_size=runs))) for key in keys}
    drifted = data.draw(st.lists(st.sampled_from(DRIFTING), min_size=1, max_size=3, unique=True))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32)))
    # Small steps, and steps large enough to push the value against both ends of its slider range.
    spread = data.draw(st.sampled_from([0.0, 0.05, 0.5, 3.0]))
    drift = {key: np.exp(rng.normal(0.0, spread, (scenario.months, runs))) for key in drifted}
    batch = project_batch(scenario, values, runs, drift=drift)
    for run in range(runs):
        own = scenario.with_values({key: float(v[run]) for key, v in values.items()})
        expected = reference_projection(own, {key: m[:, run].tolist() for key, m in drift.items()})
        for name in NUMBER_COLUMNS:
            got = batch[name][run]
            bad = [(i, g, float(row[name])) for i, (g, row) in enumerate(zip(got, expected, strict=True))]
            bad = [b for b in bad if not close(b[1], b[2])]
            assert not bad, f"run {run}: {name} differs in {len(bad)} month(s), first (month, batch, model): {bad[0]}"


def test_multipliers_of_one_give_exactly_the_numbers_without_drift() -> None:
    scenario = baseline()
    values = {"ru_fire_rate": np.array([12_000.0, 35_000.0]), "containers_per_month": np.array([700.0, 1_400.0])}
    ones = {key: np.ones((scenario.months, 2)) for key in ("ru_fire_rate", "containers_per_month", "ru_production")}
    plain = project_batch(scenario, values)
    with_ones = project_batch(scenario, values, drift=ones)
    for name in NUMBER_COLUMNS:
        assert np.array_equal(plain[name], with_ones[name]), name


def test_a_drifting_parameter_follows_its_changes_times_its_multiplier_within_its_range() -> None:
    scenario = baseline().with_change(Change("2025-01", "ru_fire_rate", 30_000))
    months = scenario.months
    multiplier = np.full((months, 1), 1.5)
    multiplier[-1] = 10.0  # 300,000 a day: above the slider's 80,000
    batch = project_batch(scenario, drift={"ru_fire_rate": multiplier})
    rate = batch.parameter("ru_fire_rate")[0]
    assert rate[0] == 30_000  # 20,000 planned, times 1.5
    assert rate[16] == 45_000  # the change to 30,000 from 2025-01, times 1.5
    assert rate[-1] == registry.BY_KEY["ru_fire_rate"].high


@pytest.mark.parametrize(
    ("drift", "message"),
    [
        ({"ru_fire_rat": np.ones((48, 2))}, 'unknown parameter "ru_fire_rat"; did you mean "ru_fire_rate"'),
        ({"transit_months": np.ones((48, 2))}, "transit_months cannot drift"),
        ({"nk_stock_initial": np.ones((48, 2))}, "nk_stock_initial cannot drift"),
        ({"ru_fire_rate": np.ones((2, 48))}, r"must be a \(months, runs\) block"),
        ({"ru_fire_rate": np.zeros((48, 2))}, "finite multipliers above 0"),
        ({"ru_fire_rate": np.full((48, 2), np.nan)}, "finite multipliers above 0"),
    ],
)
def test_multipliers_the_engine_cannot_use_are_refused_plainly(drift: dict[str, np.ndarray], message: str) -> None:
    with pytest.raises((KeyError, ValueError), match=message):
        project_batch(baseline(), {"ru_fire_rate": [10_000.0, 20_000.0]}, drift=drift)


def test_the_engine_keeps_its_own_copy_of_the_multipliers() -> None:
    multiplier = np.full((48, 1), 2.0)
    batch = project_batch(baseline(), drift={"ru_production": multiplier})
    multiplier[:] = 0.5  # the caller reuses its array: the batch, not yet asked for Russia's side, must not follow
    assert batch.parameter("ru_production")[0, 5] == 500_000


def test_reading_shipments_only_never_works_out_russias_side(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = batch_module._Projection._russia

    def counted(self: Any) -> Any:
        calls.append(1)
        return real(self)

    monkeypatch.setattr(batch_module._Projection, "_russia", counted)
    batch = project_batch(baseline(), {"containers_per_month": [800.0, 1_200.0]})
    batch["cumulative_containers"], batch["cumulative_rounds"], batch["nk_stock"], batch.total("rounds_shipped")
    assert calls == []
    fired = batch["ru_fired"]
    assert calls == [1]
    assert batch["ru_stock"].shape == fired.shape
    assert calls == [1]  # worked out once, for both of Russia's series


# -- the random walk ---------------------------------------------------------------------------


def reference_walk(seed: int, key: str, volatility: float, months: int, run: int) -> list[float]:
    """docs/model.md's walk for one run, in plain Python, from the normals of the run's stream and column."""
    from ammoflow.scenarios.analysis.montecarlo import _DRIFT_STREAM

    block, column = divmod(run, DRIFT_BLOCK)
    stream = np.random.SeedSequence(seed, spawn_key=(_DRIFT_STREAM, registry.KEYS.index(key), block))
    normals = np.random.default_rng(stream).standard_normal((months - 1, DRIFT_BLOCK))[:, column].tolist()
    sigma = volatility / 100
    log_m = [0.0]
    for z in normals:
        log_m.append(log_m[-1] + sigma * z - sigma**2 / 2)
    return [math.exp(v) for v in log_m]


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**63 - 1),
    key=st.sampled_from(DRIFTING),
    volatility=st.sampled_from([None, 0.5, 7.25, 50.0]),
    months=st.integers(1, 60),
    first=st.integers(0, 5_000),
    runs=st.integers(1, 30),
)
def test_the_walk_is_the_models_equation(
    seed: int, key: str, volatility: float | None, months: int, first: int, runs: int
) -> None:
    scenario = drifting(baseline().with_horizon(months=months), {key: volatility}, seed=seed)
    sigma = registry.BY_KEY[key].drift if volatility is None else volatility
    block = draw_drift(scenario, first, runs)[key]
    assert block.shape == (months, runs)
    for column in {0, runs // 2, runs - 1}:
        want = reference_walk(seed, key, sigma, months, first + column)
        got = block[:, column].tolist()
        assert all(math.isclose(g, w, rel_tol=1e-12) for g, w in zip(got, want, strict=True)), (column, got, want)


def test_a_runs_path_is_the_same_however_the_runs_are_split() -> None:
    scenario = drifting(baseline(), {"containers_per_month": 5, "ru_fire_rate": 4}, seed=11)
    whole = draw_drift(scenario, 0, 3 * DRIFT_BLOCK + 17)
    for first, runs in ((0, 1), (999, 2), (1_234, 1_500), (2_990, 27), (3 * DRIFT_BLOCK, 17)):
        part = draw_drift(scenario, first, runs)
        for key in whole:
            assert np.array_equal(part[key], whole[key][:, first : first + runs]), (key, first, runs)


def test_paths_start_at_one_and_depend_on_the_seed_and_the_parameter() -> None:
    scenario = drifting(baseline(), ["containers_per_month", "ru_fire_rate"], seed=3)
    paths = draw_drift(scenario, 0, 500)
    assert set(paths) == {"containers_per_month", "ru_fire_rate"}
    assert all(block.shape == (48, 500) and (block[0] == 1).all() for block in paths.values())
    assert not np.array_equal(paths["containers_per_month"], paths["ru_fire_rate"])
    other_seed = draw_drift(attrs.evolve(scenario, uncertainty=attrs.evolve(scenario.uncertainty, seed=4)), 0, 500)
    assert not np.array_equal(paths["ru_fire_rate"], other_seed["ru_fire_rate"])
    assert draw_drift(baseline(), 0, 500) == {}


@pytest.mark.parametrize(("given", "sigma"), [(["ru_fire_rate"], 0.04), ({"ru_fire_rate": 20}, 0.20)])
def test_each_months_step_is_normal_in_log_with_the_volatility_and_the_mean_stays_one(given: Any, sigma: float) -> None:
    """log m_t - log m_(t-1) ~ Normal(-sigma^2/2, sigma): so E[m_t] = 1, the planned path stays the mean."""
    runs = 40_000
    paths = draw_drift(drifting(baseline(), given, seed=5), 0, runs)["ru_fire_rate"]
    steps = np.diff(np.log(paths), axis=0)
    assert steps.std() == pytest.approx(sigma, rel=0.01)
    assert steps.mean() == pytest.approx(-(sigma**2) / 2, abs=3 * sigma / math.sqrt(steps.size))
    last = paths[-1]
    # Without the -sigma^2/2 term the mean at 47 steps would be exp(47 sigma^2 / 2): 1.04 or 2.56.
    assert last.mean() == pytest.approx(1.0, abs=4 * last.std() / math.sqrt(runs))
    assert np.log(last).std() == pytest.approx(sigma * math.sqrt(47), rel=0.03)


def test_only_drifting_parameters_have_paths() -> None:
    with pytest.raises(KeyError, match="drifting parameter"):
        draw_drift(drifting(baseline(), ["ru_fire_rate"]), 0, 10, keys=["ru_production"])


# -- bands ---------------------------------------------------------------------------------------


def _width(simulation: Any, column: str) -> np.ndarray:
    bands = simulation.percentiles(column, (5, 95))
    width: np.ndarray = bands[95] - bands[5]
    return width


def test_drift_widens_the_band_at_the_horizon() -> None:
    plain = simulate(baseline(), 5_000, columns=["ru_demand", "cumulative_containers"])
    drifted = simulate(
        drifting(baseline(), ["ru_fire_rate", "containers_per_month"]),
        5_000,
        columns=["ru_demand", "cumulative_containers"],
    )
    assert _width(drifted, "ru_demand")[-1] > 1.2 * _width(plain, "ru_demand")[-1]
    # Shipments are bounded by North Korea's stock and production too, so their band widens less.
    assert _width(drifted, "cumulative_containers")[-1] > _width(plain, "cumulative_containers")[-1]
    # The starting draws are the same: the first month's band is what it was.
    assert np.allclose(_width(drifted, "ru_demand")[0], _width(plain, "ru_demand")[0])


def test_a_drifting_rate_is_more_uncertain_every_month() -> None:
    """A fire rate known today (a range of one point) but drifting: its band widens month on month."""
    scenario = drifting(baseline(), {"ru_fire_rate": 4}, ranges={"ru_fire_rate": (20_000, 20_000)})
    simulation = simulate(scenario, 20_000, columns=["ru_demand"])
    days = project_batch(scenario)["days"][0]
    width = _width(simulation, "ru_demand") / days  # the band of the rate itself, rounds a day
    assert width[0] == 0
    assert (np.diff(width) > 0).all(), np.diff(width)
    # Without drift, the same scenario has no band at all.
    plain = simulate(drifting(scenario, {}), 2_000, columns=["ru_demand"])
    assert (_width(plain, "ru_demand") == 0).all()


@pytest.mark.parametrize("chunk", [777, DRIFT_BLOCK, 2_500])
def test_the_same_seed_gives_the_same_bands_whatever_the_chunk(chunk: int) -> None:
    scenario = drifting(baseline(), ["containers_per_month", "ru_fire_rate", "ru_production"], seed=21)
    whole = simulate(scenario, 5_000, chunk=20_000, qs=(5, 50, 95))
    chunked = simulate(scenario, 5_000, chunk=chunk, qs=(5, 50, 95))
    for name, band in whole.bands.items():
        assert np.array_equal(band, chunked.bands[name]), name
    for key, figure in whole.figures.items():
        assert np.array_equal(figure, chunked.figures[key], equal_nan=True), key


def test_written_runs_are_the_simulated_runs_with_their_drift() -> None:
    scenario = drifting(baseline(), {"containers_per_month": 10}, seed=2)
    kept = simulate(scenario, 300, columns=["containers_shipped"], chunk=70)
    written = pl.concat(run_frames(scenario, 300, columns=["containers_shipped"], rows=48 * 50))
    assert np.array_equal(written["containers_shipped"].to_numpy().reshape(300, 48), kept.columns["containers_shipped"])


def test_a_caller_may_give_its_own_multipliers() -> None:
    scenario = drifting(baseline(), ["ru_fire_rate"])
    doubled = simulate(
        scenario,
        50,
        columns=["ru_demand"],
        draws={"ru_fire_rate": np.full(50, 10_000.0)},
        drift=lambda first, runs: {"ru_fire_rate": np.full((scenario.months, runs), 2.0)},
    )
    assert (doubled.columns["ru_demand"][:, 0] == 20_000 * 30).all()


# -- the command line ------------------------------------------------------------------------------

DRIFTING_FILE = 'name = "Drifting"\n[uncertainty]\nruns = 500\ndrift = { containers_per_month = 5, ru_fire_rate = 4 }\n'


def test_uncertainty_says_which_rates_drift(tmp_path: Path) -> None:
    (tmp_path / "d.toml").write_text(DRIFTING_FILE)
    table = ammoflow("uncertainty", "d.toml", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert "drifting, % a month: containers_per_month 5, ru_fire_rate 4" in " ".join(table.stdout.split())
    shown = json.loads(ammoflow("uncertainty", "d.toml", "--format", "json", cwd=tmp_path).stdout)
    assert shown["drift"] == {"containers_per_month": 5.0, "ru_fire_rate": 4.0}
    plain = json.loads(ammoflow("uncertainty", "baseline", "--runs", "500", "--format", "json", cwd=tmp_path).stdout)
    assert plain["drift"] == {}
    # Drift changes the answer: the same seed without it gives other percentiles.
    assert shown["percentiles"] != plain["percentiles"]


def test_a_file_with_drift_that_cannot_be_is_one_clear_message(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text('name = "x"\n[uncertainty]\ndrift = { transit_months = 1 }\n')
    done = ammoflow("uncertainty", "bad.toml", cwd=tmp_path)
    assert done.returncode != 0
    assert "bad.toml:3: transit_months cannot drift: it is a whole number" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak from /proc")
def test_every_rate_drifting_at_the_largest_size_stays_under_a_gibibyte(tmp_path: Path) -> None:
    keys = ", ".join(f'"{key}"' for key in DRIFTING)
    (tmp_path / "all.toml").write_text(f'name = "All"\n[uncertainty]\ndrift = [{keys}]\n')
    args = ("uncertainty", "all.toml", "--runs", "100000", "--months", "240")
    assert peak_bytes(*args, cwd=tmp_path) < GIB
