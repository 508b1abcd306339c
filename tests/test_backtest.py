"""The backtest: scoring later observations against a forecast, and the forecast made at a cut."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ammoflow.scenarios.analysis import backtest as bt
from ammoflow.scenarios.analysis.likelihood import Z90, Evidence
from ammoflow.scenarios.analysis.montecarlo import draw
from ammoflow.scenarios.engine.batch import project_batch
from ammoflow.scenarios.files.observation_csv import read_observations
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Scenario, baseline

DAY = date(2025, 3, 31)
CONTAINERS = "cumulative_containers"


def seen(value: float, qualifier: str = "", *, high: float | None = None, day: date = DAY) -> Observation:
    return Observation(day, CONTAINERS, value, qualifier, high=high)


@pytest.fixture(scope="module")
def engine_forecast() -> np.ndarray:
    """Cumulative containers at the end of 2025-03 in 4,000 Monte Carlo runs of the baseline."""
    scenario = baseline()
    batch = project_batch(scenario, draw(scenario, 4_000))
    return np.asarray(batch[CONTAINERS][:, scenario.month_labels().index("2025-03")])


# -- scoring, with known answers on forecasts the engine made -------------------------------


def test_a_figure_at_the_median_is_at_the_50th_percentile_and_in_both_bands(engine_forecast: np.ndarray) -> None:
    median = float(np.median(engine_forecast))
    scored = bt.score(seen(median, "about"), engine_forecast)
    assert scored.percentile == pytest.approx(50, abs=0.5)
    assert scored.in_50 and scored.in_90
    assert scored.quantiles[2] == pytest.approx(median)
    assert scored.brier is None and scored.interval_score is not None and scored.crps is not None


def test_a_figure_beyond_the_95th_percentile_is_in_neither_band(engine_forecast: np.ndarray) -> None:
    p95 = float(np.percentile(engine_forecast, 95))
    scored = bt.score(seen(p95 * 1.3), engine_forecast)
    assert scored.percentile > 95
    assert not scored.in_50 and not scored.in_90
    inside = bt.score(seen(float(np.median(engine_forecast))), engine_forecast)
    # Outside the band the interval score adds a penalty of 2/alpha times the miss.
    assert scored.interval_score is not None and inside.interval_score is not None
    assert scored.interval_score > inside.interval_score + 2 / bt.ALPHA * math.log(1.2)


def test_bounds_score_the_chance_they_are_met(engine_forecast: np.ndarray) -> None:
    low, high = (float(v) for v in np.percentile(engine_forecast, (5, 95)))
    below_all = bt.score(seen(float(engine_forecast.min()) / 2, "more than"), engine_forecast)
    assert below_all.percentile == 100 and below_all.in_50 and below_all.in_90 and below_all.brier == 0
    above_p95 = bt.score(seen(high * 1.2, "more than"), engine_forecast)
    assert above_p95.percentile < 5 and not above_p95.in_90 and not above_p95.in_50
    assert above_p95.brier is not None and above_p95.brier > 0.9
    under_p5 = bt.score(seen(low * 0.8, "less than"), engine_forecast)
    assert under_p5.percentile < 5 and not under_p5.in_90
    median = float(np.median(engine_forecast))
    at_median = bt.score(seen(median, "at least"), engine_forecast)
    assert at_median.percentile == pytest.approx(50, abs=0.5) and at_median.in_50 and at_median.in_90
    middle = bt.score(seen(low, "between", high=high), engine_forecast)
    assert middle.percentile == pytest.approx(90, abs=0.5) and middle.in_50 and middle.in_90
    beyond = bt.score(seen(high * 1.1, "between", high=high * 1.5), engine_forecast)
    assert not beyond.in_90 and beyond.percentile < 5


# -- scoring against plain-Python references ------------------------------------------------

samples = st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=60)
values = st.floats(1, 1e6, allow_nan=False)
kinds = st.sampled_from(["more than", "less than", "about", "", "between"])


@settings(max_examples=200, deadline=None)
@given(samples, values, st.floats(1, 3), kinds)
def test_percentile_and_bands_follow_their_definitions(
    forecast: list[float], value: float, spread: float, qualifier: str
) -> None:
    high = value * spread if qualifier == "between" else None
    observation = seen(value, qualifier, high=high)
    scored = bt.score(observation, np.array(forecast))
    n = len(forecast)
    if qualifier == "more than":
        expected = sum(y >= value for y in forecast) / n
    elif qualifier == "less than":
        expected = sum(y <= value for y in forecast) / n
    elif qualifier == "between":
        assert high is not None
        expected = sum(value <= y <= high for y in forecast) / n
    else:  # where the figure falls: the share below, ties counting half
        expected = (sum(y < value for y in forecast) + sum(y == value for y in forecast) / 2) / n
    assert scored.percentile == pytest.approx(100 * expected)
    for (q_low, q_high), inside in (((25, 75), scored.in_50), ((5, 95), scored.in_90)):
        lo, hi = float(np.percentile(forecast, q_low)), float(np.percentile(forecast, q_high))
        met = {
            "more than": hi >= value,
            "less than": lo <= value,
            "between": high is not None and lo <= high and hi >= value,
        }.get(qualifier, lo <= value <= hi)
        assert inside == met


@settings(max_examples=200, deadline=None)
@given(samples, st.floats(0, 1e6, allow_nan=False))
def test_crps_is_the_expected_distance_less_half_the_spread(forecast: list[float], x: float) -> None:
    n = len(forecast)
    distance = sum(abs(y - x) for y in forecast) / n
    spread = sum(abs(a - b) for a in forecast for b in forecast) / n**2
    assert bt.crps(np.sort(np.array(forecast)), x) == pytest.approx(distance - spread / 2, rel=1e-9, abs=1e-6)


@given(st.floats(-10, 10), st.floats(0, 10), st.floats(-30, 30))
def test_interval_score_is_width_plus_penalties(low: float, width: float, x: float) -> None:
    high = low + width
    penalty = 20 * (low - x) if x < low else 20 * (x - high) if x > high else 0.0
    assert bt.interval_score(low, high, x) == pytest.approx(width + penalty)


# -- where to cut -------------------------------------------------------------------------


def test_a_cut_before_every_observation_or_after_the_last_is_refused_with_a_reason() -> None:
    scenario, shipped = baseline(), read_observations()
    with pytest.raises(bt.BacktestError, match=r"nothing is known by the end of 2023-09: .* dated 2023-10-13"):
        bt.split(scenario, shipped, "2023-09")
    with pytest.raises(bt.BacktestError, match=r"no observation after 2024-08 to score: .* 2024-08-27; cut at 2024-07"):
        bt.split(scenario, shipped, "2024-08")
    beyond = [*shipped[:1], Observation(date(2029, 6, 15), CONTAINERS, 40_000, "about")]
    with pytest.raises(bt.BacktestError, match=r"2023-10-13 \(after the projection ends in 2027-08: 1 more\)"):
        bt.split(scenario, beyond, "2024-01")
    with pytest.raises(bt.BacktestError, match=r"the cut 2030-01 is outside the projection; .* 2023-09 to 2027-08"):
        bt.split(scenario, shipped, "2030-01")
    with pytest.raises(bt.BacktestError, match="is not a month"):
        bt.split(scenario, shipped, "Feb 2024")
    known, later = bt.split(scenario, shipped, "2024-02")
    assert max(o.day for o in known) == date(2024, 2, 29) and min(o.day for o in later) == date(2024, 6, 14)


# -- the backtest end to end, on observations the engine made -------------------------------

KNOWN_DAYS = (date(2023, 11, 15), date(2024, 1, 15), date(2024, 3, 15))
LATER_DAY = date(2025, 6, 15)


def reported(
    scenario: Scenario, truth: dict[str, float], days: Sequence[date], rng: np.random.Generator
) -> list[float]:
    """What a claimant of scale 1 reports as "about" (10%) on ``days``, from the run with ``truth``'s values."""
    placed = Evidence.prepare(scenario, [Observation(day, CONTAINERS, 1.0, "about") for day in days])
    run = project_batch(scenario, {key: [value] for key, value in truth.items()})
    counts = placed.projected(run["containers_shipped"].T, run["rounds_shipped"].T)[:, 0]
    sd = math.log(1.1) / Z90
    return [float(c * math.exp(rng.normal(0, sd))) for c in counts]


