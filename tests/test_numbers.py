"""The one parser and formatter: each style as people read it, and byte for byte what it replaced.

The functions named ``_was_*`` are the copies the styles replaced, kept here verbatim as the
reference: the explorer's snapshots and the command line's output depend on every character.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ammoflow.scenarios.analysis.sensitivity import format_short_value
from ammoflow.scenarios.model.figures import BY_KEY, FIGURE_KEYS, format_figure
from ammoflow.scenarios.model.months import format_month
from ammoflow.scenarios.model.numbers import (
    format_compact,
    format_compact_figure,
    format_compact_table,
    format_count_range,
    format_number,
    format_share,
    format_typed,
)
from ammoflow.scenarios.model.registry import PARAMETERS
from ammoflow.scenarios.model.scenario import Scenario, baseline

_UNITS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def _was_human_number(value: float) -> str:
    """tui/widgets/chart.py's human_number, as it was."""
    if not math.isfinite(value):
        return ""
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    divisor, suffix = 1.0, ""
    for unit_divisor, unit_suffix in _UNITS:
        if magnitude >= unit_divisor * 0.9995:
            divisor, suffix = unit_divisor, unit_suffix
            break
    scaled = magnitude / divisor
    if suffix == "" and scaled < 1:
        text = f"{scaled:.3g}"
    else:
        decimals = 0 if scaled >= 99.95 else 1 if scaled >= 9.995 else 2
        text = f"{scaled:.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return f"{sign}{text}{suffix}"


def _was_short_value(figure_key: str, number: float, scenario: Scenario) -> str:
    """tui/panels/tornado.py's short_value, as it was."""
    if number is None or not math.isfinite(number):
        return "n/a"
    kind = BY_KEY[figure_key].kind
    if kind == "month":
        if number >= scenario.months:
            return "never"
        return format_month(scenario.start_index + int(number))
    if kind == "share":
        return f"{number * 100:.1f}%"
    return _was_human_number(number)


def _was_compact_number(value: float) -> str:
    """tui/panels/figures.py's _compact_number, as it was."""
    size = abs(value)
    if size >= 1e6:
        return f"{value / 1e6:.2f}M"
    if size >= 1e4:
        return f"{value / 1e3:.0f}k"
    return f"{value:,.0f}"


def _was_human(value: float) -> str:
    """tui/cli/main.py's human, as it was."""
    size = abs(value)
    if size < 10_000:
        return f"{value:,.0f}"
    if size < 1_000_000:
        return f"{value / 1_000:,.1f}k"
    return f"{value / 1_000_000:,.2f}M"


def _was_input_text(value: float, resolution: float, integer: bool) -> str:
    """The dialogs' _input_text / fitted_text and the search's input_text, as they were."""
    if integer:
        return format_number(round(value))
    digits = max(0, -math.floor(math.log10(resolution)))
    return format_number(round(value, digits))


# Every kind of float: ordinary sizes, the edges of each suffix, the huge and the tiny, signs.
ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True)
EDGES = st.sampled_from([0.0, -0.0, 0.5, 999.4, 999.5, 999.6, 9_995.0, 9_999.5, 99_950.0, 999_500.0, 999_999.5])
SIZED = st.builds(lambda m, e: m * 10.0**e, st.floats(-10, 10, allow_nan=False), st.integers(-6, 20))
NUMBERS = st.one_of(ANY_FLOAT, EDGES, SIZED)


@given(NUMBERS)
def test_compact_is_what_the_chart_ticks_showed(value: float) -> None:
    assert format_compact(value) == _was_human_number(value)


@given(st.sampled_from(FIGURE_KEYS), NUMBERS, st.integers(1, 240))
def test_a_short_figure_is_what_the_tornado_bars_showed(key: str, value: float, months: int) -> None:
    scenario = baseline().with_horizon(months=months)
    if BY_KEY[key].kind == "share" and math.isfinite(value) and abs(value) >= 1e13:
        # A share beyond 1e13 (1e15 %) cannot come from a projection; it is now in figures, not 16 digits.
        assert format_short_value(key, value, scenario) == format_share(value)
        return
    assert format_short_value(key, value, scenario) == _was_short_value(key, value, scenario)


@given(NUMBERS)
def test_a_compact_figure_is_what_the_figures_panel_showed(value: float) -> None:
    """The panel formatted the full figure, parsed it back and shortened it: now one step."""
    full = format_figure("total_shortfall", value, unit=False)
    assert format_compact_figure(value) == _was_compact_number(float(full.replace(",", "")))


@given(NUMBERS)
def test_a_table_number_is_what_the_command_line_printed(value: float) -> None:
    assert format_compact_table(value) == _was_human(value)


@given(st.sampled_from(PARAMETERS), st.floats(-1e9, 1e9, allow_nan=False))
def test_a_value_to_a_resolution_is_what_the_dialogs_showed(parameter: object, value: float) -> None:
    from ammoflow.scenarios.model.registry import Parameter

    assert isinstance(parameter, Parameter)
    for resolution in (parameter.step / 100, parameter.step / 4):
        want = _was_input_text(value, resolution, parameter.integer)
        assert format_typed(value, resolution, integer=parameter.integer) == want
        assert parameter.format(value, resolution=resolution) == f"{want} {parameter.unit}"


@pytest.mark.parametrize(
    ("value", "compact", "table", "figure"),
    [
        (0, "0", "0", "0"),
        (1_234, "1.23k", "1,234", "1,234"),
        (12_345, "12.3k", "12.3k", "12k"),
        (300_000, "300k", "300.0k", "300k"),
        (999_600, "1M", "999.6k", "1000k"),
        (1_500_000, "1.5M", "1.50M", "1.50M"),
        (-4_460_000, "-4.46M", "-4.46M", "-4.46M"),
        (2.5e12, "2.5T", "2,500,000.00M", "2500000.00M"),
        (0.25, "0.25", "0", "0"),
    ],
)
def test_the_compact_styles_side_by_side(value: float, compact: str, table: str, figure: str) -> None:
    assert (format_compact(value), format_compact_table(value), format_compact_figure(value)) == (
        compact,
        table,
        figure,
    )


def test_a_spread_of_counts_reads_at_three_significant_digits() -> None:
    """The bands' p5–p95 of a count: what the runs leave uncertain, not eight digits of it."""
    assert format_count_range(8_480_003.54, 18_426_531.39) == "8.48M–18.4M"
    assert format_count_range(23_792.8, 55_217.2) == "23.8k–55.2k"
    assert format_count_range(0.0, 3_140_258.8) == "0–3.14M"
    assert format_count_range(999_600, 1_004_000) == "1M–1M"  # rounding up takes the next unit
    assert format_count_range(0.4, 12.6) == "0–13"  # whole rounds first, as the figure shows them


@given(st.floats(0, 1e14), st.floats(0, 1e14))
def test_each_end_of_a_spread_is_its_count_to_three_digits(low: float, high: float) -> None:
    shown = format_count_range(low, high).split("–")
    for end, value in zip(shown, (low, high), strict=True):
        assert end == format_compact(float(round(value)))
        digits = end.rstrip("kMBT").replace(".", "").lstrip("0")
        assert len(digits) <= 3 or value >= 1e15
