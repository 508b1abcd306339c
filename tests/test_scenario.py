"""Scenarios (immutable, validated, changes over time) and the parameter registry against docs/model.md."""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.months import format_month, parse_month
from ammoflow.scenarios.model.numbers import format_number, parse_count, parse_number
from ammoflow.scenarios.model.scenario import Change, Scenario, baseline

ScenarioStrategy = Callable[..., st.SearchStrategy[Scenario]]

# docs/model.md's parameter table, the contract: key, label, unit, default, slider range, uncertainty.
MODEL_TABLE = [
    (
        "nk_capacity_russia",
        "Russia-order lines, full capacity",
        "rounds/month",
        150_000,
        (0, 1_000_000),
        (80_000, 300_000),
    ),
    ("nk_utilisation_russia", "Russia-order lines, utilisation", "%", 100, (0, 100), (70, 100)),
    ("nk_capacity_other", "Other-export lines, full capacity", "rounds/month", 50_000, (0, 500_000), (20_000, 100_000)),
    ("nk_utilisation_other", "Other-export lines, utilisation", "%", 30, (0, 100), (20, 50)),
    (
        "nk_stock_initial",
        "North Korean exportable stockpile at start",
        "rounds",
        6_000_000,
        (0, 50_000_000),
        (2_000_000, 15_000_000),
    ),
    ("nk_reserve", "Reserve North Korea keeps back", "rounds", 1_000_000, (0, 20_000_000), (500_000, 3_000_000)),
    ("ru_stock_initial", "Russian stockpile at start", "rounds", 4_000_000, (0, 50_000_000), (1_000_000, 15_000_000)),
    ("containers_per_month", "Shipment rate", "containers/month", 1_100, (0, 5_000), (600, 1_500)),
    ("shells_152_per_container", "152 mm shells per container", "rounds/container", 448, (50, 1_000), (300, 500)),
    ("rockets_122_per_container", "122 mm rockets per container", "rounds/container", 75, (10, 200), (60, 100)),
    ("share_122_containers", "Share of containers carrying 122 mm rockets", "%", 20, (0, 100), (0, 50)),
    ("transit_months", "Transit time to Russian stocks", "months", 1, (0, 6), (0, 2)),
    ("ru_production", "Russian domestic production", "rounds/month", 250_000, (0, 1_500_000), (150_000, 400_000)),
    ("ru_other_imports", "Other imports (e.g. Iran)", "rounds/month", 0, (0, 500_000), (0, 50_000)),
    ("ru_fire_rate", "Russian fire rate", "rounds/day", 20_000, (0, 80_000), (10_000, 40_000)),
    ("return_containers_ratio", "Containers sent back per container received", "ratio", 1.3, (0, 3), (1.0, 1.5)),
    ("food_tonnes_per_container", "Food per returned container", "tonnes", 20, (0, 30), (15, 25)),
]
STARTING_STOCKS = {"nk_stock_initial", "ru_stock_initial"}


def problems_of(excinfo: pytest.ExceptionInfo[ScenarioError]) -> list[str]:
    return excinfo.value.lines()


# -- the registry is docs/model.md's table ----------------------------------------------------------


def test_registry_has_exactly_the_model_parameters_in_order() -> None:
    assert list(registry.KEYS) == [row[0] for row in MODEL_TABLE]


@pytest.mark.parametrize(("key", "label", "unit", "default", "slider", "uncertainty"), MODEL_TABLE, ids=lambda v: "")
def test_parameter_matches_the_model_table(
    key: str, label: str, unit: str, default: float, slider: tuple[float, float], uncertainty: tuple[float, float]
) -> None:
    p = registry.parameter(key)
    assert (p.label, p.unit, p.default, (p.low, p.high), tuple(p.uncertainty)) == (
        label,
        unit,
        default,
        slider,
        uncertainty,
    )
    assert registry.DEFAULTS[key] == default
    # The default is a plausible value: inside both ranges.
    assert p.low <= p.uncertainty[0] <= p.default <= p.uncertainty[1] <= p.high
    assert p.changes_over_time == (key not in STARTING_STOCKS)
    assert p.integer == (key == "transit_months")  # docs/model.md: "months (whole)"
    assert p.label and p.description and p.source
    assert p.group in dict(registry.GROUPS)


