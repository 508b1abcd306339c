"""The proposal the conditioned runs are drawn from: weighted by prior / proposal, its runs stand for the prior."""

from __future__ import annotations

import attrs
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ammoflow.scenarios.analysis import montecarlo
from ammoflow.scenarios.analysis.proposal import DEFENSIVE, INFORMED, Proposal, fit, proposed_keys
from ammoflow.scenarios.engine.batch import project_batch
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.scenario import Scenario, baseline


def with_prior(distribution: str, seed: int) -> Scenario:
    scenario = baseline()
    settings_ = attrs.evolve(scenario.uncertainty, distribution=distribution, seed=seed)
    return attrs.evolve(scenario, uncertainty=settings_)


def test_only_the_informed_parameters_change_what_north_korea_ships() -> None:
    # The proposal leaves every other parameter to the prior: that is exact only if the
    # shipments the observations count do not depend on them.
    scenario = baseline()
    values = montecarlo.draw(scenario, 300)
    base = project_batch(scenario, values, 300)
    for key in registry.KEYS:
        changed = dict(values, **{key: np.roll(values[key], 1)})
        batch = project_batch(scenario, changed, 300)
        differs = not all(np.array_equal(batch[c], base[c]) for c in ("containers_shipped", "rounds_shipped"))
        assert differs == (key in INFORMED), key


def prior_mean(scenario: Scenario, key: str) -> float:
    """The plain formulas: a triangular's mean is (low + mode + high) / 3, a uniform's (low + high) / 2."""
    low, high = montecarlo.drawn_range(scenario, key)
    if scenario.uncertainty.distribution == "uniform":
        return (low + high) / 2
    mode = min(max(float(scenario.values[key]), low), high)
    return (low + mode + high) / 3


@settings(max_examples=12, deadline=None)
@given(
    st.sampled_from(["triangular", "uniform"]),
    st.integers(0, 2**31 - 1),
    st.lists(st.floats(-2.5, 2.5), min_size=len(INFORMED), max_size=len(INFORMED)),
    st.floats(0.05, 3.0),
    st.floats(-0.1, 0.6),
)
def test_weighted_by_prior_over_proposal_the_runs_have_the_prior_means(
    distribution: str, seed: int, mean: list[float], spread: float, correlation: float
) -> None:
    scenario = with_prior(distribution, seed)
    dims = len(INFORMED)
    covariance = spread * ((1 - correlation) * np.eye(dims) + correlation * np.ones((dims, dims)))
    covariance += 1e-3 * np.eye(dims)
    proposal = Proposal(scenario, INFORMED, np.array(mean), covariance)
    runs = 200_000
    values, log_ratio = proposal.draw(runs)
    weights = np.exp(log_ratio)
    # E_q[p / q] = 1; the defensive share bounds every weight by 1 / DEFENSIVE (so the sd of the
    # mean is below 1 / (DEFENSIVE sqrt(runs)) = 0.015: 0.07 is more than 4 sd).
    assert weights.max() <= 1 / DEFENSIVE + 1e-9
    assert abs(weights.mean() - 1) < 0.07
    for key in INFORMED:
        low, high = montecarlo.drawn_range(scenario, key)
        assert np.all((values[key] >= low) & (values[key] <= high))
        found = float(np.sum(weights * values[key]) / np.sum(weights))
        assert abs(found - prior_mean(scenario, key)) < 0.07 * (high - low), key


def test_the_same_seed_and_round_give_the_same_runs_and_another_round_others() -> None:
    scenario = with_prior("triangular", 4)
    proposal = Proposal(scenario, INFORMED, np.full(len(INFORMED), 0.5), 0.3 * np.eye(len(INFORMED)))
    first, again, other = proposal.draw(1_000), proposal.draw(1_000), proposal.draw(1_000, round_number=1)
    for key in INFORMED:
        np.testing.assert_array_equal(first[0][key], again[0][key])
        assert not np.array_equal(first[0][key], other[0][key])
    np.testing.assert_array_equal(first[1], again[1])


def test_a_proposal_fitted_to_runs_centres_on_them() -> None:
    scenario = with_prior("triangular", 0)
    prior = montecarlo.draw(scenario, 4_000)
    # Keep the runs in the top fifth of each informed range: the proposal should sit there.
    kept = np.ones(4_000, dtype=bool)
    for key in INFORMED[:2]:
        low, high = montecarlo.drawn_range(scenario, key)
        kept &= prior[key] > low + 0.6 * (high - low)
    fitted = fit(scenario, prior, kept / kept.sum())
    assert fitted is not None
    values, _ = fitted.draw(20_000)
    for key in INFORMED[:2]:
        low, high = montecarlo.drawn_range(scenario, key)
        middle = float(np.median(values[key]))
        assert middle > low + 0.6 * (high - low) - 0.05 * (high - low), key
        assert abs(middle - float(np.median(prior[key][kept]))) < 0.1 * (high - low), key


def test_fixed_parameters_are_not_proposed_and_too_few_runs_fit_nothing() -> None:
    scenario = baseline()
    value = float(scenario.values["nk_reserve"])
    settings_ = attrs.evolve(scenario.uncertainty, ranges={"nk_reserve": (value, value)})
    fixed = attrs.evolve(scenario, uncertainty=settings_)
    assert "nk_reserve" not in proposed_keys(fixed) and len(proposed_keys(fixed)) == len(INFORMED) - 1
    prior = montecarlo.draw(scenario, 100)
    weights = np.zeros(100)
    weights[: len(INFORMED)] = 1 / len(INFORMED)  # as many runs of weight as parameters: no covariance
    assert fit(scenario, prior, weights) is None
