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
    first character that did not fit.
    """
    for text, code in pieces:
        if len(code) != 1 and len(code) != len(text):
            raise ValueError(f"{len(code)} codes for {len(text)} characters")
    text = "".join(piece for piece, _ in pieces)
    codes = "".join(code if len(code) == len(piece) else code * len(piece) for piece, code in pieces)
    if cell_len(text) != len(text):
        return _compose_wide(text, codes, width)
    # One cell per character: string slicing does it.
    if len(text) > width:
        if width <= 0:
            return "", ""
        return text[: width - 1] + ELLIPSIS, codes[: width - 1] + codes[width]
    padding = width - len(text)
    return text + " " * padding, codes + BLANK * padding


def _compose_wide(text: str, codes: str, width: int) -> Row:
    """:func:`compose` for text holding characters two cells wide, counted cell by cell."""
    chars: list[str] = []
    kept: list[str] = []
    used = 0
    cut_code: str | None = None
    for char, code in zip(text, codes, strict=True):
        cells = cell_len(char)
        if used + cells > width:
            cut_code = code
            break
        chars.append(char)
        kept.append(code)
        used += cells
    if cut_code is not None and width > 0:
        while chars and used > width - 1:
            used -= cell_len(chars.pop())
            kept.pop()
        chars.append(ELLIPSIS)
        kept.append(cut_code)
        used += 1
    chars.append(" " * (width - used))
    kept.append(BLANK * (width - used))
    return "".join(chars), "".join(kept)


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
