"""Where the conditioned runs draw their starting values: a proposal fitted to a pilot pass.

docs/model.md ("Conditioning") gives the method. Drawn from the prior, only a few runs in a
hundred explain the shipped observations, so reaching enough effective runs takes many times
the runs asked. Adaptive importance sampling draws them where the observations point instead,
and weighs each run by prior density / proposal density, so the weighted runs still stand for
the prior times the likelihood, exactly:

- Only :data:`INFORMED` parameters (those North Korea's shipments depend on) are proposed; the
  others are drawn from the prior as before: the likelihood does not depend on them, so their
  prior / proposal ratio is 1 and they factor out.
- Each informed parameter's value v maps to the real line through its prior quantile:
  x = logit(F(v)), F the triangular or uniform CDF :func:`montecarlo.draw` draws from. Under
  the prior each x is standard logistic, independently, so a parameter the observations say
  little about keeps a proposal close to its prior, whatever the prior's shape.
- The proposal is a multivariate normal in x, its mean and covariance those of the pilot's
  runs, the covariance inflated by :data:`INFLATION`, mixed with a share :data:`DEFENSIVE` of
  the prior itself (a defensive mixture: the proposal's tails are never thinner than the
  prior's, so a run's weight is at most 1 / :data:`DEFENSIVE` times the prior's).
- Both densities are taken in x (the Jacobian is common to both and cancels): the prior's is
  the product of standard logistic densities, so a run's weight is
  prod logistic(x_i) / (DEFENSIVE prod logistic(x_i) + (1 - DEFENSIVE) normal(x)).
  With Latin hypercube sampling the prior is taken as the same product of marginals (the
  prior's share of the mixture is drawn at random, unstratified).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import attrs
import numpy as np

from ammoflow.scenarios.analysis import montecarlo
from ammoflow.scenarios.model.scenario import Scenario

# The parameters North Korea's monthly containers and rounds shipped depend on (docs/model.md,
# Conditioning): the only ones the observations can inform. The others are Russia's side, the
# production for North Korea's other buyers and the transit time (which moves arrivals, not
# shipments). tests/test_proposal.py checks that no other parameter changes the shipments.
INFORMED: tuple[str, ...] = (
    "nk_capacity_russia",
    "nk_utilisation_russia",
    "nk_stock_initial",
    "nk_reserve",
    "containers_per_month",
    "shells_152_per_container",
    "rockets_122_per_container",
    "share_122_containers",
)
DEFENSIVE = 0.15  # the prior's share of the proposal
INFLATION = 1.5  # the pilot's covariance is multiplied by this: a wider proposal misses less
RIDGE = 1e-6  # added to the covariance's diagonal, so a pilot with few distinct runs still fits
_EDGE = 1e-12  # quantiles kept this far inside (0, 1), so logit stays finite at a range's ends
_PROPOSAL_STREAM = 0x9209  # the proposal's own stream, spawned from the scenario's seed


@attrs.frozen(eq=False)
class Proposal:
    """A defensive mixture: the prior with weight :data:`DEFENSIVE`, else a normal in logit-quantile space.

    ``keys``: the proposed parameters; ``mean`` and ``covariance``: the normal's, in x = logit(F(v)).
    """

    scenario: Scenario
    keys: tuple[str, ...]
    mean: np.ndarray
    covariance: np.ndarray

    def draw(self, runs: int, round_number: int = 0) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """``runs`` starting values for the proposed keys, and each run's log(prior / proposal density).

        Reproducible: the same scenario seed and ``round_number`` give the same runs.
        """
        rng = np.random.default_rng([self.scenario.uncertainty.seed, _PROPOSAL_STREAM, round_number])
        from_prior = rng.random(runs) < DEFENSIVE
        chol = np.linalg.cholesky(self.covariance)
        z = rng.standard_normal((runs, len(self.keys)))
        x = self.mean + z @ chol.T
        u = np.clip(rng.random((runs, len(self.keys))), _EDGE, 1 - _EDGE)
        x[from_prior] = (np.log(u) - np.log1p(-u))[from_prior]
        log_prior = log_logistic(x).sum(axis=1)
        log_normal = normal_logpdf(x, self.mean, chol)
        log_q = np.logaddexp(math.log(DEFENSIVE) + log_prior, math.log1p(-DEFENSIVE) + log_normal)
        quantile = 1.0 / (1.0 + np.exp(-x))
        values = {key: quantile_value(self.scenario, key, quantile[:, column]) for column, key in enumerate(self.keys)}
        return values, log_prior - log_q


def log_logistic(x: np.ndarray) -> np.ndarray:
    """The standard logistic log-density, -x - 2 log(1 + e^-x), written to stay finite at any x."""
    result: np.ndarray = -np.abs(x) - 2.0 * np.log1p(np.exp(-np.abs(x)))
    return result


def normal_logpdf(x: np.ndarray, mean: np.ndarray, chol: np.ndarray) -> np.ndarray:
    """The multivariate normal log-density at each row of ``x``, the covariance given by its Cholesky factor."""
    z = np.linalg.solve(chol, (x - mean).T)
    log_det = 2.0 * float(np.sum(np.log(np.diag(chol))))
    result: np.ndarray = -0.5 * np.sum(z * z, axis=0) - 0.5 * (len(mean) * math.log(2 * math.pi) + log_det)
    return result


def proposed_keys(scenario: Scenario) -> tuple[str, ...]:
    """The informed parameters the scenario leaves uncertain (a range of one point is no choice)."""
    out = []
    for key in INFORMED:
        low, high = montecarlo.drawn_range(scenario, key)
        if high > low:
            out.append(key)
    return tuple(out)


def fit(scenario: Scenario, values: Mapping[str, np.ndarray], weights: np.ndarray) -> Proposal | None:
    """The proposal fitted to a pilot's runs (``values`` per key, normalised ``weights``).

    None when there is nothing to propose, or the pilot's runs are too few to say where to
    look (no more runs of weight than parameters): the prior is then the proposal, as it was
    before proposals existed.
    """
    keys = proposed_keys(scenario)
    live = weights > 0
    if not keys or np.count_nonzero(live) <= len(keys):
        return None
    u = np.column_stack([prior_quantile(scenario, key, values[key][live]) for key in keys])
    u = np.clip(u, _EDGE, 1 - _EDGE)
    x = np.log(u) - np.log1p(-u)
    w = weights[live] / weights[live].sum()
    mean = w @ x
    centred = x - mean
    covariance = (centred * w[:, None]).T @ centred / max(1.0 - float(w @ w), 1e-12)
    covariance = INFLATION * covariance + RIDGE * np.eye(len(keys))
    return Proposal(scenario, keys, mean, covariance)


def prior_quantile(scenario: Scenario, key: str, values: np.ndarray) -> np.ndarray:
    """F(v): the share of the prior of ``key`` at or below each value."""
    low, high = montecarlo.drawn_range(scenario, key)
    if scenario.uncertainty.distribution == "uniform":
        result: np.ndarray = np.clip((values - low) / (high - low), 0.0, 1.0)
        return result
    mode = min(max(float(scenario.values[key]), low), high)
    return montecarlo.triangular_cdf(values, low, mode, high)


def quantile_value(scenario: Scenario, key: str, quantile: np.ndarray) -> np.ndarray:
    """F^-1(u): the value of ``key`` at prior quantiles ``quantile``, clipped as :func:`montecarlo.draw` clips."""
    low, high = montecarlo.drawn_range(scenario, key)
    if scenario.uncertainty.distribution == "uniform":
        values = montecarlo.uniform_inverse_cdf(quantile, low, high)
    else:
        mode = min(max(float(scenario.values[key]), low), high)
        values = montecarlo.triangular_inverse_cdf(quantile, low, mode, high)
    result: np.ndarray = np.clip(values, low, high)
    return result