def seeded(scenario: Scenario, seed: int) -> Scenario:
    return attrs.evolve(scenario, uncertainty=attrs.evolve(scenario.uncertainty, seed=seed))


def about(days: Sequence[date], counts: Sequence[float]) -> list[Observation]:
    return [Observation(day, CONTAINERS, count, "about") for day, count in zip(days, counts, strict=True)]


def test_a_later_figure_at_the_forecast_median_scores_50_and_one_beyond_p95_is_in_neither_band() -> None:
    scenario = baseline()
    truth = {key: float(scenario.values[key]) for key in ("containers_per_month",)}
    known = about(KNOWN_DAYS, reported(scenario, truth, KNOWN_DAYS, np.random.default_rng(1)))
    # The later figure's value does not change the forecast: find it, then score figures placed on it.
    probe = bt.backtest(scenario, [*known, *about([LATER_DAY], [1.0])], "2024-03", 2_000)
    p50, p95 = probe.scores[0].quantiles[2], probe.scores[0].quantiles[4]
    at_median = bt.backtest(scenario, [*known, *about([LATER_DAY], [p50])], "2024-03", 2_000).scores[0]
    assert at_median.quantiles == probe.scores[0].quantiles
    assert at_median.percentile == pytest.approx(50, abs=0.1) and at_median.in_50 and at_median.in_90
    beyond = bt.backtest(scenario, [*known, *about([LATER_DAY], [1.5 * p95])], "2024-03", 2_000).scores[0]
    assert beyond.percentile > 95 and not beyond.in_50 and not beyond.in_90


