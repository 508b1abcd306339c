"""Style sequences written only where the style changes: a filter on what goes to the terminal.

Textual writes every segment as ``ESC[attrs m`` text ``ESC[0m``: the next segment, even with
the same colours, resets everything and sets it again. Over a slow link that is more than half
of a full frame's bytes. :func:`only_style_changes` follows the attributes the stream sets
(bold, dim, italic, underline, blink, reverse, conceal, strike, overline, foreground and
background colour) and writes, just before something that depends on them (text, an erase, a
line feed), the shortest sequence that brings the terminal from what it has to what the stream
wants: the difference, or a reset and the whole style when that is shorter. Cursor moves and
mode switches in between need no style, so a reset and the same style around them vanish.

What it does not understand (a colon sub-parameter, an unknown SGR code, save/restore cursor,
a terminal reset, an incomplete sequence) passes through unchanged, after the pending style,
and its tracking forgets the terminal's state: the next style is written in full. It forgets it
also at the end of each call, having written the pending style, so that a chunk boundary or
another writer never inherits a state the filter only assumed. The terminal therefore shows the
same cells, in the same colours, as without the filter (``tests/tui/test_sgr_emulator.py``
replays screens through an emulator to check it).
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Style", "only_style_changes", "parse_sgr"]


class Style(NamedTuple):
    """The attributes SGR sets; ``""`` is off (or the terminal's default colour), else the code that sets it."""

    bold: str = ""
    dim: str = ""
    italic: str = ""
    underline: str = ""  # "4" or "21" (double)
    blink: str = ""  # "5" or "6" (rapid)
    reverse: str = ""
    conceal: str = ""
    strike: str = ""
    overline: str = ""
    fg: str = ""  # "31", "91", "38;5;n" or "38;2;r;g;b"
    bg: str = ""


PLAIN = Style()

# What an "off" code clears, as the fields it sets back to "".
_OFF: dict[str, tuple[str, ...]] = {
    "22": ("bold", "dim"),
    "23": ("italic",),
    "24": ("underline",),
    "25": ("blink",),
    "27": ("reverse",),
    "28": ("conceal",),
    "29": ("strike",),
    "39": ("fg",),
    "49": ("bg",),
    "55": ("overline",),
}
_ON: dict[str, str] = {
    "1": "bold",
    "2": "dim",
    "3": "italic",
    "4": "underline",
    "21": "underline",
    "5": "blink",
    "6": "blink",
    "7": "reverse",
    "8": "conceal",
    "9": "strike",
    "53": "overline",
}
_ON.update({str(code): "fg" for code in (*range(30, 38), *range(90, 98))})
_ON.update({str(code): "bg" for code in (*range(40, 48), *range(100, 108))})
# The code that clears each field (for "bold" and "dim" the same one, which clears both).
_CLEAR = {field: code for code, fields in _OFF.items() for field in fields}


class Op(NamedTuple):
    """One step of an SGR sequence: a reset, or fields set to values."""

    reset: bool
    changes: tuple[tuple[str, str], ...]


def _byte(text: str) -> str | None:
    """A colour component or index, written canonically, or None when it is not 0 to 255."""
    if not text.isdigit() or int(text) > 255:
        return None
    return str(int(text))


def parse_sgr(params: str) -> tuple[Op, ...] | None:
    """The steps of ``ESC[params m``, in order; None when any part is not understood."""
    if ":" in params:  # sub-parameters (curly underline, colon colours): not tracked
        return None
    parts = params.split(";")
    ops: list[Op] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        code = str(int(part)) if part.isdigit() else part
        if code in ("", "0"):
            ops.append(Op(True, ()))
        elif code in _OFF:
            ops.append(Op(False, tuple((field, "") for field in _OFF[code])))
        elif code in _ON:
            ops.append(Op(False, ((_ON[code], code),)))
        elif code in ("38", "48"):
            field = "fg" if code == "38" else "bg"
            kind = parts[i + 1] if i + 1 < len(parts) else ""
            width = {"5": 1, "2": 3}.get(kind)
            if width is None or i + 2 + width > len(parts):
                return None
            values = [_byte(value) for value in parts[i + 2 : i + 2 + width]]
            if any(value is None for value in values):
                return None
            ops.append(Op(False, ((field, ";".join([code, kind, *(v for v in values if v is not None)])),)))
            i += 1 + width
        else:
            return None
        i += 1
    return tuple(ops)


def _apply(style: Style, ops: tuple[Op, ...]) -> Style:
    for op in ops:
        if op.reset:
            style = PLAIN
        elif op.changes:
            style = style._replace(**dict(op.changes))
    return style


def _full(style: Style) -> list[str]:
    return [value for value in style if value]


def _sgr(codes: list[str]) -> str:
    return f"\x1b[{';'.join(codes)}m"


def _transition(have: Style | None, want: Style) -> str:
    """The shortest SGR sequence that turns ``have`` (None: unknown) into ``want``."""
    full = _sgr(["0", *_full(want)]) if want != PLAIN else "\x1b[0m"
    if have is None:
        return full
    if have == want:
        return ""
    codes: list[str] = []
    current = have
    for field, value in zip(Style._fields, want, strict=True):
        if getattr(current, field) == value:
            continue
        clear = _CLEAR[field]
        # A change between two kinds of underline or blink, or a field turned off: clear first.
        # Bold and dim share their clearing code, so the other one is set again after it.
        if getattr(current, field) and field not in ("fg", "bg"):
            codes.append(clear)
            current = current._replace(**{name: "" for name in _OFF[clear]})
    for field, value in zip(Style._fields, want, strict=True):
        if getattr(current, field) != value:
            codes.append(value or _CLEAR[field])
    diff = _sgr(codes)
    return diff if len(diff) < len(full) else full


_TOKEN = re.compile(
    r"\x1b\[(?P<sgr>[0-9;:]*)m"  # the common cases first, each told by its group's name
    r"|\x1b\[[0-9;]*[ABCDEFGHfd](?P<move>)"
    r"|\x1b(?:"
    r"\[(?P<params>[0-?]*)(?P<inter>[ -/]*)(?P<final>[@-~])"  # any other CSI
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)(?P<osc>)"  # OSC: title, hyperlink
    r"|[P_^X][^\x1b]*\x1b\\(?P<dcs>)"  # DCS, APC, PM, SOS
    r"|(?P<esc>[ -/]*[0-~])"  # two-character escapes: save and restore cursor, reset...
    r")?"
)
# Modes whose switch saves or restores the cursor, and with it the attributes.
_SAVING_MODES = frozenset({"1047", "1048", "1049"})
_AFTER: dict[tuple[Style | None, str], Style | None] = {}
_TRANSITIONS: dict[tuple[Style | None, Style], str] = {}
_KEPT = 4096  # entries in each memo: a stream of ever new true colours must not grow them forever


