"""The one registry of model parameters.

Sliders, scenario-file validation, the CLI's ``--set``, ``ammoflow params`` and the
README's parameter table are all generated from :data:`PARAMETERS`. A parameter is
added here and nowhere else.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator, Sequence

import attrs

from ammoflow.scenarios.model.numbers import format_number, format_typed, parse_value, round_to
from ammoflow.scenarios.model.text import excerpt

GROUPS: tuple[tuple[str, str], ...] = (
    ("production", "Production"),
    ("stockpiles", "Stockpiles"),
    ("shipping", "Shipping"),
    ("front", "Front line"),
    ("exchange", "Exchange"),
)


@attrs.frozen
class Parameter:
    """One model input: what it means, its unit and the ranges it may take."""

    key: str
    label: str
    unit: str
    default: float
    low: float
    high: float
    step: float
    coarse_step: float
    uncertainty: tuple[float, float]
    group: str
    description: str
    source: str
    integer: bool = False
    changes_over_time: bool = True
    # The default monthly volatility, in percent, of this parameter's drift (docs/model.md, Drift):
    # what ``drift = ["key"]`` in a scenario's [uncertainty] table means. 0: it cannot drift. Rates
    # drift; these do not: the starting stocks and the reserve (levels, not rates: a stock moves by
    # the flows the model works out, and a wandering reserve would conjure rounds out of nothing),
    # transit_months (a whole number of months, and a lag, not a pace), and the rounds a container
    # holds (fixed by the construction of the crates and the container, not by anyone's choices).
    drift: float = 0.0

    @property
    def can_drift(self) -> bool:
        """Whether Monte Carlo runs may let this parameter wander month to month."""
        return self.drift > 0

    def out_of_range(self, value: float) -> str | None:
        """Why ``value`` is not allowed for this parameter, or None when it is."""
        if not math.isfinite(value):
            return f"{self.key} must be a finite number, not {value}"
        if self.integer and value != int(value):
            return f"{self.key} must be a whole number of {self.unit}, not {format_number(value)}"
        if not self.low <= value <= self.high:
            return (
                f"{self.key} = {format_number(value)} is outside its range "
                f"{format_number(self.low)} to {format_number(self.high)} {self.unit}"
            )
        return None

    def parse(self, text: str) -> float:
        """A value typed by a person (see :func:`ammoflow.scenarios.model.numbers.parse_value`)."""
        return parse_value(text, self)

    @property
    def resolution(self) -> float:
        """The finest difference worth keeping in a value found by a search: a tenth of a slider step.

        A value that lands between slider points (a goal seek interpolates) is kept to this,
        not to the float's seventeen digits, which would claim a precision the model has not.
        """
        return self.step / 10

    def rounded(self, value: float) -> float:
        """``value`` to this parameter's :attr:`resolution` (whole when integer), within its range."""
        return min(max(round_to(value, self.resolution, integer=self.integer), self.low), self.high) + 0.0

    def format(self, value: float, resolution: float | None = None) -> str:
        """The value with its unit, as shown to a user; to ``resolution`` when given (a search's result)."""
        shown = format_number(value) if resolution is None else format_typed(value, resolution, integer=self.integer)
        return f"{shown} {self.unit_for(value)}"

    def unit_for(self, value: float) -> str:
        """The unit as it reads after ``value``: a count of months agrees with it (1 month, 2 months)."""
        return "month" if self.unit == "months" and abs(value) == 1 else self.unit


PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        key="nk_capacity_russia",
        label="Russia-order lines, full capacity",
        unit="rounds/month",
        default=150_000,
        low=0,
        high=1_000_000,
        step=5_000,
        coarse_step=50_000,
        uncertainty=(80_000, 300_000),
        group="production",
        description="What North Korea's factories working Russian orders make in a month at full capacity.",
        source="Expert estimate of about 2M rounds a year (JoongAng Daily, 2023-11-06; uncertain).",
        # Drift: Factories add or lose lines slowly: 3% a month is about 10% a year.
        drift=3,
    ),
    Parameter(
        key="nk_utilisation_russia",
        label="Russia-order lines, utilisation",
        unit="%",
        default=100,
        low=0,
        high=100,
        step=1,
        coarse_step=10,
        uncertainty=(70, 100),
        group="production",
        description="How hard the Russia-order lines run, as a share of full capacity.",
        source='Shin Won-sik, South Korean defence minister (seed article, Feb 2024): "operating at full capacity".',
        # Drift: Raw materials and power come and go: 3% a month, clipped at 100%.
        drift=3,
    ),
    Parameter(
        key="nk_capacity_other",
        label="Other-export lines, full capacity",
        unit="rounds/month",
        default=50_000,
        low=0,
        high=500_000,
        step=5_000,
        coarse_step=25_000,
        uncertainty=(20_000, 100_000),
        group="production",
        description="Full monthly capacity of the lines making rounds for buyers other than Russia (reported only).",
        source="Assumption.",
        # Drift: As the Russia-order lines.
        drift=3,
    ),
    Parameter(
        key="nk_utilisation_other",
        label="Other-export lines, utilisation",
        unit="%",
        default=30,
        low=0,
        high=100,
        step=1,
        coarse_step=10,
        uncertainty=(20, 50),
        group="production",
        description="How hard the other-export lines run, as a share of full capacity.",
        source="Shin (seed article): 30% for non-Russian exports, short of raw materials and electricity.",
        # Drift: As the Russia-order lines.
        drift=3,
    ),
    Parameter(
        key="nk_stock_initial",
        label="North Korean exportable stockpile at start",
        unit="rounds",
        default=6_000_000,
        low=0,
        high=50_000_000,
        step=100_000,
        coarse_step=1_000_000,
        uncertainty=(2_000_000, 15_000_000),
        group="stockpiles",
        description="Rounds North Korea holds that it could export, at the start of the projection.",
        source=(
            "Assumption: deliveries ran far above estimated production, so old stocks were drawn down; "
            "about half needed refurbishing (Ukrainian military intelligence, 2025-11)."
        ),
        changes_over_time=False,
    ),
    Parameter(
        key="nk_reserve",
        label="Reserve North Korea keeps back",
        unit="rounds",
        default=1_000_000,
        low=0,
        high=20_000_000,
        step=100_000,
        coarse_step=1_000_000,
        uncertainty=(500_000, 3_000_000),
        group="stockpiles",
        description="Rounds North Korea will not ship whatever Russia asks: shipping stops when the stock reaches it.",
        source="Assumption; South Korean defence intelligence: war stocks last 1-3 months (2024-10-23).",
    ),
    Parameter(
        key="ru_stock_initial",
        label="Russian stockpile at start",
        unit="rounds",
        default=4_000_000,
        low=0,
        high=50_000_000,
        step=100_000,
        coarse_step=1_000_000,
        uncertainty=(1_000_000, 15_000_000),
        group="stockpiles",
        description="Rounds in Russian stocks available to the front at the start of the projection.",
        source="Assumption.",
        changes_over_time=False,
    ),
    Parameter(
        key="containers_per_month",
        label="Shipment rate",
        unit="containers/month",
        default=1_100,
        low=0,
        high=5_000,
        step=10,
        coarse_step=100,
        uncertainty=(600, 1_500),
        group="shipping",
        description="Containers of munitions North Korea can send to Russia in a month, while it has rounds to spare.",
        source=(
            "6,700 containers by 2024-02-23 (Shin, seed article; counted from late Aug 2023) "
            "and 13,000 by 2024-08-27 (South Korean defence intelligence)."
        ),
        # Drift: The counts imply 1,050-1,100 a month through 2023-24, but the pace rests on trains and ships that can
        # be added or withdrawn within months: 5% a month is about 17% a year.
        drift=5,
    ),
    Parameter(
        key="shells_152_per_container",
        label="152 mm shells per container",
        unit="rounds/container",
        default=448,
        low=50,
        high=1_000,
        step=1,
        coarse_step=25,
        uncertainty=(300, 500),
        group="shipping",
        description="152 mm shells in a container that carries shells.",
        source="Seed article: 6,700 containers hold over 3 million 152 mm shells.",
    ),
    Parameter(
        key="rockets_122_per_container",
        label="122 mm rockets per container",
        unit="rounds/container",
        default=75,
        low=10,
        high=200,
        step=1,
        coarse_step=10,
        uncertainty=(60, 100),
        group="shipping",
        description="122 mm rockets in a container that carries rockets.",
        source="Seed article: or over half a million 122 mm rockets.",
    ),
    Parameter(
        key="share_122_containers",
        label="Share of containers carrying 122 mm rockets",
        unit="%",
        default=20,
        low=0,
        high=100,
        step=1,
        coarse_step=10,
        uncertainty=(0, 50),
        group="shipping",
        description="Of the containers shipped, the share loaded with 122 mm rockets rather than 152 mm shells.",
        source=(
            "Assumption; open-source modelling of mixed loads gives 266-367 rounds per container "
            "(Open Source Centre, 2025-04)."
        ),
        # Drift: The mix follows what the front asks for: 5% a month of its share.
        drift=5,
    ),
    Parameter(
        key="transit_months",
        label="Transit time to Russian stocks",
        unit="months",
        default=1,
        low=0,
        high=6,
        step=1,
        coarse_step=1,
        uncertainty=(0, 2),
        group="shipping",
        description="Whole months between a round leaving North Korea and reaching Russian stocks.",
        source="Assumption.",
        integer=True,
    ),
    Parameter(
        key="ru_production",
        label="Russian domestic production",
        unit="rounds/month",
        default=250_000,
        low=0,
        high=1_500_000,
        step=5_000,
        coarse_step=50_000,
        uncertainty=(150_000, 400_000),
        group="front",
        description="Rounds Russian industry delivers to its own stocks each month.",
        source="NATO estimate of about 3M a year (CNN, March 2024); Estonian intelligence: 4.5M in 2024.",
        # Drift: Output changes by plan and investment, slowly (estimates for 2024 run from 3M to 4.5M a year): 2% a
        # month is about 7% a year.
        drift=2,
    ),
    Parameter(
        key="ru_other_imports",
        label="Other imports (e.g. Iran)",
        unit="rounds/month",
        default=0,
        low=0,
        high=500_000,
        step=5_000,
        coarse_step=25_000,
        uncertainty=(0, 50_000),
        group="front",
        description="Rounds Russia receives each month from suppliers other than North Korea.",
        source="Assumption.",
        # Drift: Small, irregular deliveries: 5% a month.
        drift=5,
    ),
    Parameter(
        key="ru_fire_rate",
        label="Russian fire rate",
        unit="rounds/day",
        default=20_000,
        low=0,
        high=80_000,
        step=500,
        coarse_step=5_000,
        uncertainty=(10_000, 40_000),
        group="front",
        description="Rounds Russia wants to fire each day; what it cannot fire for lack of stock is the shortfall.",
        source=(
            "NATO: about 10,000 a day (March 2024); Ukraine's commander-in-chief: 20,000-45,000 a day "
            "(2023-2024); open-source count: about 22,700 a day, Aug 2023-Apr 2025."
        ),
        # Drift: The fire rises in offensives and falls in lulls; estimates run from 10,000 to 45,000 a day: 4% a month
        # is about 14% a year.
        drift=4,
    ),
    Parameter(
        key="return_containers_ratio",
        label="Containers sent back per container received",
        unit="ratio",
        default=1.3,
        low=0,
        high=3,
        step=0.05,
        coarse_step=0.25,
        uncertainty=(1.0, 1.5),
        group="exchange",
        description="Containers Russia sends to North Korea for each container of munitions it receives.",
        source="South Korean reporting: containers from Russia ran about 30% above North Korea's, mostly food.",
        # Drift: What Russia sends back is a matter of policy that shifts slowly: 3% a month.
        drift=3,
    ),
    Parameter(
        key="food_tonnes_per_container",
        label="Food per returned container",
        unit="tonnes",
        default=20,
        low=0,
        high=30,
        step=0.5,
        coarse_step=5,
        uncertainty=(15, 25),
        group="exchange",
        description="Tonnes of food in each container sent back to North Korea.",
        source="Assumption (a loaded 20-foot container).",
        # Drift: A container's load varies little: 2% a month.
        drift=2,
    ),
)

