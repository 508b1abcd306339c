"""Mutated copies of the shipped presets and observations: broken the ways files really break.

Seeded, so a failing case can be made again from its number: ``mutated(source, seed)``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

HUGE_NUMBERS = ("1" + "0" * 400, "-1" + "0" * 400, "1e999", "-1e999", "inf", "-inf", "nan", "1" + "0" * 5000, "-1", "0")
ODD_TEXT = (
    "\u2028",
    "\u2029",
    "\x85",
    "\x0c",
    "\x00",
    "\x1b[2J",
    "\r",
    "\ufeff",
    "\ud7ff",
    "٢٠٢٥",
    '"',
    "'''",
    '"""',
    "[",
    "]",
    "{",
    "}",
    "=",
    "#",
    ",",
    "\\",
)
ODD_MONTHS = (" 2025-01", "2025-01 ", "٢٠٢٥-٠١", "2025-1", "2220-12", "2201-01", "1899-12", "0000-00", "9999-99")
ODD_LINES = (
    "a.b.c = 1",
    "[[changes]]",
    "[parameters]",
    "[uncertainty.ranges]",
    "ru_fire_rate = [1, 2, 3]",
    "x = " + "[" * 600 + "]" * 600,
    "y = " + "{a = " * 300 + "1" + "}" * 300,
    ".".join(["k"] * 50) + " = 1",
    "name = 5",
    "months = 1e3",
    'start = "2200-12"',
    "runs = 0",
    "seed = -1",
    'notes = """' + "n" * 20_000 + '"""',
    'description = "' + "d" * 100_000 + '"',
    "date,metric,value",
    '2024-01-01,cumulative_rounds,"' + "9" * 200_000 + '"',
    "2024-01-01,cumulative_rounds,-5,,,,",
    "2024-02-30,cumulative_rounds,5,,,,",
)


def _flip(rng: random.Random, data: bytearray) -> None:
    if data:
        data[rng.randrange(len(data))] = rng.randrange(256)


def _truncate(rng: random.Random, data: bytearray) -> None:
    del data[rng.randrange(len(data) + 1) :]


def _lines(data: bytearray) -> list[bytes]:
    return bytes(data).split(b"\n")


def _set_lines(data: bytearray, lines: list[bytes]) -> None:
    data[:] = b"\n".join(lines)


def _duplicate_line(rng: random.Random, data: bytearray) -> None:
    lines = _lines(data)
    at = rng.randrange(len(lines))
    _set_lines(data, lines[:at] + [lines[at]] * rng.choice((2, 3, 50, 2000)) + lines[at + 1 :])


def _drop_line(rng: random.Random, data: bytearray) -> None:
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    _set_lines(data, lines)


def _swap_lines(rng: random.Random, data: bytearray) -> None:
    lines = _lines(data)
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    _set_lines(data, lines)


def _replace_one(rng: random.Random, data: bytearray, pattern: bytes, choices: Sequence[str]) -> None:
    """Replace one match of ``pattern`` in ``data`` (if any) with one of ``choices``."""
    matches = list(re.finditer(pattern, data))
    if matches:
        found = rng.choice(matches)
        data[found.start() : found.end()] = rng.choice(choices).encode()


def _huge_number(rng: random.Random, data: bytearray) -> None:
    _replace_one(rng, data, rb"\d[\d_.,]*", HUGE_NUMBERS)


def _odd_text(rng: random.Random, data: bytearray) -> None:
    at = rng.randrange(len(data) + 1)
    data[at:at] = rng.choice(ODD_TEXT).encode("utf-8", "surrogatepass")


def _odd_month(rng: random.Random, data: bytearray) -> None:
    _replace_one(rng, data, rb"\d{4}-\d{2}", ODD_MONTHS)


def _odd_line(rng: random.Random, data: bytearray) -> None:
    lines = _lines(data)
    lines.insert(rng.randrange(len(lines) + 1), rng.choice(ODD_LINES).encode())
    _set_lines(data, lines)


def _line_ends(rng: random.Random, data: bytearray) -> None:
    data[:] = bytes(data).replace(b"\n", rng.choice((b"\r\n", b"\r", b"\n\n", "\u2028".encode())))


MUTATIONS: tuple[Callable[[random.Random, bytearray], None], ...] = (
    _flip,
    _flip,
    _truncate,
    _duplicate_line,
    _drop_line,
    _swap_lines,
    _huge_number,
    _huge_number,
    _odd_text,
    _odd_text,
    _odd_month,
    _odd_line,
    _odd_line,
    _line_ends,
)


def mutated(source: bytes, seed: int) -> tuple[bytes, list[str]]:
    """``source`` with one to four mutations chosen by ``seed``, and their names."""
    rng = random.Random(seed)
    data = bytearray(source)
    names = []
    for _ in range(rng.choice((1, 1, 2, 3, 4))):
        mutation = rng.choice(MUTATIONS)
        mutation(rng, data)
        names.append(mutation.__name__.lstrip("_"))
    return bytes(data), names