def test_unknown_parameter_names_the_nearest_key() -> None:
    with pytest.raises(KeyError, match='unknown parameter "ru_fire_rte"; did you mean "ru_fire_rate"'):
        registry.parameter("ru_fire_rte")
    with pytest.raises(KeyError) as excinfo:
        registry.parameter("zzzz")
    assert "did you mean" not in str(excinfo.value)


@pytest.mark.parametrize(
    ("key", "text", "value"),
    [
        ("containers_per_month", "1100", 1100),
        ("containers_per_month", "1,100", 1100),
        ("containers_per_month", "1_100", 1100),
        ("containers_per_month", "1.1k", 1100),
        ("containers_per_month", "1.1K", 1100),
        ("containers_per_month", " 1,100 ", 1100),
        ("containers_per_month", "1,100 containers/month", 1100),  # the unit written out
        ("nk_stock_initial", "2M", 2_000_000),
        ("nk_stock_initial", "2m", 2_000_000),
        ("nk_reserve", "2.5M", 2_500_000),
        ("nk_reserve", "1e6", 1_000_000),
        ("share_122_containers", "35%", 35),
        ("share_122_containers", "35", 35),
        ("share_122_containers", "35 %", 35),
        ("share_122_containers", "0%", 0),
        ("return_containers_ratio", "1.3", 1.3),
        ("ru_fire_rate", "80k", 80_000),  # the top of the range is allowed
        ("transit_months", "6", 6),
        ("transit_months", "2.0", 2),
        ("ru_fire_rate", "-0", 0),
        ("ru_fire_rate", "1e-999999999", 0),
    ],
)
def test_parse_accepts_what_people_type(key: str, text: str, value: float) -> None:
    assert registry.parameter(key).parse(text) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize(
    ("key", "text", "words"),
    [
        ("containers_per_month", "lots", '"lots" is not a number; type e.g. 1,100 or 1.1k'),
        ("containers_per_month", "", "Type a value for containers_per_month, e.g. 1,100 or 1.1k"),
        ("containers_per_month", "1.2.3", '"1.2.3" is not a number'),
        ("containers_per_month", "k", '"k" is not a number'),
        ("containers_per_month", "1 100", '"1 100" is not a number'),
        ("return_containers_ratio", "1,5", '"1,5": commas only group thousands (1,500); use a dot for decimals'),
        ("containers_per_month", "1__100", '"1__100": underscores may only separate digits, as in 1_100'),
        ("containers_per_month", "35%", "containers_per_month is in containers/month, not a percentage"),
        ("containers_per_month", "6k", "containers_per_month = 6,000 is outside its range 0 to 5,000 containers/month"),
        ("containers_per_month", "-1", "containers_per_month = -1 is outside its range 0 to 5,000 containers/month"),
        ("share_122_containers", "101%", "share_122_containers = 101 is outside its range 0 to 100 %"),
        ("shells_152_per_container", "49", "is outside its range 50 to 1,000 rounds/container"),
        ("ru_fire_rate", "nan", '"nan" is not a number'),
        ("ru_fire_rate", "inf", '"inf" is not a number'),
        ("ru_fire_rate", "1e400", "ru_fire_rate must be a finite number"),
        ("ru_fire_rate", "1e1000000", 'ru_fire_rate must be a finite number, not "1e1000000" (too large)'),
        ("ru_fire_rate", "1e999999999", 'not "1e999999999" (too large); type e.g. 20,000 or 20k'),
        ("ru_fire_rate", "1e999999999k", "(too large)"),
        ("ru_fire_rate", "1" + "0" * 400, "0000 (401 characters)"),
        ("ru_fire_rate", "9" * 5000 + "k", "(too large)"),
        ("ru_fire_rate", "1e308*10", '"1e308*10" is not a number'),
        ("ru_fire_rate", "Infinity", '"Infinity" is not a number'),
        ("ru_fire_rate", "\x1b]0;owned\x07", '"\\x1b]0;owned\\x07" is not a number'),
        ("transit_months", "1.5", "transit_months must be a whole number of months, not 1.5"),
        ("transit_months", "7", "transit_months = 7 is outside its range 0 to 6 months"),
    ],
)
def test_parse_rejects_with_a_readable_message(key: str, text: str, words: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        registry.parameter(key).parse(text)
    assert words in str(excinfo.value)


@pytest.mark.parametrize(("value", "shown"), [(1_500_000.0, "1,500,000"), (1.3, "1.3"), (0.0, "0"), (0.05, "0.05")])
def test_numbers_are_shown_with_thousands_and_no_needless_decimals(value: float, shown: str) -> None:
    assert format_number(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(float("inf"), "inf"), (float("-inf"), "-inf"), (float("nan"), "nan"), (1e300, "1e+300"), (-2.5e21, "-2.5e+21")],
)
def test_any_float_is_shown_on_one_short_line(value: float, shown: str) -> None:
    assert format_number(value) == shown


