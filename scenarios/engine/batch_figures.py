"""Key figures of every run of a batch at once, as arrays (one value per run).

The same figures as :mod:`ammoflow.scenarios.model.figures`, for thousands of runs: what Monte Carlo,
sensitivity, goal seeking and fitting compare. Months are given as an index into the
horizon (0 is the first month), with -1 where it never happens within the horizon.
"""

from __future__ import annotations

import numpy as np

from ammoflow.scenarios.engine.batch import Batch
from ammoflow.scenarios.model.figures import FIGURE_KEYS, MIN_SUPPLY, ROUND_TOLERANCE

NEVER = -1


def first_month(condition: np.ndarray) -> np.ndarray:
    """Per run, the index of the first month where ``condition`` holds, or NEVER."""
    found = condition.any(axis=1)
    return np.where(found, condition.argmax(axis=1), NEVER)


def run_figures(batch: Batch) -> dict[str, np.ndarray]:
    """Every key figure for every run; month figures as indices (NEVER when not reached)."""
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
    }
    assert tuple(figures) == FIGURE_KEYS
    return figures


def months_until(index: np.ndarray, horizon: int) -> np.ndarray:
    """A month figure as a number to compare: months from the start, the horizon when never reached.

    "Never within 48 months" then sorts after "in month 47", which is what a question
    like "how long does Russia's stock last?" needs.
    """
    return np.where(index == NEVER, horizon, index).astype(np.float64)
