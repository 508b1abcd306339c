"""The likelihood of the observations under many runs, against plain-Python references."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ammoflow.scenarios.analysis.likelihood import (
    LOG_SCALES,
    SCALE_POINTS,
    SCALE_PRIOR,
    SCALE_SD,
    SCALES,
    Evidence,
    check,
)
from ammoflow.scenarios.engine.batch import project_batch
from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.files.observation_csv import read_observations
from ammoflow.scenarios.model.figures import projected_at
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Scenario, baseline

# Six months from 2024-01: a flow block of any shape the tests like stands for the engine's.
SIX = Scenario(start="2024-01", months=6)
DAYS = [date(2024, m, d) for m in range(1, 7) for d in (1, 10, 28)]
Z90 = 1.6448536269514722


def lower(day: date, value: float, claimant: str = "", metric: str = "cumulative_containers") -> Observation:
    return Observation(day, metric, value, "more than", claimant)


def about(day: date, value: float, claimant: str = "", tolerance: float | None = None) -> Observation:
    return Observation(day, "cumulative_containers", value, "about", claimant, tolerance=tolerance)


def steady(runs: int, per_month: float = 1_000.0) -> np.ndarray:
    return np.full((SIX.months, runs), per_month)


# -- the plain-Python reference: docs/model.md, "Observations" -----------------------------------


def reference_row(observation: Observation, reported: float) -> float:
    """log-likelihood of one observation when the claimant reports ``reported``."""
    kind = observation.kind
    if kind in ("about", "exact"):
        if reported <= 0:
            return -math.inf
        sd = math.log(1 + (observation.tolerance_used or 0) / 100) / Z90
        return -0.5 * (math.log(reported / observation.value) / sd) ** 2
    low, high = observation.bounds()
    return 0.0 if low <= reported <= high else -math.inf


def reference_loglik(observations: list[Observation], values: list[float]) -> float:
    """Sum over claimants of log sum_g prior_g prod_rows L(s_g y); the empty claimant at s = 1."""
    total = sum(reference_row(o, y) for o, y in zip(observations, values, strict=True) if not o.claimant)
    for claimant in {o.claimant for o in observations if o.claimant}:
        terms = []  # log(prior_g) + the claimant's rows at s_g, for a log-sum-exp that cannot underflow
        for g in range(SCALE_POINTS):
            logs = [
                reference_row(o, SCALES[g] * y)
                for o, y in zip(observations, values, strict=True)
                if o.claimant == claimant
            ]
            if all(v > -math.inf for v in logs):
                terms.append(math.log(SCALE_PRIOR[g]) + sum(logs))
        if not terms:
            return -math.inf
        top = max(terms)
        total += top + math.log(sum(math.exp(t - top) for t in terms))
    return total


@st.composite
def observations_and_values(draw: st.DrawFn) -> tuple[list[Observation], list[float]]:
    """A handful of observations of assorted kinds and claimants, with a projected value each."""
    count = draw(st.integers(1, 6))
    rows: list[Observation] = []
    values: list[float] = []
    for _ in range(count):
        kind = draw(st.sampled_from(["more than", "at most", "about", "", "between"]))
        value = draw(st.floats(100, 10_000))
        high = value * draw(st.floats(1, 3)) if kind == "between" else None
        tolerance = draw(st.none() | st.floats(1, 50)) if kind in ("about", "") else None
        claimant = draw(st.sampled_from(["", "A", "B"]))
        rows.append(
            Observation(
                date(2024, 3, 1), "cumulative_containers", value, kind, claimant, high=high, tolerance=tolerance
            )
        )
        projected = draw(st.just(0.0) | st.floats(1e-3, 20_000))
        # Keep off the exact edges of a bound at a grid point: there, log and linear forms may round apart.
        for edge in (value, high or value):
            for scale in SCALES:
                assume(abs(scale * projected - edge) > 1e-6 * edge)
        values.append(projected)
    return rows, values


@settings(max_examples=150, deadline=None)
@given(observations_and_values())
def test_loglik_matches_the_plain_reference(case: tuple[list[Observation], list[float]]) -> None:
    observations, values = case
    evidence = Evidence.prepare(SIX, observations)
    got = float(evidence.loglik(np.array(values)[[observations.index(o) for o in evidence.observations]])[0])
    want = reference_loglik(list(evidence.observations), [values[observations.index(o)] for o in evidence.observations])
    if want == -math.inf:
        assert got == -math.inf
    else:
        assert got == pytest.approx(want, rel=1e-9, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(observations_and_values())
def test_scale_loglik_is_each_claimants_rows_at_each_grid_point(case: tuple[list[Observation], list[float]]) -> None:
    observations, values = case
    evidence = Evidence.prepare(SIX, observations)
    ordered = [values[observations.index(o)] for o in evidence.observations]
    blocks = evidence.scale_loglik(np.array(ordered)[:, None])
    assert set(blocks) == {o.claimant for o in observations}
    for claimant, block in blocks.items():
        assert block.shape == (1, SCALE_POINTS)
        mine = [(o, y) for o, y in zip(evidence.observations, ordered, strict=True) if o.claimant == claimant]
        for g in range(SCALE_POINTS):
            scale = SCALES[g] if claimant else 1.0
            want = sum(reference_row(o, scale * y) for o, y in mine)
            assert block[0, g] == (pytest.approx(want, rel=1e-9, abs=1e-9) if want > -math.inf else -math.inf)


# -- bounds behave as bounds --------------------------------------------------------------------------


def test_a_lower_bound_below_every_run_changes_nothing() -> None:
    runs = np.random.default_rng(1).uniform(500, 1_500, size=(SIX.months, 2_000))
    told = [about(date(2024, 3, 15), 2_500, "A"), about(date(2024, 5, 1), 4_000)]
    evidence = Evidence.prepare(SIX, told)
    both = Evidence.prepare(SIX, [*told, lower(date(2024, 4, 1), 10, "A"), lower(date(2024, 6, 1), 1)])
    plain = evidence.loglik(evidence.projected(runs, runs))
    assert np.array_equal(both.loglik(both.projected(runs, runs)), plain)
    assert np.isfinite(plain).all()


def test_outside_a_bound_is_impossible_unless_some_scale_meets_it() -> None:
    # 1,000 containers a month: 3,000 by the end of March.
    flows = steady(1)
    unnamed = Evidence.prepare(SIX, [lower(date(2024, 3, 31), 3_300)])
    assert unnamed.loglik(unnamed.projected(flows, flows))[0] == -math.inf
    # A claimant whose counts run 10% high reports "more than 3,300" of a true 3,000: possible.
    named = Evidence.prepare(SIX, [lower(date(2024, 3, 31), 3_300, "A")])
    values = named.projected(flows, flows)
    assert math.isfinite(named.loglik(values)[0])
    block = named.scale_loglik(values)["A"][0]
    assert np.array_equal(np.isfinite(block), SCALES * 3_000 >= 3_300)
    # Beyond every scale on the grid (3 sd): impossible again.
    far = Evidence.prepare(SIX, [lower(date(2024, 3, 31), 3_000 * math.exp(3.01 * SCALE_SD), "A")])
    assert far.loglik(far.projected(flows, flows))[0] == -math.inf


def test_about_puts_its_tolerance_at_the_90_percent_interval() -> None:
    flows = steady(1)
    evidence = Evidence.prepare(SIX, [about(date(2024, 3, 31), 3_000 / 1.25, tolerance=25)])
    # 3,000 is 25% above "about 2,400": the edge of the 90% interval, 1.645 sd out.
    assert evidence.loglik(evidence.projected(flows, flows))[0] == pytest.approx(-0.5 * Z90**2)
    exact = Evidence.prepare(SIX, [Observation(date(2024, 3, 31), "cumulative_containers", 3_000 / 1.02)])
    assert exact.loglik(exact.projected(flows, flows))[0] == pytest.approx(-0.5 * Z90**2)


def test_a_zero_projection_meets_an_upper_bound_but_not_about() -> None:
    none = np.zeros((SIX.months, 1))
    for claimant in ("", "A"):
        upper = Evidence.prepare(SIX, [Observation(date(2024, 2, 1), "cumulative_containers", 10, "up to", claimant)])
        assert upper.loglik(upper.projected(none, none))[0] == 0.0
        near = Evidence.prepare(SIX, [about(date(2024, 2, 1), 10, claimant)])
        assert near.loglik(near.projected(none, none))[0] == -math.inf


# -- where observations fall ------------------------------------------------------------------------


@pytest.mark.parametrize("metric", ["cumulative_containers", "cumulative_rounds"])
def test_projected_is_the_single_projections_figure_at_the_date(metric: str) -> None:
    scenario = baseline()
    frame = project(scenario)
    observations = [Observation(day, metric, 1.0) for day in (date(2023, 9, 1), date(2024, 2, 29), date(2026, 12, 31))]
    evidence = Evidence.prepare(scenario, observations)
    got = evidence.projected(frame["containers_shipped"].to_numpy(), frame["rounds_shipped"].to_numpy())
    want = [projected_at(frame, scenario, o).projected for o in evidence.observations]
    assert got.shape == (len(want), 1)
    assert got[:, 0] == pytest.approx(want)


def test_projected_reads_the_batch_engines_runs() -> None:
    scenario = baseline()
    rates = np.array([500.0, 1_000.0, 2_000.0])
    batch = project_batch(scenario, {"containers_per_month": rates})
    evidence = Evidence.prepare(scenario, read_observations())
    values = evidence.projected(batch["containers_shipped"].T, batch["rounds_shipped"].T)
    assert values.shape == (len(evidence), 3)
    for run, rate in enumerate(rates):
        single = scenario.with_value("containers_per_month", float(rate))
        want = [projected_at(project(single), single, o).projected for o in evidence.observations]
        assert values[:, run] == pytest.approx(want)


def test_a_period_count_subtracts_the_total_at_its_start() -> None:
    flows = np.arange(1.0, 7.0)[:, None] * 1_000  # 1,000 in January, 2,000 in February...
    period = Observation(date(2024, 4, 30), "cumulative_containers", 1, since=date(2024, 2, 15))
    evidence = Evidence.prepare(SIX, [period])
    # From 15 February (1,000 + 2,000 x 15/29 shipped) to the end of April (10,000).
    assert evidence.projected(flows, flows)[0, 0] == pytest.approx(10_000 - (1_000 + 2_000 * 15 / 29))
    # A period from before the start counts from the start: the model ships nothing before it.
    early = Evidence.prepare(SIX, [Observation(date(2024, 4, 30), "cumulative_containers", 1, since=date(2023, 8, 1))])
    assert early.projected(flows, flows)[0, 0] == pytest.approx(10_000)


def test_observations_outside_the_horizon_are_skipped_with_why() -> None:
    inside = lower(date(2024, 3, 1), 1)
    evidence = Evidence.prepare(SIX, [lower(date(2023, 12, 31), 1), inside, lower(date(2024, 7, 1), 1)])
    assert evidence.observations == (inside,)
    assert [why for _, why in evidence.skipped] == [
        "before the projection starts (2024-01)",
        "after the horizon ends (2024-06)",
    ]
    assert evidence.month.tolist() == [2]


def test_flows_may_stop_at_the_last_month_the_chosen_rows_need() -> None:
    evidence = Evidence.prepare(SIX, [lower(date(2024, 2, 10), 1), lower(date(2024, 5, 10), 1)])
    three = steady(4)[:3]
    assert evidence.projected(three, three, rows=[0]).shape == (1, 4)
    with pytest.raises(ValueError, match="cover 3 months; the observations need 5"):
        evidence.projected(three, three)


def test_rows_choose_observations_and_blocks_add_up() -> None:
    rng = np.random.default_rng(7)
    flows = rng.uniform(500, 1_500, size=(SIX.months, 500))
    observations = [about(d, 1_000 * (i + 1) * 0.4, "AB"[i % 2]) for i, d in enumerate(DAYS[::3])]
    evidence = Evidence.prepare(SIX, observations)
    values = evidence.projected(flows, flows)
    whole = evidence.scale_loglik(values)
    first, rest = evidence.scale_loglik(values, rows=[0, 1, 2]), evidence.scale_loglik(values[3:], rows=[3, 4, 5])
    for claimant in ("A", "B"):
        assert first[claimant] + rest[claimant] == pytest.approx(whole[claimant])
    assert evidence.loglik(values[[1, 4]], rows=[1, 4]) == pytest.approx(evidence.loglik(values, rows=[1, 4]))


# -- what the data say of a claimant's scale ---------------------------------------------------------


def test_a_claimant_who_reports_30_percent_high_is_found_out() -> None:
    truth = steady(1)
    where = Evidence.prepare(SIX, [lower(d, 0) for d in DAYS[3:]])
    counts = where.projected(truth, truth)[:, 0]
    evidence = Evidence.prepare(
        SIX, [about(d, 1.3 * n, "loud", tolerance=3) for d, n in zip(DAYS[3:], counts, strict=True)]
    )
    estimate = evidence.scale_posterior(evidence.projected(truth, truth))["loud"]
    assert estimate.p5 < 1.3 < estimate.p95
    assert estimate.mean == pytest.approx(1.3, rel=0.03)


def test_a_bound_that_says_little_leaves_the_prior() -> None:
    truth = steady(1)
    evidence = Evidence.prepare(SIX, [lower(date(2024, 3, 1), 1, "quiet")])
    estimate = evidence.scale_posterior(evidence.projected(truth, truth))["quiet"]
    # The prior: log s ~ N(0, 0.25), cut at 3 sd and laid on the grid.
    assert estimate.mean == pytest.approx(math.exp(SCALE_SD**2 / 2), rel=0.01)
    assert estimate.p5 == pytest.approx(math.exp(-Z90 * SCALE_SD), rel=0.04)
    assert estimate.p95 == pytest.approx(math.exp(Z90 * SCALE_SD), rel=0.04)


def test_the_scale_posterior_weighs_runs() -> None:
    # Two runs, one shipping twice the other; a claimant says "about 3,000" by the end of March.
    flows = np.array([[1_000.0, 2_000.0]] * SIX.months)
    evidence = Evidence.prepare(SIX, [about(date(2024, 3, 31), 3_000, "A", tolerance=5)])
    values = evidence.projected(flows, flows)
    slow_only = evidence.scale_posterior(values, weights=np.array([1.0, 0.0]))["A"]
    fast_only = evidence.scale_posterior(values, weights=np.array([0.0, 1.0]))["A"]
    assert slow_only.mean == pytest.approx(1.0, abs=0.05)
    assert fast_only.mean < 0.75  # the fast run needs a claimant who under-counts
    with pytest.raises(ValueError, match="weights"):
        evidence.scale_posterior(values, weights=np.array([1.0, -1.0]))


def test_a_claimant_no_scale_can_explain_is_left_out() -> None:
    truth = steady(1)
    evidence = Evidence.prepare(SIX, [lower(date(2024, 3, 31), 100_000, "wild"), lower(date(2024, 3, 31), 1, "calm")])
    assert set(evidence.scale_posterior(evidence.projected(truth, truth))) == {"calm"}


def test_the_grid_is_centred_on_scale_one() -> None:
    assert LOG_SCALES[SCALE_POINTS // 2] == 0.0
    assert LOG_SCALES[0] == pytest.approx(-3 * SCALE_SD)
    assert SCALE_PRIOR.sum() == pytest.approx(1.0)


# -- verdicts --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("observation", "projected", "consistent", "text"),
    [
        (
            Observation(date(2023, 10, 13), "cumulative_containers", 1_000, "more than"),
            1_561,
            True,
            "above the lower bound",
        ),
        (
            Observation(date(2023, 10, 13), "cumulative_containers", 1_000, "more than"),
            880,
            False,
            "12% below the lower bound",
        ),
        (
            Observation(date(2023, 10, 13), "cumulative_containers", 1_000, "at most"),
            1_080,
            False,
            "8% above the upper bound",
        ),
        (Observation(date(2023, 10, 13), "cumulative_containers", 1_000, "under"), 900, True, "below the upper bound"),
        (
            Observation(date(2023, 10, 13), "cumulative_containers", 1_000, "between", high=2_000),
            1_500,
            True,
            "within the range",
        ),
        (
            Observation(date(2023, 10, 13), "cumulative_containers", 1_000, "between", high=2_000),
            880,
            False,
            "12% below the range",
        ),
        (Observation(date(2023, 10, 13), "cumulative_containers", 1_000, "about"), 1_080, True, "+8%, within ±10%"),
        (Observation(date(2023, 10, 13), "cumulative_containers", 1_000, "about"), 1_250, False, "+25%, beyond ±10%"),
        (
            Observation(date(2023, 10, 13), "cumulative_containers", 1_000, "about", tolerance=30),
            1_250,
            True,
            "+25%, within ±30%",
        ),
        (Observation(date(2023, 10, 13), "cumulative_containers", 1_000), 1_030, False, "+3%, beyond ±2%"),
    ],
)
def test_a_verdict_reads_the_qualifier(observation: Observation, projected: float, consistent: bool, text: str) -> None:
    verdict = check(observation, projected)
    assert (verdict.consistent, verdict.text) == (consistent, text)
    assert (verdict.beyond == 0) == consistent


@pytest.mark.parametrize("claimant", ["", "A"])
def test_a_projection_exactly_at_a_bound_meets_it(claimant: str) -> None:
    flows = steady(1)
    at_most = Observation(date(2024, 3, 31), "cumulative_containers", 3_000, "at most", claimant)
    at_least = lower(date(2024, 3, 31), 3_000, claimant)
    for observation, allowed in ((at_least, SCALES >= 1), (at_most, SCALES <= 1)):
        evidence = Evidence.prepare(SIX, [observation])
        block = evidence.scale_loglik(evidence.projected(flows, flows))[claimant][0]
        assert np.array_equal(np.isfinite(block), allowed if claimant else np.ones(SCALE_POINTS, bool))


def test_many_runs_score_as_each_run_alone() -> None:
    rng = np.random.default_rng(3)
    flows = rng.uniform(0, 2_000, size=(SIX.months, 3_001))
    told = [
        about(date(2024, 2, 10), 1_500, "A"),
        lower(date(2024, 4, 1), 2_500, "A"),
        about(date(2024, 6, 1), 6_000, "B"),
    ]
    evidence = Evidence.prepare(SIX, told)
    values = evidence.projected(flows, flows)
    together = evidence.loglik(values)
    alone = [evidence.loglik(values[:, [run]])[0] for run in range(0, 3_001, 97)]
    assert together[::97] == pytest.approx(alone, rel=1e-12, abs=1e-12)
    assert np.isneginf(together).any() and np.isfinite(together).any()