_TYPED = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"\A[ +-]?[0-9_,]{0,30}(\.[0-9]{0,20})?([eE][+-]?[0-9]{1,12})?[kKmMbB%]?\Z"),
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(_TYPED)
def test_whatever_is_typed_gives_a_number_or_one_clean_line(text: str) -> None:
    from ammoflow.scenarios.model.text import visible

    for parse in (
        lambda t: registry.parameter("ru_fire_rate").parse(t),
        parse_number,
        lambda t: parse_count(t, "runs", 1, 100_000),
        lambda t: parse_count(t, "the seed", 0),
    ):
        try:
            value = parse(text)
        except ValueError as exc:
            message = str(exc)
            assert message == visible(message) and len(message) < 200, message
        else:
            assert value == value and abs(value) <= 1.8e308  # a finite number, never NaN


@pytest.mark.parametrize("text", ["1e1000000", "1e999999999", "2e999999999M", "1" + "0" * 400])
def test_a_number_too_large_for_a_float_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="too large a number"):
        parse_number(text)


# -- scenarios are immutable and always valid ------------------------------------------------


def test_baseline_is_the_model_defaults_over_48_months_from_2023_09() -> None:
    scenario = baseline()
    assert (scenario.start, scenario.months, scenario.end) == ("2023-09", 48, "2027-08")
    assert dict(scenario.values) == {row[0]: row[3] for row in MODEL_TABLE}
    assert scenario.changes == ()


def test_a_scenario_cannot_be_changed_in_place() -> None:
    scenario = baseline()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        scenario.months = 12  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        scenario.name = "Mine"  # type: ignore[misc]
    with pytest.raises(TypeError):
        scenario.values["ru_fire_rate"] = 1.0  # type: ignore[index]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        Change("2024-01", "ru_fire_rate", 1).value = 2  # type: ignore[misc]
    assert scenario == baseline()


def test_with_value_makes_a_new_scenario_and_leaves_the_old_one() -> None:
    old = baseline()
    new = old.with_value("ru_fire_rate", 30_000)
    assert new.values["ru_fire_rate"] == 30_000
    assert old.values["ru_fire_rate"] == 20_000
    assert new != old
    assert new.changed_from(old) == ["ru_fire_rate"]
    assert new.with_value("ru_fire_rate", 20_000) == old


def test_values_left_out_take_their_defaults_and_integers_equal_floats() -> None:
    assert Scenario(values={"ru_fire_rate": 20_000}) == Scenario(values=registry.DEFAULTS) == Scenario()


def test_changes_are_kept_in_month_order_whatever_order_they_came_in() -> None:
    later, earlier = Change("2025-01", "ru_fire_rate", 1), Change("2024-01", "containers_per_month", 2)
    a = baseline().with_changes([later, earlier])
    b = baseline().with_changes([earlier, later])
    assert a == b
    assert a.changes == (earlier, later)


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("ru_fire_rate", 90_000, "ru_fire_rate = 90,000 is outside its range 0 to 80,000 rounds/day"),
        ("ru_fire_rate", -1, "ru_fire_rate = -1 is outside its range 0 to 80,000 rounds/day"),
        ("return_containers_ratio", 3.5, "return_containers_ratio = 3.5 is outside its range 0 to 3 ratio"),
        ("nk_stock_initial", 5e7 + 1, "nk_stock_initial = 50,000,001 is outside its range 0 to 50,000,000 rounds"),
        ("transit_months", 1.5, "transit_months must be a whole number of months, not 1.5"),
        ("ru_fire_rate", float("nan"), "ru_fire_rate must be a finite number, not nan"),
        ("ru_fire_rate", "many", "ru_fire_rate must be a number (rounds/day), not str 'many'"),
        ("ru_fire_rate", True, "ru_fire_rate must be a number (rounds/day), not bool True"),
        ("ru_fire_rte", 1, 'unknown parameter "ru_fire_rte"; did you mean "ru_fire_rate"?'),
    ],
)
def test_an_invalid_value_is_refused_with_range_and_unit(key: str, value: object, words: str) -> None:
    with pytest.raises(ScenarioError) as excinfo:
        baseline().with_value(key, value)  # type: ignore[arg-type]
    assert problems_of(excinfo) == [words]