BY_KEY: dict[str, Parameter] = {p.key: p for p in PARAMETERS}
KEYS: tuple[str, ...] = tuple(BY_KEY)
DEFAULTS: dict[str, float] = {p.key: float(p.default) for p in PARAMETERS}


def parameter(key: str) -> Parameter:
    """The parameter called ``key``; a KeyError names the nearest known key."""
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(unknown_key_message("parameter", key, KEYS)) from None


def changeable() -> tuple[Parameter, ...]:
    """The parameters a change over time may set: starting stocks cannot change (docs/model.md)."""
    return tuple(p for p in PARAMETERS if p.changes_over_time)


def in_group(group: str) -> Iterator[Parameter]:
    """The parameters of one group, in registry order."""
    return (p for p in PARAMETERS if p.group == group)


def nearest(word: str, choices: Sequence[str]) -> str | None:
    """The known word closest to ``word``, if any is close enough to suggest."""
    if len(word) > 3 * max((len(c) for c in choices), default=0):
        return None  # nothing that long is a typo of a known word, and comparing it would be slow
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def unknown_key_message(what: str, key: str, choices: Sequence[str]) -> str:
    """'unknown parameter "x"' with a did-you-mean when a known key is close."""
    guess = nearest(key, choices)
    hint = f'; did you mean "{guess}"?' if guess else ""
    return f'unknown {what} "{excerpt(key, 60)}"{hint}'
