"""A chart laid out as rows of cells, without an app: sizes, codes, legend, notes."""

from __future__ import annotations

import math

import pytest
from chart_samples import month_labels, sample
from hypothesis import given, settings
from hypothesis import strategies as st

from ammoflow.tui.render.cells import BLANK
from ammoflow.tui.render.chart_data import ChartData, Series
from ammoflow.tui.render.chart_layout import (
    MIN_HEIGHT,
    MIN_WIDTH,
    NO_DATA_NOTE,
    TOO_SMALL_NOTE,
    chart_rows,
)
from ammoflow.tui.render.chart_plan import (
    BAND_GLYPHS,
    BASELINE_GLYPHS,
    FRAME,
    LINE_GLYPHS,
    MARKER_GLYPHS,
    NOTE,
    TICK,
    TITLE,
    plan,
    series_code,
)
from ammoflow.tui.render.plotext_canvas import Canvas


@pytest.fixture(scope="module")
def canvas() -> Canvas:
    return Canvas()


@settings(max_examples=40, deadline=None)
@given(width=st.integers(1, 140), height=st.integers(1, 45), months=st.integers(1, 80))
def test_every_row_is_exactly_the_size_asked_for(width: int, height: int, months: int) -> None:
    rows = chart_rows(sample(months=months), width, height, Canvas())
    assert len(rows) == height
    for text, codes in rows:
        assert len(text) == width
        assert len(codes) == width


def test_title_unit_plot_and_legend_are_coded(canvas: Canvas) -> None:
    data = sample()
    rows = chart_rows(data, 100, 30, canvas)
    texts = [text for text, _ in rows]
    assert texts[0].startswith("Russian stockpile")
    assert set(rows[0][1][: len("Russian stockpile")]) == {TITLE}
    assert texts[1].startswith("rounds")  # the unit gets a row of its own when there is room
    glyphs = plan(data.series).glyphs
    assert glyphs == (LINE_GLYPHS[0], BASELINE_GLYPHS[0], MARKER_GLYPHS[0], BAND_GLYPHS[0])
    legend = texts[-1]
    for glyph, item in zip(glyphs, data.series, strict=True):
        assert f"{glyph} {item.label}" in legend
    plot = rows[2:-3]
    for index, glyph in enumerate(glyphs):
        cells = [codes[x] for text, codes in plot for x, char in enumerate(text) if char == glyph]
        assert cells, glyph
        assert set(cells) == {series_code(index)}
    axis = next(i for i, text in enumerate(texts) if "└" in text)
    assert FRAME in rows[axis][1]
    top = next((text, codes) for text, codes in rows if "50M┤" in text)  # 47M of data: a 50M tick
    start = top[0].index("50M")
    assert top[1][start : start + 3] == TICK * 3
    assert TICK in rows[axis + 1][1]  # the month labels under the axis


def test_too_small_and_no_data_are_notes(canvas: Canvas) -> None:
    small = chart_rows(sample(), MIN_WIDTH - 1, MIN_HEIGHT + 5, canvas)
    assert any(TOO_SMALL_NOTE in text for text, _ in small)
    assert chart_rows(sample(), 4, 3, canvas)[1][0].strip() == "too…"
    empty = chart_rows(None, 60, 20, canvas)
    assert [text.strip() for text, _ in empty if text.strip()] == [NO_DATA_NOTE]
    gaps = ChartData("Gaps", "rounds", month_labels(12), [Series("all gaps", [math.nan] * 12)])
    rows = chart_rows(gaps, 60, 20, canvas)
    note = next((text, codes) for text, codes in rows if NO_DATA_NOTE in text)
    start = note[0].index(NO_DATA_NOTE)
    assert note[1][start : start + len(NO_DATA_NOTE)] == NOTE * len(NO_DATA_NOTE)


def test_a_canvas_keeps_nothing_of_the_chart_drawn_before() -> None:
    first, second = Canvas(), Canvas()
    once = chart_rows(sample(1.0), 90, 26, first)
    chart_rows(sample(0.3), 90, 26, first)
    assert chart_rows(sample(1.0), 90, 26, first) == once
    assert chart_rows(sample(1.0), 90, 26, second) == once


def test_a_narrow_band_is_drawn_after_a_wide_one_whatever_their_order() -> None:
    narrow = Series("narrow", [40.0] * 6, kind="band", y_high=[60.0] * 6)
    wide = Series("wide", [0.0] * 6, kind="band", y_high=[100.0] * 6)
    line = Series("line", [50.0] * 6)
    assert plan([narrow, line, wide]).order == (2, 0, 1)
    assert plan([wide, narrow, line]).order == (0, 1, 2)


def test_series_past_a_pool_share_its_glyph_and_code() -> None:
    many = [Series(f"s{i}", [float(i)]) for i in range(len(LINE_GLYPHS) + 1)]
    chosen = plan(many)
    assert chosen.glyphs[-1] == chosen.glyphs[0]
    assert chosen.codes[-1] == chosen.codes[0] == series_code(0)
    assert BLANK not in chosen.codes


def test_series_copies_values_into_floats() -> None:
    values = [1, None, "x", 2.5]
    series = Series("a", values)  # type: ignore[arg-type]  # non-numbers on purpose
    values.append(9)
    assert len(series.y) == 4
    assert series.y[0] == 1.0 and series.y[3] == 2.5
    assert math.isnan(series.y[1]) and math.isnan(series.y[2])
    assert isinstance(hash(series), int)
    with pytest.raises(ValueError, match="kind"):
        Series("a", [1.0], kind="bars")  # type: ignore[arg-type]  # an unknown kind on purpose