def test_every_problem_is_reported_on_its_own_line() -> None:
    with pytest.raises(ScenarioError) as excinfo:
        Scenario(months=0, start="2023-13", values={"ru_fire_rate": -1, "transit_months": 9})
    lines = problems_of(excinfo)
    assert len(lines) == 4
    assert str(excinfo.value) == "\n".join(lines)
    assert any("months = 0 is outside its range 1 to 240 months" in line for line in lines)
    assert any('"2023-13" is not a month' in line for line in lines)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"months": 0}, "months = 0 is outside its range 1 to 240 months"),
        ({"months": 241}, "months = 241 is outside its range 1 to 240 months"),
        ({"months": 12.0}, "months must be a whole number from 1 to 240"),
        ({"months": True}, "months must be a whole number from 1 to 240"),
        ({"start": "2023-9"}, 'start: "2023-9" is not a month; write it as YYYY-MM'),
        ({"start": "2023-00"}, "the month must be 01 to 12"),
        ({"start": "1800-01"}, "the year must be 1900 to 2200"),
        ({"name": 5}, "name must be text"),
    ],
)
def test_invalid_horizon_or_fields_are_refused(fields: dict[str, object], words: str) -> None:
    with pytest.raises(ScenarioError) as excinfo:
        Scenario(**fields)  # type: ignore[arg-type]
    assert any(words in line for line in problems_of(excinfo)), problems_of(excinfo)


@pytest.mark.parametrize("key", sorted(STARTING_STOCKS))
def test_starting_stocks_cannot_change_over_time(key: str) -> None:
    with pytest.raises(ScenarioError) as excinfo:
        baseline().with_changes([Change("2024-01", key, 1_000_000)])
    assert problems_of(excinfo) == [f"change 1: {key} is a starting stock and cannot change over time"]


def test_only_parameters_that_may_change_over_time_are_changeable() -> None:
    assert [p.key for p in registry.changeable()] == [k for k in registry.KEYS if k not in STARTING_STOCKS]


def test_with_change_replaces_a_change_of_the_same_month_and_parameter() -> None:
    scenario = baseline().with_changes([Change("2025-01", "containers_per_month", 500)])
    merged = scenario.with_change(Change("2025-01", "containers_per_month", 700))
    assert merged.changes == (Change("2025-01", "containers_per_month", 700),)
    assert scenario.changes == (Change("2025-01", "containers_per_month", 500),)  # the old one is untouched
    both = merged.with_change(Change("2025-02", "containers_per_month", 800))
    assert both.changes == (
        Change("2025-01", "containers_per_month", 700),
        Change("2025-02", "containers_per_month", 800),
    )
    assert len(both.with_change(Change("2025-01", "ru_fire_rate", 30_000)).changes) == 3


def test_with_change_checks_the_change_like_any_other() -> None:
    with pytest.raises(ScenarioError) as excinfo:
        baseline().with_change(Change("2024-01", "nk_stock_initial", 1_000_000))
    assert problems_of(excinfo) == ["change 1: nk_stock_initial is a starting stock and cannot change over time"]


@pytest.mark.parametrize("month", ["2023-08", "2027-09", "2030-01"])
def test_changes_outside_the_horizon_are_refused(month: str) -> None:
    with pytest.raises(ScenarioError) as excinfo:
        baseline().with_changes([Change(month, "ru_fire_rate", 1)])
    assert problems_of(excinfo) == [
        f"change 1: month {month} is outside the horizon; changes may start 2023-09 to 2027-08"
    ]


