"""Rows of cells and the one renderer from rows to Rich segments, without an app."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.style import Style

from ammoflow.tui.render.cells import BLANK, blank_row, changed_span, compose, elide
from ammoflow.tui.render.segments import row_segments

pieces = st.lists(
    st.tuples(st.text(st.sampled_from("ab 字█…"), max_size=12), st.sampled_from("XYZ")),
    max_size=5,
)


@given(pieces=pieces, width=st.integers(0, 30))
def test_compose_fills_exactly_the_width_with_one_code_per_character(pieces: list[tuple[str, str]], width: int) -> None:
    text, codes = compose(pieces, width)
    assert cell_len(text) == width
    assert len(codes) == len(text)
    whole = "".join(piece for piece, _ in pieces)
    whole_codes = "".join(code * len(piece) for piece, code in pieces)
    if cell_len(whole) <= width:
        assert text.startswith(whole)
        assert codes.startswith(whole_codes)
    elif width > 0:
        # Cut: a start of the text, then the ellipsis in the style of the first
        # character that did not fit.
        kept = text.rstrip(" ")
        assert kept.endswith("…")
        assert whole.startswith(kept[:-1])
        assert codes[: len(kept) - 1] == whole_codes[: len(kept) - 1]
        if cell_len(whole) == len(whole):
            assert codes[width - 1] == whole_codes[width]


def test_compose_cuts_with_an_ellipsis_in_the_style_of_the_piece_cut() -> None:
    assert compose([("abc", "X"), ("def", "Y")], 5) == ("abcd…", "XXXYY")
    assert compose([("abc", "X"), ("def", "Y")], 3) == ("ab…", "XXY")
    assert compose([("ab", "X")], 5) == ("ab   ", "XX" + BLANK * 3)


def test_compose_takes_one_code_per_character_when_given() -> None:
    assert compose([("ab", "X"), ("░█│", "LHB")], 6) == ("ab░█│ ", "XXLHB" + BLANK)
    with pytest.raises(ValueError):
        compose([("abc", "LH")], 6)


def test_elide_keeps_both_ends() -> None:
    assert elide("shells_per_container", 13) == "shells…tainer"
    assert elide("short", 13) == "short"
    assert elide("abc", 1) == "a"


def test_changed_span_is_the_narrowest_span_holding_every_difference() -> None:
    old = ("abcdef", "XXXXXX")
    assert changed_span(old, old) is None
    assert changed_span(old, ("abXdef", "XXXXXX")) == (2, 3)
    assert changed_span(old, ("abcdef", "XYXXYX")) == (1, 5)
    assert changed_span(old, ("abcdefgh", "XXXXXXXX")) == (6, 8)


def test_segments_paint_every_cell_and_fold_blanks_into_a_neighbouring_run() -> None:
    styles = {BLANK: Style(), "X": Style(color="red"), "Y": Style(color="blue")}
    segments = row_segments(("ab  cd ?", "XX  YY Q"), styles)
    assert "".join(segment.text for segment in segments) == "ab  cd ?"
    # Blanks join the run before them; the unknown code paints as blank.
    assert [(s.text, s.style) for s in segments] == [
        ("ab  ", styles["X"]),
        ("cd ", styles["Y"]),
        ("?", styles[BLANK]),
    ]
    # Leading blanks join the first run.
    assert [s.text for s in row_segments(("  ab", "  XX"), styles)] == ["  ab"]


def test_a_blank_row_is_blank() -> None:
    assert blank_row(3) == ("   ", BLANK * 3)
    assert row_segments(blank_row(3), {BLANK: Style()})[0].text == "   "
