"""The tornado chart as rows of cells, without an app: names, numbers, bars and notes."""

from __future__ import annotations

import math

from ammoflow.scenarios.analysis.sensitivity import Bar, Tornado
from ammoflow.scenarios.model.scenario import Scenario, baseline
from ammoflow.tui.render.cells import BLANK
from ammoflow.tui.render.marks import ERROR_MARK
from ammoflow.tui.render.plotext_canvas import Canvas
from ammoflow.tui.render.tornado_rows import (
    BASE,
    HIGH,
    HIGH_GLYPH,
    LOW,
    LOW_GLYPH,
    NAME,
    NOTE,
    VALUE,
    describe_bar,
    error_rows,
    tornado_rows,
)

BASE_VALUE = 1_170_000.0
FIRE = Bar("ru_fire_rate", "Russian fire rate", 10_000, 40_000, at_low=0.0, at_high=30_390_000.0)
PRODUCTION = Bar("ru_production", "Russian domestic production", 150_000, 400_000, at_low=5_970_000.0, at_high=0.0)
ONE_SIDED = Bar("nk_reserve", "Reserve North Korea keeps back", 0, 1, at_low=3_170_000.0, at_high=2_000_000.0)
NONE = Bar("containers_per_month", "Shipment rate", 0, 5_000, at_low=BASE_VALUE, at_high=BASE_VALUE)
RESULT = Tornado("total_shortfall", BASE_VALUE, (FIRE, PRODUCTION, ONE_SIDED, NONE), fixed=("ru_other_imports",))


def scenario() -> Scenario:
    return baseline()


def test_one_row_per_bar_then_the_fixed_parameters() -> None:
    rows = tornado_rows(RESULT, scenario(), 80, Canvas())
    assert len(rows) == 5
    assert all(len(text) == 80 and len(codes) == 80 for text, codes in rows)
    texts = [text for text, _ in rows]
    assert texts[0].startswith(" Russian fire rate ")
    assert texts[0].rstrip().endswith(" 30.4M")
    assert " 0 " in texts[0]  # the smaller end on the left
    assert "no effect" in texts[3] and LOW_GLYPH not in texts[3]
    assert texts[4].startswith(" held fixed (a range of one value): Other imports (e.g. Iran)")
    assert set(rows[4][1].rstrip(BLANK)) == {NOTE}


def test_glyphs_are_coded_as_what_they_show() -> None:
    rows = tornado_rows(RESULT, scenario(), 80, Canvas())
    for text, codes in rows[:3]:
        for char, code in zip(text, codes, strict=True):
            if char == LOW_GLYPH:
                assert code == LOW
            elif char == HIGH_GLYPH:
                assert code == HIGH
            elif 0x2500 <= ord(char) <= 0x257F:
                assert code == BASE
        assert codes[1] == NAME
        assert VALUE in codes
    # Low and high on one side of the base: the longer is drawn first, so both show.
    assert LOW_GLYPH in rows[2][0] and HIGH_GLYPH in rows[2][0]
    assert LOW_GLYPH in rows[0][0] and HIGH_GLYPH in rows[0][0]


def test_a_narrow_pane_shows_labels_cut_in_the_middle_never_keys() -> None:
    rows = tornado_rows(RESULT, scenario(), 40, Canvas())
    assert all(len(text) == 40 for text, _ in rows)
    names = [text[1:].split("  ")[0] for text, _ in rows[:4]]
    assert not any(bar.key in text for bar in RESULT.bars for text, _ in rows)
    assert names[0].startswith("Russi") and "…" in names[0] and names[0].endswith("rate")
    assert rows[3][0].startswith(" Shipment rate") and "no effect" in rows[3][0]


def test_an_end_without_a_value_reads_n_a() -> None:
    broken = Bar("ru_fire_rate", "Russian fire rate", 10_000, 40_000, at_low=math.nan, at_high=2e6)
    rows = tornado_rows(Tornado("total_shortfall", BASE_VALUE, (broken,)), scenario(), 60, Canvas())
    assert rows[0][0].rstrip().endswith(" n/a")


def test_nothing_to_compare_when_every_parameter_is_fixed() -> None:
    rows = tornado_rows(Tornado("total_shortfall", BASE_VALUE, (), fixed=("a", "b")), scenario(), 50)
    assert rows[0][0].strip() == "every parameter is held fixed: nothing to compare"
    assert rows[1][0].strip() == "held fixed (a range of one value): a, b"


def test_the_error_row_carries_the_mark() -> None:
    (text, codes), *_ = error_rows(40)
    assert text.startswith(f" {ERROR_MARK}the chart could not be drawn")
    assert len(text) == len(codes) == 40


def test_describe_bar_spells_out_both_ends_with_units() -> None:
    text = describe_bar(FIRE, "total_shortfall", scenario())
    assert text.splitlines() == [
        "Russian fire rate (rounds/day)",
        f"{LOW_GLYPH} low 10,000 → 0 rounds",
        f"{HIGH_GLYPH} high 40,000 → 30,390,000 rounds",
    ]
    assert describe_bar(NONE, "total_shortfall", scenario()).splitlines()[1] == "no effect from 0 to 5,000"


def test_a_figure_with_no_value_as_it_is_gives_each_end_and_says_why_there_are_no_bars() -> None:
    # A share of supply when nothing is supplied: no base to swing from, yet some ends have values.
    shipments = Bar("containers_per_month", "Shipment rate", 600, 1_500, at_low=1.0, at_high=1.0)
    imports = Bar("ru_other_imports", "Other imports (e.g. Iran)", 0, 50_000, at_low=math.nan, at_high=0.0)
    result = Tornado("nk_share_of_supply", math.nan, (shipments, imports))
    rows = tornado_rows(result, scenario(), 80, Canvas())
    texts = [text for text, _ in rows]
    assert "100.0%" in texts[0] and texts[0].count("100.0%") == 2  # the figure at each end
    low, high = texts[1].split("Other imports (e.g. Iran)")[1].split()
    assert (low, high) == ("n/a", "0.0%")  # at the low end first, then at the high end
    assert not any(glyph in text for text in texts[:2] for glyph in (LOW_GLYPH, HIGH_GLYPH))  # no bars
    note = " ".join(text.strip() for text in texts[2:])
    assert "No bars: NK share of new supply has no value as the scenario stands" in note
    assert rows != error_rows(80)