def test_forecasts_match_exact_weighting_and_cover_figures_drawn_like_the_runs() -> None:
    """A run drawn from the scenario's own uncertainty is the truth, reported "about" with its 10% error.

    In each of 60 seeded trials the backtest's forecast of the later figure is held to a plain
    reference: 100,000 runs drawn from the same uncertainty, weighted by the Gaussian likelihood of
    the known figures written out here. The backtest's verdict agrees with the reference's in all
    but three trials, and the later figure falls in the reference's 90% band about nine times in
    ten: the bounds are where Binomial(60, 0.9) falls outside once in a thousand (left without the
    reporting error, the forecast covers 38 of these 60, and the verdicts part).
    """
    scenario = baseline()
    sd = math.log(1.1) / Z90
    days = (*KNOWN_DAYS, LATER_DAY)
    prior = project_batch(scenario, draw(seeded(scenario, 777), 100_000))
    placed = Evidence.prepare(scenario, about(days, [1.0] * len(days)))
    runs = placed.projected(prior["containers_shipped"].T, prior["rounds_shipped"].T)  # (figures, runs)
    later = runs[-1] * np.exp(np.random.default_rng(9).normal(0, sd, runs.shape[1]))
    order = np.argsort(later)
    trials, agree, hits90 = 60, 0, 0
    for trial in range(trials):
        rng = np.random.default_rng(100 + trial)
        truth = {key: float(values[0]) for key, values in draw(seeded(scenario, 10_000 + trial), 1).items()}
        counts = reported(scenario, truth, days, rng)
        with np.errstate(divide="ignore"):
            loglik = -0.5 * (((np.log(runs[:-1]) - np.log(counts[:-1])[:, None]) / sd) ** 2).sum(axis=0)
        weights = np.exp(loglik - loglik.max())
        share = np.cumsum(weights[order]) / weights.sum()
        p5, p50, p95 = (float(later[order][np.searchsorted(share, q)]) for q in (0.05, 0.5, 0.95))
        scored = bt.backtest(seeded(scenario, trial), about(days, counts), "2024-03", 1_000).scores[0]
        assert scored.quantiles[2] == pytest.approx(p50, rel=0.03)
        assert scored.quantiles[4] == pytest.approx(p95, rel=0.05)
        assert scored.quantiles[0] == pytest.approx(p5, rel=0.12)  # a tail, from about 1,000 effective runs
        agree += scored.in_90 == (p5 <= counts[-1] <= p95)
        hits90 += p5 <= counts[-1] <= p95
    # The backtest says what exact weighting says, trial by trial, and exact weighting covers the
    # later figures at about its stated rate (these 60 trials: 46; 183 and 188 of 200 on other seeds).
    assert agree >= trials - 3
    assert 45 <= hits90 <= 60


def test_a_source_known_to_count_high_is_forecast_high_and_a_new_source_has_only_its_prior() -> None:
    scenario = baseline()
    truth = {key: float(scenario.values[key]) for key in ("containers_per_month",)}
    counts = reported(scenario, truth, KNOWN_DAYS, np.random.default_rng(3))
    plain = about(KNOWN_DAYS, counts)  # no claimant: scale 1
    high = [attrs.evolve(o, value=o.value * 1.5, claimant="A") for o in plain]
    later = [Observation(LATER_DAY, CONTAINERS, 1.0, "about", claimant=name) for name in ("", "A", "B")]
    result = bt.backtest(scenario, [*plain, *high, *later], "2024-03", 4_000)
    by = {s.observation.claimant: s.quantiles for s in result.scores}
    assert by["A"][2] / by[""][2] == pytest.approx(1.5, rel=0.08)  # what A's known figures say of A
    assert by["B"][2] / by[""][2] == pytest.approx(1.0, rel=0.08)  # B was not heard before the cut
    # B's scale is only its prior (log-sd 0.25): its 90% band is far wider than the unscaled one.
    assert by["B"][4] / by["B"][0] > 1.5 * by[""][4] / by[""][0]
