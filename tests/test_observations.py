"""Observations as what they say: qualifiers as bounds, ranges and tolerances, and the CSV that holds them."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.files.observation_csv import read_observations
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.observations import QUALIFIERS, Observation, check
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.panels.chart_tabs import BY_ID, chart_data
from ammoflow.tui.render.chart_layout import chart_rows
from ammoflow.tui.render.plotext_canvas import Canvas

DAY = date(2024, 2, 23)
HEADER = "date,metric,value,qualifier,claimant,reported_by,note,high,since,tolerance\n"


def containers(
    value: float,
    qualifier: str = "",
    *,
    high: float | None = None,
    since: date | None = None,
    tolerance: float | None = None,
) -> Observation:
    return Observation(DAY, "cumulative_containers", value, qualifier, high=high, since=since, tolerance=tolerance)


def read(tmp_path: Path, *rows: str, header: str = HEADER) -> tuple[Observation, ...]:
    path = tmp_path / "observations.csv"
    path.write_text(header + "".join(row + "\n" for row in rows), encoding="utf-8")
    return read_observations(path)


def problems(tmp_path: Path, *rows: str, header: str = HEADER) -> list[str]:
    with pytest.raises(ScenarioError) as excinfo:
        read(tmp_path, *rows, header=header)
    path = tmp_path / "observations.csv"
    return [line.removeprefix(f"{path}:") for line in excinfo.value.lines()]


# -- what a qualifier says ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qualifier", "kind"),
    [
        *[(word, "lower") for word in ("more than", "over", "above", "at least")],
        *[(word, "upper") for word in ("less than", "under", "below", "up to", "at most")],
        *[(word, "about") for word in ("about", "around", "approximately", "roughly")],
        ("", "exact"),
        ("exactly", "exact"),
        ("More  Than", "lower"),
        ("  ABOUT ", "about"),
    ],
)
def test_each_qualifier_reads_as_its_kind(qualifier: str, kind: str) -> None:
    assert containers(1_000, qualifier).kind == kind


def test_a_range_runs_from_value_to_high() -> None:
    observation = containers(4_000, "between", high=5_000)
    assert (observation.kind, observation.bounds()) == ("range", (4_000, 5_000))


def test_about_and_exact_take_their_default_tolerance_unless_the_row_gives_one() -> None:
    assert containers(1_000, "about").tolerance_used == 10
    assert containers(1_000).tolerance_used == 2
    assert containers(1_000, "roughly", tolerance=25).bounds() == pytest.approx((800, 1_250))
    assert containers(1_000, "more than").tolerance_used is None


# A plain reference for "does y meet what the row says" (docs/model.md, "Observations").
def meets(kind: str, value: float, high: float | None, tolerance: float, y: float) -> bool:
    if kind == "lower":
        return y >= value
    if kind == "upper":
        return y <= value
    if kind == "range":
        assert high is not None
        return value <= y <= high
    return value / (1 + tolerance / 100) <= y <= value * (1 + tolerance / 100)


@given(
    qualifier=st.sampled_from(sorted(QUALIFIERS)),
    value=st.floats(1, 1e7),
    spread=st.floats(1, 3),
    tolerance=st.floats(0.5, 100),
    y=st.floats(0, 3e7),
)
def test_a_verdict_is_consistent_exactly_when_the_value_meets_the_row(
    qualifier: str, value: float, spread: float, tolerance: float, y: float
) -> None:
    kind = QUALIFIERS[qualifier]
    high = value * spread if kind == "range" else None
    own = tolerance if kind in ("about", "exact") else None
    observation = containers(value, qualifier, high=high, tolerance=own)
    verdict = check(observation, y)
    assert verdict.consistent == meets(kind, value, high, tolerance, y)
    assert (verdict.beyond == 0) == verdict.consistent
    assert (verdict.beyond > 0) == (not verdict.consistent and y > value)


def test_a_projection_above_a_lower_bound_is_consistent_not_a_miss() -> None:
    verdict = check(Observation(date(2023, 10, 13), "cumulative_containers", 1_000, "more than"), 1_561)
    assert (verdict.consistent, verdict.text) == (True, "above the lower bound")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: containers(1, "mor than"), 'unknown qualifier "mor than"; did you mean "more than"?'),
        (lambda: containers(1, "between"), '"between" needs the top of the range in the column high'),
        (lambda: containers(5, "between", high=4), "high 4 is below value 5; a range runs from value up to high"),
        (lambda: containers(5, "about", high=6), 'high is only for a range (qualifier "between"), not for "about"'),
        (lambda: containers(0, "between", high=0), "a range needs a top (high) above 0"),
        (lambda: containers(1, "between", high=2, tolerance=5), '"between" is a range'),
        (lambda: containers(5, "about", tolerance=0), "tolerance 0 is not a percentage above 0 and at most 100"),
        (lambda: containers(5, "about", tolerance=101), "tolerance 101 is not a percentage above 0 and at most 100"),
        (
            lambda: containers(5, "over", tolerance=5),
            'tolerance is only for "about" or exact figures; "over" is a bound',
        ),
        (lambda: containers(0, "about"), '"about" needs a value above 0 (its tolerance is a percentage of it)'),
        (lambda: containers(0, "up to"), '"up to" needs a value above 0: no count is below 0'),
        (lambda: containers(5, since=DAY), "since 2024-02-23 is not before the date 2024-02-23"),
        (lambda: Observation(DAY, "containers", 5), 'metric "containers" is not one of'),
    ],
)
def test_an_observation_that_breaks_a_rule_says_which(build: Callable[[], Observation], message: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        build()
    assert message in str(excinfo.value)


# -- the CSV -------------------------------------------------------------------------------------------


def test_the_optional_columns_are_read(tmp_path: Path) -> None:
    ranged, period, rough = read(
        tmp_path,
        "2024-02-23,cumulative_rounds,4000000,between,Me,,,5000000,,",
        "2024-03-01,cumulative_containers,3000,about,Me,,,,2024-01-01,15%",
        "2024-04-01,cumulative_containers,9000,Roughly,,,,,,25",
    )
    assert (ranged.kind, ranged.value, ranged.high) == ("range", 4_000_000, 5_000_000)
    assert (period.since, period.tolerance, period.tolerance_used) == (date(2024, 1, 1), 15, 15)
    assert (rough.kind, rough.tolerance, rough.since, rough.high) == ("about", 25, None, None)


def test_a_file_without_the_optional_columns_still_reads(tmp_path: Path) -> None:
    (only,) = read(tmp_path, "2024-02-23,cumulative_containers,6700,about", header="date,metric,value,qualifier\n")
    assert (only.kind, only.high, only.since, only.tolerance) == ("about", None, None, None)


def test_rows_that_break_the_rules_are_reported_with_their_lines(tmp_path: Path) -> None:
    assert problems(
        tmp_path,
        "2024-02-23,cumulative_containers,6700,abuot,,,,,,",
        "2024-02-23,cumulative_containers,6700,between,,,,,,",
        "2024-02-23,cumulative_containers,6700,between,,,,6000,,",
        "2024-02-23,cumulative_containers,6700,about,,,,,2024-03-01,",
        "2024-02-23,cumulative_containers,6700,about,,,,,1 March,",
        "2024-02-23,cumulative_containers,6700,about,,,,,,ten",
        "2024-02-23,cumulative_containers,6700,about,,,,,,0%",
        "2024-02-23,cumulative_containers,6700,more than,,,,,,5",
        "2024-02-23,cumulative_containers,6700,between,,,,lots,,",
        "2024-02-23,cumulative_containers,6700,about,,,,,,",
    ) == [
        '2: unknown qualifier "abuot"; did you mean "about"? (known: "more than", "over", "above", "at least",'
        ' "less than", "under", "below", "up to", "at most", "about", "around", "approximately", "roughly",'
        ' "between", "exactly"; empty is exact)',
        '3: "between" needs the top of the range in the column high',
        "4: high 6000 is below value 6700; a range runs from value up to high",
        "5: since 2024-03-01 is not before the date 2024-02-23",
        '6: since "1 March" is not a date (YYYY-MM-DD)',
        '7: tolerance "ten" is not a number',
        "8: tolerance 0 is not a percentage above 0 and at most 100",
        '9: tolerance is only for "about" or exact figures; "more than" is a bound',
        '10: high "lots" is not a number',
    ]


def test_the_shipped_file_reads_its_qualifiers_as_bounds_and_tolerances() -> None:
    observations = read_observations()
    kinds = {(o.day.isoformat(), o.metric): o.kind for o in observations}
    assert kinds[("2023-10-13", "cumulative_containers")] == "lower"
    assert kinds[("2024-02-23", "cumulative_containers")] == "about"
    assert kinds[("2024-06-14", "cumulative_containers")] == "lower"  # "at least"
    assert all(o.high is None and o.since is None and o.tolerance is None for o in observations)
    assert all(math.isfinite(o.value) for o in observations)


# -- on the chart ----------------------------------------------------------------------------------


def markers_of(observations: list[Observation], tab: str = "containers") -> dict[str, list[tuple[float, float]]]:
    scenario = Scenario(start="2024-01", months=6, values={"containers_per_month": 1_000})
    data = chart_data(BY_ID[tab], scenario, project(scenario), observations=observations)
    return {f"{s.glyph} {s.label}": list(zip(s.x or (), s.y, strict=True)) for s in data.series if s.kind == "markers"}


def test_markers_show_what_an_observation_claims_and_whether_the_projection_meets_it() -> None:
    # 1,000 containers a month: 2,000 by the end of February, 3,000 by the end of March.
    end_feb, end_mar = date(2024, 2, 29), date(2024, 3, 31)
    shown = markers_of(
        [
            Observation(end_feb, "cumulative_containers", 1_500, "more than"),
            Observation(end_mar, "cumulative_containers", 3_500, "at least"),
            Observation(end_feb, "cumulative_containers", 2_500, "at most"),
            Observation(end_mar, "cumulative_containers", 2_000, "under"),
            Observation(end_feb, "cumulative_containers", 2_100, "about"),
            Observation(end_mar, "cumulative_containers", 5_000, "about"),
        ]
    )
    assert shown == {
        "▲ lower bound": [(1.0, 1_500)],
        "△ lower bound, missed": [(2.0, 3_500)],
        "▼ upper bound": [(1.0, 2_500)],
        "▽ upper bound, missed": [(2.0, 2_000)],
        "◆ observed": [(1.0, 2_100)],
        "◇ observed, missed": [(2.0, 5_000)],
    }


def test_a_range_is_drawn_as_its_two_ends_and_a_period_on_top_of_its_start() -> None:
    ranged = Observation(date(2024, 2, 29), "cumulative_containers", 1_000, "between", high=1_800)
    period = Observation(date(2024, 3, 31), "cumulative_containers", 2_000, "about", since=date(2024, 1, 31))
    # The range's top (1,800) is below the 2,000 projected: that end is missed. The period's
    # 2,000 from the end of January is drawn at 1,000 + 2,000, where it puts the total.
    assert markers_of([ranged, period]) == {
        "▲ lower bound": [(1.0, 1_000)],
        "▽ upper bound, missed": [(1.0, 1_800)],
        "◆ observed": [(2.0, 3_000)],
    }


def test_the_legend_says_which_marker_is_which() -> None:
    scenario = Scenario(start="2024-01", months=6, values={"containers_per_month": 1_000})
    observations = [
        Observation(date(2024, 2, 29), "cumulative_containers", 1_500, "more than"),
        Observation(date(2024, 3, 31), "cumulative_containers", 5_000, "about"),
    ]
    data = chart_data(BY_ID["containers"], scenario, project(scenario), observations=observations)
    text = "\n".join(row[0] for row in chart_rows(data, 100, 30, Canvas()))
    *plot, legend = text.rstrip("\n").split("\n")
    assert "▲ lower bound" in legend and "◇ observed, missed" in legend
    assert any("▲" in line for line in plot) and any("◇" in line for line in plot)


def test_the_readmes_example_file_reads(tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```csv\n(.*?)```", text, flags=re.S)
    path = tmp_path / "example.csv"
    path.write_text(example, encoding="utf-8")
    kinds = [(o.kind, o.high, o.since, o.tolerance) for o in read_observations(path)]
    assert kinds == [
        ("about", None, None, None),
        ("lower", None, None, None),
        ("range", 5_000_000, None, None),
        ("about", None, date(2024, 2, 1), 20),
    ]


def test_the_optional_columns_refuse_what_is_not_a_count_or_a_date(tmp_path: Path) -> None:
    assert problems(
        tmp_path,
        "2024-02-23,cumulative_rounds,1,between,,,,1e999,,",
        "2024-02-23,cumulative_rounds,1,about,,,,,٢٠٢٤-01-01,",
        "2024-02-23,cumulative_rounds,1,about,,,,,,nan",
        "2024-02-23,cumulative_rounds,1,between,,,,-5,,",
    ) == [
        '2: high "1e999" is too large a number',
        '3: since "٢٠٢٤-01-01" is not a date (YYYY-MM-DD)',
        '4: tolerance "nan" is not a number',
        '5: high "-5" is negative; a count is 0 or more',
    ]