@pytest.mark.parametrize("month", ["2023-09", "2027-08"])
def test_changes_at_the_first_and_last_month_are_allowed(month: str) -> None:
    scenario = baseline().with_changes([Change(month, "ru_fire_rate", 1)])
    assert scenario.series("ru_fire_rate")[-1] == 1


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            Change("2024-01", "ru_fire_rte", 1),
            'change 1: unknown parameter "ru_fire_rte"; did you mean "ru_fire_rate"?',
        ),
        (Change("2024-01", "ru_fire_rate", 1e6), "change 1: ru_fire_rate = 1,000,000 is outside its range"),
        (Change("2024-01", "transit_months", 2.5), "change 1: transit_months must be a whole number of months"),
        (Change("2024-1", "ru_fire_rate", 1), 'change 1: "2024-1" is not a month'),
    ],
)
def test_invalid_changes_are_refused(change: Change, words: str) -> None:
    with pytest.raises(ScenarioError) as excinfo:
        baseline().with_changes([change])
    assert any(line.startswith(words) for line in problems_of(excinfo)), problems_of(excinfo)


def test_two_changes_of_one_parameter_in_one_month_are_refused() -> None:
    with pytest.raises(ScenarioError, match="a second change of ru_fire_rate from 2024-01; keep one"):
        baseline().with_changes([Change("2024-01", "ru_fire_rate", 1), Change("2024-01", "ru_fire_rate", 2)])


def test_series_applies_changes_in_their_months() -> None:
    scenario = Scenario(start="2024-11", months=5).with_changes(
        [Change("2025-03", "ru_fire_rate", 40_000), Change("2024-12", "ru_fire_rate", 30_000)]
    )
    assert scenario.month_labels() == ["2024-11", "2024-12", "2025-01", "2025-02", "2025-03"]
    assert scenario.series("ru_fire_rate") == [20_000, 30_000, 30_000, 30_000, 40_000]
    assert scenario.series("containers_per_month") == [1_100] * 5


def test_with_horizon_folds_earlier_changes_and_drops_later_ones() -> None:
    scenario = baseline().with_changes(
        [
            Change("2024-01", "ru_fire_rate", 30_000),
            Change("2025-01", "ru_fire_rate", 40_000),
            Change("2025-06", "containers_per_month", 500),
            Change("2026-01", "containers_per_month", 300),
        ]
    )
    window = scenario.with_horizon(start="2025-03", months=6)  # to 2025-08
    assert (window.start, window.months, window.end) == ("2025-03", 6, "2025-08")
    assert window.values["ru_fire_rate"] == 40_000  # the latest change before the start wins
    assert window.changes == (Change("2025-06", "containers_per_month", 500),)
    assert window.series("containers_per_month") == [1_100, 1_100, 1_100, 500, 500, 500]

    shorter = scenario.with_horizon(months=12)  # 2023-09 to 2024-08
    assert shorter.changes == (Change("2024-01", "ru_fire_rate", 30_000),)
    assert shorter.values == scenario.values

    at_start = scenario.with_horizon(start="2024-01")  # a change in the first month becomes the start value
    assert at_start.values["ru_fire_rate"] == 30_000
    assert all(change.month > "2024-01" for change in at_start.changes)


@pytest.mark.parametrize(("start", "months"), [("2023-13", None), ("soon", None), (None, 0), (None, 241)])
def test_with_horizon_refuses_a_bad_window(start: str | None, months: int | None) -> None:
    with pytest.raises(ScenarioError):
        baseline().with_horizon(start, months)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_window_sees_the_same_assumptions_as_the_whole(
    data: st.DataObject, scenario_strategy: ScenarioStrategy
) -> None:
    """Narrowing the horizon never changes what is in force in a month both horizons share."""
    scenario = data.draw(scenario_strategy())
    first = data.draw(st.integers(0, scenario.months - 1))
    months = data.draw(st.integers(1, scenario.months - first))
    window = scenario.with_horizon(format_month(scenario.start_index + first), months)
    assert window.month_labels() == scenario.month_labels()[first : first + months]
    for key in registry.KEYS:
        # A phase-in cut by the new start goes on as a shorter one: the same line, to rounding.
        whole = scenario.series(key)[first : first + months]
        assert window.series(key) == pytest.approx(whole, rel=1e-12, abs=1e-9), key
    assert all(
        parse_month(window.start) < parse_month(change.month) <= parse_month(window.end) for change in window.changes
    )


