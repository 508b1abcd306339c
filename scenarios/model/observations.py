"""Public, dated figures (cumulative containers and rounds) to hold projections against.

A report rarely gives a count as a point: "more than 10,000 containers" is a lower bound,
"about 6,700" a figure with some tolerance, "between 4 and 5 million" a range. An
:class:`Observation` keeps the row as it was written and reads its qualifier as one of five
kinds, so a projection of 13,000 is *consistent* with "more than 10,000" rather than a 30%
miss. docs/model.md ("Observations") gives the meaning of each kind and the likelihood built
on it (``scenarios/analysis/likelihood.py``).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Literal

import attrs

from ammoflow.scenarios.model.numbers import format_percent
from ammoflow.scenarios.model.registry import unknown_key_message

METRICS = ("cumulative_containers", "cumulative_rounds")

Kind = Literal["lower", "upper", "about", "range", "exact"]
KINDS: tuple[Kind, ...] = ("lower", "upper", "about", "range", "exact")

# What each qualifier says, as written in reports (docs/model.md, "Observations").
QUALIFIERS: dict[str, Kind] = {
    "more than": "lower",
    "over": "lower",
    "above": "lower",
    "at least": "lower",
    "less than": "upper",
    "under": "upper",
    "below": "upper",
    "up to": "upper",
    "at most": "upper",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "between": "range",
    "": "exact",
    "exactly": "exact",
}

# Percent either side (on a log scale) that an "about" or an exact figure allows when its row
# gives none: reports round "about" figures to one or two significant digits, and even an
# exact count is a tally of containers seen from above (docs/model.md, "Observations").
DEFAULT_TOLERANCE: dict[Kind, float] = {"about": 10.0, "exact": 2.0}
MAX_TOLERANCE = 100.0


def normal_qualifier(text: str) -> str:
    """A qualifier as looked up: lower case, one space between words ("More  than" is "more than")."""
    return " ".join(text.lower().split())


def qualifier_kind(text: str) -> Kind | None:
    """The kind a qualifier names, or None when it is not one this model reads."""
    return QUALIFIERS.get(normal_qualifier(text))


@attrs.frozen
class Observation:
    """One dated figure as its row says it.

    ``value`` is the figure (the low end of a range, whose top is ``high``); with ``since`` it
    counts what was shipped from ``since`` to ``day``, otherwise everything up to ``day``.
    ``tolerance`` (percent) overrides the default of an "about" or an exact figure.
    The rules are checked here, so a program that builds observations meets them too; the
    CSV reader checks first, to say which line broke which rule.
    """

    day: date
    metric: str
    value: float
    qualifier: str = ""
    claimant: str = ""
    reported_by: str = ""
    note: str = ""
    high: float | None = None
    since: date | None = None
    tolerance: float | None = None

    def __attrs_post_init__(self) -> None:
        problem = self._problem()
        if problem:
            raise ValueError(problem)

    @classmethod
    def checked(
        cls,
        day: date,
        metric: str,
        value: float,
        qualifier: str = "",
        claimant: str = "",
        reported_by: str = "",
        note: str = "",
        *,
        high: float | None = None,
        since: date | None = None,
        tolerance: float | None = None,
    ) -> Observation | str:
        """The observation, or what is wrong with it (for readers that collect problems by line)."""
        try:
            return cls(day, metric, value, qualifier, claimant, reported_by, note, high, since, tolerance)
        except ValueError as exc:
            return str(exc)

    def _problem(self) -> str | None:
        """What is wrong with this observation, or None."""
        kind = qualifier_kind(self.qualifier)
        if kind is None:
            known = ", ".join(f'"{q}"' for q in QUALIFIERS if q)
            return (
                f"{unknown_key_message('qualifier', self.qualifier, list(QUALIFIERS))} (known: {known}; empty is exact)"
            )
        if self.metric not in METRICS:
            return f'metric "{self.metric}" is not one of {", ".join(METRICS)}'
        if not math.isfinite(self.value) or self.value < 0:
            return f"value {self.value} is not a count (0 or more)"
        if kind in ("about", "exact") and self.value <= 0:
            return f'"{self.qualifier or "exactly"}" needs a value above 0 (its tolerance is a percentage of it)'
        if kind == "upper" and self.value <= 0:
            return f'"{self.qualifier}" needs a value above 0: no count is below 0'
        if kind == "range":
            if self.high is None:
                return '"between" needs the top of the range in the column high'
            if not math.isfinite(self.high) or self.high < self.value:
                return f"high {self.high:g} is below value {self.value:g}; a range runs from value up to high"
            if self.high <= 0:
                return "a range needs a top (high) above 0"
        elif self.high is not None:
            return f'high is only for a range (qualifier "between"), not for "{self.qualifier}"'
        if self.tolerance is not None:
            if kind not in ("about", "exact"):
                what = "a range" if kind == "range" else "a bound"
                return f'tolerance is only for "about" or exact figures; "{self.qualifier}" is {what}'
            if not (0 < self.tolerance <= MAX_TOLERANCE):
                return f"tolerance {self.tolerance:g} is not a percentage above 0 and at most {MAX_TOLERANCE:g}"
        if self.since is not None and self.since >= self.day:
            return f"since {self.since.isoformat()} is not before the date {self.day.isoformat()}"
        return None

    @property
    def kind(self) -> Kind:
        kind = qualifier_kind(self.qualifier)
        assert kind is not None  # checked when the observation was made
        return kind

    @property
    def tolerance_used(self) -> float | None:
        """The tolerance in percent an "about" or exact figure allows (its own, or the default)."""
        default = DEFAULT_TOLERANCE.get(self.kind)
        if default is None:
            return None
        return self.tolerance if self.tolerance is not None else default

    def bounds(self) -> tuple[float, float]:
        """The values (as reported) this observation allows: (low, high), inclusive, possibly infinite."""
        kind = self.kind
        if kind == "lower":
            return self.value, math.inf
        if kind == "upper":
            return 0.0, self.value
        if kind == "range":
            assert self.high is not None
            return self.value, self.high
        factor = 1 + (self.tolerance_used or 0.0) / 100
        return self.value / factor, self.value * factor


@attrs.frozen
class Verdict:
    """Whether one projected value agrees with an observation, and a short text saying how.

    ``beyond`` is how far outside what the observation allows the value lies, as a share of
    the nearest edge (positive above, negative below; 0 when consistent).
    """

    consistent: bool
    text: str
    beyond: float = 0.0


def check(observation: Observation, projected: float) -> Verdict:
    """A projected value against what the observation says (docs/model.md, "Observations").

    Bounds and ranges read as bounds ("above the lower bound"), "about" and exact figures as
    a value with a tolerance ("+4%, within ±10%" / "+25%, beyond ±10%").
    """
    low, high = observation.bounds()
    kind = observation.kind
    if kind in ("about", "exact"):
        off = projected / observation.value - 1
        tolerance = observation.tolerance_used or 0.0
        inside = low <= projected <= high
        edge = low if projected < low else high
        return Verdict(
            inside,
            f"{format_percent(off, signed=True)}, {'within' if inside else 'beyond'} ±{tolerance:g}%",
            0.0 if inside else projected / edge - 1,
        )
    what = {"lower": "the lower bound", "upper": "the upper bound", "range": "the range"}[kind]
    if projected < low:
        share = projected / low - 1
        return Verdict(False, f"{format_percent(-share)} below {what}", share)
    if projected > high:  # high > 0: an upper bound or a range's top is above 0
        share = projected / high - 1
        return Verdict(False, f"{format_percent(share)} above {what}", share)
    met = {"lower": "above the lower bound", "upper": "below the upper bound", "range": "within the range"}
    return Verdict(True, met[kind])
