"""Text from files and arguments, made safe to show on a terminal.

A scenario's name, a typed value or a path can hold bytes a terminal obeys: ESC and
CSI start sequences that clear the screen or set the window title, a newline splits one
message into two (the second without its ``file:line``), bidi overrides reorder what is
read. Every such string passes through :func:`visible` on its way to the screen, so it is
shown for what it is and one message stays one line.
"""

from __future__ import annotations

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(code: int) -> str:
    char = chr(code)
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_CONTROLS = (
    *range(0x00, 0x20),  # C0, with ESC
    0x7F,  # DEL
    *range(0x80, 0xA0),  # C1, with CSI (U+009B)
    0x061C,  # Arabic letter mark
    0x200E,  # left-to-right and right-to-left marks
    0x200F,
    0x2028,  # line and paragraph separators: some terminals and editors break lines there
    0x2029,
    *range(0x202A, 0x202F),  # bidi embeddings and overrides
    *range(0x2066, 0x206A),  # bidi isolates
)
_TABLE = {code: _escape(code) for code in _CONTROLS}


def visible(text: str) -> str:
    """``text`` with every control character written out (ESC as ``\\x1b``, a newline as ``\\n``).

    Printable text, accents and other scripts are unchanged, so an ordinary name reads as
    it always did. Backslashes are left alone: the result is for reading, not for parsing back.
    """
    return text.translate(_TABLE)


def excerpt(text: str, limit: int = 40) -> str:
    """``text`` made visible and, when long, cut in the middle: a message quoting it stays readable."""
    shown = visible(text)
    if len(shown) <= limit:
        return shown
    tail = limit // 4
    return f"{shown[: limit - tail - 1]}…{shown[-tail:]} ({len(text):,} characters)"
