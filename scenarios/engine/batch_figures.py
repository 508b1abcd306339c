"""Key figures of every run of a batch at once, as arrays (one value per run).

The same figures as :mod:`ammoflow.scenarios.model.figures`, for thousands of runs: what Monte Carlo,
sensitivity, goal seeking and fitting compare. Months are given as an index into the
horizon (0 is the first month), with -1 where it never happens within the horizon.
"""

from __future__ import annotations

import numpy as np

from ammoflow.scenarios.engine.batch import Batch
from ammoflow.scenarios.model.figures import AHEAD_MONTHS, FIGURE_KEYS, MIN_SUPPLY, ROUND_TOLERANCE, as_of_offset

NEVER = -1


def first_month(condition: np.ndarray) -> np.ndarray:
    """Per run, the index of the first month where ``condition`` holds, or NEVER."""
    found = condition.any(axis=1)
    return np.where(found, condition.argmax(axis=1), NEVER)


def run_figures(batch: Batch, as_of: int | None = None) -> dict[str, np.ndarray]:
    """Every key figure for every run; month figures as indices (NEVER when not reached).

    ``as_of`` is the absolute month of the "as of" figures, as for ``key_figures`` (today's when None).
    """
    reserve = batch.parameter("nk_reserve")
    days = float(batch["days"][0].sum())
    supply = batch.total("ru_supply")
    arrivals = batch.total("ru_arrivals")
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(supply >= MIN_SUPPLY, arrivals / np.where(supply >= MIN_SUPPLY, supply, 1.0), np.nan)
    shortfall = batch["ru_shortfall"]
    figures = {
        "containers_shipped": batch.total("containers_shipped"),
        "rounds_shipped": batch.total("rounds_shipped"),
        "nk_reserve_month": first_month(batch["nk_stock"] <= reserve + ROUND_TOLERANCE),
        "first_shortfall_month": first_month(shortfall > ROUND_TOLERANCE),
        "total_shortfall": batch.total("ru_shortfall"),
        "average_fired_per_day": batch.total("ru_fired") / days,
        "nk_share_of_supply": share,
        "food_tonnes": batch.total("food_tonnes"),
        **as_of_figures(batch, as_of_offset(batch.scenario, as_of)),
    }
    assert tuple(figures) == FIGURE_KEYS
    return figures


def months_until(index: np.ndarray, horizon: int) -> np.ndarray:
    """A month figure as a number to compare: months from the start, the horizon when never reached.

    "Never within 48 months" then sorts after "in month 47", which is what a question
    like "how long does Russia's stock last?" needs.
    """
    return np.where(index == NEVER, horizon, index).astype(np.float64)


def as_of_figures(batch: Batch, at: int) -> dict[str, np.ndarray]:
    """The figures read at month index ``at`` of the horizon, per run (docs/model.md, "Key figures")."""
    fired = batch["ru_fired"][:, : at + 1].sum(axis=1)
    arrived = batch["ru_arrivals"][:, : at + 1].sum(axis=1)
    enough = fired >= MIN_SUPPLY
    with np.errstate(invalid="ignore", divide="ignore"):
        months_of_fire = np.where(enough, arrived / np.where(enough, fired, 1.0) * (at + 1), np.nan)
    return {
        "shortfall_next_12_months": batch["ru_shortfall"][:, at : at + AHEAD_MONTHS].sum(axis=1),
        "nk_stock_as_of": batch["nk_stock"][:, at].astype(np.float64),
        "ru_stock_as_of": batch["ru_stock"][:, at].astype(np.float64),
        "nk_months_of_fire": months_of_fire,
    }