def _after(want: Style | None, params: str) -> Style | None:
    """The style after ``ESC[params m`` over ``want``; None when unknown (not understood, or partial over unknown)."""
    key = (want, params)
    if key not in _AFTER:
        if len(_AFTER) > _KEPT:
            _AFTER.clear()
        ops = parse_sgr(params)
        if ops is None:
            found = None
        elif want is not None:
            found = _apply(want, ops)
        elif any(op.reset for op in ops):
            found = _apply(PLAIN, ops[max(i for i, op in enumerate(ops) if op.reset) :])
        else:
            found = None
        _AFTER[key] = found
    return _AFTER[key]


def _transition_cached(have: Style | None, want: Style) -> str:
    key = (have, want)
    if key not in _TRANSITIONS:
        if len(_TRANSITIONS) > _KEPT:
            _TRANSITIONS.clear()
        _TRANSITIONS[key] = _transition(have, want)
    return _TRANSITIONS[key]


def only_style_changes(data: str) -> str:
    """``data`` with its SGR sequences reduced to the changes, showing the same on any terminal.

    Each call starts knowing nothing of the terminal's attributes and ends with them set as
    ``data`` leaves them, so calls can be made on any chunks of a stream.
    """
    out: list[str] = []
    write = out.append
    have: Style | None = None  # what the terminal has (None: unknown)
    want: Style | None = None  # what the stream has set by now (None: unknown, and already written)
    position = 0
    for found in _TOKEN.finditer(data):
        start = found.start()
        if start > position:
            text = data[position:start]
            if text != "\r" and want is not None and have != want:
                write(_transition_cached(have, want))
                have = want
            write(text)
        position = found.end()
        kind = found.lastgroup
        if kind == "sgr":
            params = found.group("sgr")
            after = _after(want, params)
            if after is None:  # not understood, or partial over an unknown state: as it came
                if want is not None and have != want:
                    write(_transition_cached(have, want))
                write(found.group())
                have = None
            want = after
            continue
        if kind in ("move", "osc", "dcs"):  # nothing printed, no attribute touched
            write(found.group())
            continue
        sequence = found.group()
        escape = found.group("esc")
        if kind is None or (escape is not None and escape[-1] in "[]P_^X"):
            # A lone or incomplete escape: the rest is passed on untouched.
            if want is not None and have != want:
                write(_transition_cached(have, want))
            write(data[start:])
            return "".join(out)
        params, inter, final = found.group("params", "inter", "final")
        if kind == "final" and not inter and final in "hl" and params.startswith("?"):
            if _SAVING_MODES.isdisjoint(params[1:].split(";")):
                write(sequence)  # a mode switch: nothing drawn
                continue
        elif kind == "final" and inter == "$" and final == "p":  # a mode query: answered, nothing drawn
            write(sequence)
            continue
        if want is not None and have != want:
            write(_transition_cached(have, want))
            have = want
        write(sequence)
        if kind == "final" and not inter and final in "JKXLMPST@" and not params.startswith(("?", ">", "<", "=")):
            continue  # an erase or a scroll: drawn in the current background, which is now set
        have = want = None  # ESC 7, ESC 8, ESC c, CSI s, CSI u...: may restore or reset attributes
    if position < len(data):
        text = data[position:]
        if text != "\r" and want is not None and have != want:
            write(_transition_cached(have, want))
            have = want
        write(text)
    if want is not None and have != want:
        write(_transition_cached(have, want))
    return "".join(out)
