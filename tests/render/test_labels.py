"""Numbers in a few cells: axis ticks and the ends of tornado bars."""

from __future__ import annotations

import math

import pytest

from ammoflow.scenarios.analysis.sensitivity import format_short_value
from ammoflow.scenarios.model.numbers import format_compact
from ammoflow.scenarios.model.scenario import baseline


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (300_000, "300k"),
        (1_500_000, "1.5M"),
        (2_000_000, "2M"),
        (1_250_000, "1.25M"),
        (999, "999"),
        (999_999, "1M"),
        (12_500, "12.5k"),
        (-750_000, "-750k"),
        (3e9, "3B"),
        (0.25, "0.25"),
        (math.nan, ""),
    ],
)
def test_human_number(value: float, text: str) -> None:
    assert format_compact(value) == text


def test_short_value_reads_each_kind_of_figure() -> None:
    scenario = baseline()
    assert format_short_value("total_shortfall", 4_460_000, scenario) == "4.46M"
    assert format_short_value("nk_share_of_supply", 0.626, scenario) == "62.6%"
    assert format_short_value("first_shortfall_month", 2, scenario) == scenario.month_labels()[2]
    assert format_short_value("first_shortfall_month", scenario.months, scenario) == "never"
    assert format_short_value("total_shortfall", math.nan, scenario) == "n/a"
