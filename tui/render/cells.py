"""Rows of cells: the text a drawing shows, with one style code per character.

Every drawing in :mod:`ammoflow.tui.render` is a list of rows, each a pair of strings
(text, codes) of equal length: the code says how its character is painted, and the
widget that shows the row maps codes to styles (:mod:`ammoflow.tui.render.segments`).
Keeping the colours out of the rows lets the drawing be compared, tested and diffed as
plain text, without an app.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len

__all__ = ["BLANK", "ELLIPSIS", "Row", "blank_row", "changed_span", "compose", "elide"]

Row = tuple[str, str]
"""A row as (text, codes): one style code per character of text."""

BLANK = " "
"""The code of a blank cell, painted in the widget's own style."""

ELLIPSIS = "…"


def compose(pieces: Sequence[tuple[str, str]], width: int) -> Row:
    """Join (text, codes) pieces into a row exactly ``width`` cells wide.

    A piece's codes are one code for all its characters, or one code per character.
    Text that does not fit is cut and ends with an ellipsis, in the style of the
    piece that was cut.
    """
    chars: list[str] = []
    codes: list[str] = []
    used = 0
    cut_code: str | None = None
    for text, code in pieces:
        per_char = code if len(code) == len(text) else code * len(text)
        for char, char_code in zip(text, per_char, strict=True):
            cells = cell_len(char)
            if used + cells > width:
                cut_code = char_code
                break
            chars.append(char)
            codes.append(char_code)
            used += cells
        if cut_code is not None:
            break
    if cut_code is not None and width > 0:
        while chars and used > width - 1:
            used -= cell_len(chars.pop())
            codes.pop()
        chars.append(ELLIPSIS)
        codes.append(cut_code)
        used += 1
    chars.append(" " * (width - used))
    codes.append(BLANK * (width - used))
    return "".join(chars), "".join(codes)


def blank_row(width: int) -> Row:
    """A row of ``width`` blank cells."""
    return " " * width, BLANK * width


def elide(text: str, width: int) -> str:
    """``text`` in ``width`` characters, cut in the middle so both ends stay readable."""
    if len(text) <= width:
        return text
    if width <= 1:
        return text[:width]
    head = width // 2
    tail = width - 1 - head
    return text[:head] + ELLIPSIS + (text[-tail:] if tail else "")


def changed_span(old: Row, new: Row) -> tuple[int, int] | None:
    """First and one-past-last character index where two rows differ, or None."""
    if old == new:
        return None
    old_text, old_codes = old
    new_text, new_codes = new
    length = min(len(old_text), len(new_text))
    start = 0
    while start < length and old_text[start] == new_text[start] and old_codes[start] == new_codes[start]:
        start += 1
    end_old, end_new = len(old_text), len(new_text)
    while (
        end_old > start
        and end_new > start
        and old_text[end_old - 1] == new_text[end_new - 1]
        and old_codes[end_old - 1] == new_codes[end_new - 1]
    ):
        end_old -= 1
        end_new -= 1
    return start, max(end_old, end_new)