@pytest.mark.parametrize(
    ("text", "low", "high", "expected"),
    [
        ("10k", 1, 100_000, 10_000),
        (" 10,000 ", 1, 100_000, 10_000),
        ("1_000", 1, 100_000, 1_000),
        ("100000", 1, 100_000, 100_000),
        ("0", 0, None, 0),
        ("18446744073709551617", 0, None, 18446744073709551617),  # exactly, beyond a float's digits
    ],
)
def test_parse_count_reads_whole_numbers_as_people_type_them(
    text: str, low: int, high: int | None, expected: int
) -> None:
    assert parse_count(text, "runs", low, high) == expected


@pytest.mark.parametrize(
    ("text", "high", "words"),
    [
        ("0", 100_000, "runs must be a whole number from 1 to 100,000"),
        ("100001", 100_000, "from 1 to 100,000"),
        ("2.5", 100_000, "whole number"),
        ("ten", 100_000, '"ten" is not a number'),
        ("", 100_000, "type runs"),
        ("1,00", 100_000, "commas only group thousands"),
        ("-3", None, "runs must be a whole number of 1 or more"),
        ("1e1000000", 100_000, '"1e1000000" is too large a number'),
        ("1e999999999k", None, "too large"),
        ("9" * 400, None, "too large"),
        ("1e-999999999", None, "whole number"),
        ("inf", 100_000, '"inf" is not a number'),
    ],
)
def test_parse_count_says_what_is_wrong(text: str, high: int | None, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_count(text, "runs", 1, high)


# -- drift (docs/model.md, Drift) -----------------------------------------------------------------


def with_drift(drift: object) -> Scenario:
    return attrs.evolve(baseline(), uncertainty=attrs.evolve(baseline().uncertainty, drift=drift))


def test_only_rates_can_drift_and_each_has_a_default_volatility() -> None:
    fixed = {"nk_stock_initial", "nk_reserve", "ru_stock_initial", "transit_months"}
    fixed |= {"shells_152_per_container", "rockets_122_per_container"}
    assert {p.key for p in registry.PARAMETERS if not p.can_drift} == fixed
    assert all(0 < p.drift <= 10 for p in registry.PARAMETERS if p.can_drift)


def test_a_list_of_keys_takes_the_defaults_and_a_table_its_own_numbers() -> None:
    assert with_drift(["ru_fire_rate", "containers_per_month"]).uncertainty.volatilities() == {
        "containers_per_month": 5.0,
        "ru_fire_rate": 4.0,
    }
    assert with_drift({"ru_fire_rate": 2.5}).uncertainty.volatilities() == {"ru_fire_rate": 2.5}
    # Given together, a key without a number has its default written out: equal settings compare equal.
    assert with_drift({"ru_fire_rate": 2.5, "ru_production": None}) == with_drift(
        {"ru_fire_rate": 2.5, "ru_production": 2}
    )


@pytest.mark.parametrize(
    ("drift", "message"),
    [
        ({"ru_fire_rat": 3}, 'unknown parameter "ru_fire_rat"; did you mean "ru_fire_rate"?'),
        (["ru_stock_initial"], "ru_stock_initial cannot drift: it is a starting stock"),
        (["nk_reserve"], "nk_reserve cannot drift: it is a level, not a rate"),
        ({"transit_months": 3}, "transit_months cannot drift: it is a whole number"),
        (
            ["shells_152_per_container"],
            "shells_152_per_container cannot drift: it is fixed by how a container is packed",
        ),
        ({"ru_fire_rate": 0}, "the drift of ru_fire_rate = 0% a month is outside its range: more than 0, at most 50"),
        ({"ru_fire_rate": 50.5}, "the drift of ru_fire_rate = 50.5% a month is outside its range"),
        ({"ru_fire_rate": -3}, "the drift of ru_fire_rate = -3% a month is outside its range"),
        ({"ru_fire_rate": "fast"}, "the drift of ru_fire_rate must be a number of percent a month, not 'fast'"),
        ({"ru_fire_rate": float("nan")}, "the drift of ru_fire_rate must be a number of percent a month"),
    ],
)
def test_drift_that_cannot_be_is_refused_with_its_reason(drift: object, message: str) -> None:
    with pytest.raises(ScenarioError) as excinfo:
        with_drift(drift)
    assert any(line.startswith(message) for line in problems_of(excinfo)), problems_of(excinfo)


def test_the_largest_drift_is_allowed() -> None:
    assert with_drift({"ru_fire_rate": 50}).uncertainty.volatilities() == {"ru_fire_rate": 50.0}
