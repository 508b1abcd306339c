"""Public, dated figures (cumulative containers and rounds) to hold projections against."""

from __future__ import annotations

from datetime import date

import attrs

METRICS = ("cumulative_containers", "cumulative_rounds")


@attrs.frozen
class Observation:
    day: date
    metric: str
    value: float
    qualifier: str = ""
    claimant: str = ""
    reported_by: str = ""
    note: str = ""
