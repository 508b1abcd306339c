"""TOML read quickly and checked for shape before anything slower looks at it.

tomlkit, which keeps comments so that saving can keep them, slows down with the square of
the keys in one table (a 1 MiB file of ``a.b.cN = 1`` lines took 45 s) and of a run of
blank lines (1 MiB of them, 25 s), and takes some 20 µs for any line; both parsers
recurse on nested arrays and inline tables until Python's stack runs out. The standard
library's ``tomllib`` reads any file under the size limit in well under a second, so it
reads first, and a document far larger or deeper than any scenario or config file is
refused with one line before tomlkit sees it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from typing import Any

from ammoflow.scenarios.model.errors import Problem, ScenarioError
from ammoflow.scenarios.model.months import MAX_MONTHS

MAX_DEPTH = 8  # [uncertainty.ranges] key = [low, high] is four deep
MAX_TABLE_KEYS = 200  # the largest real table, [parameters], has 17
MAX_LIST = MAX_MONTHS * 15  # one change a month for each parameter that can change
MAX_VALUES = 20_000  # keys, tables and list items in all
# tomlkit takes some 20 µs a line, and runs of blank lines cost it the square of their length:
# a scenario with the most changes it can have is under 20,000 lines.
MAX_LINES = 50_000

_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$")

_LONG_NUMBER = re.compile(r"[0-9_]{4301,}")
# A key of many dotted parts (a.a.a... = 1, or [a.a.a...]) costs both parsers the square of its
# parts; no scenario key has more than four. Possessive quantifiers keep this search linear.
MAX_KEY_PARTS = 64
_PART = r"""(?:[\w-]++|"[^"\n]*+"|'[^'\n]*+')[ \t]*+"""
_LONG_CHAIN = re.compile(rf"""(?<![\w"'-])(?:{_PART}\.[ \t]*+){{{MAX_KEY_PARTS}}}""")
_PAIRS = re.compile(rf"(?:{_PART}\.[ \t]*+)*+")
_LAST = re.compile(rf"{_PART}(?=[=\]])")


def _long_key(text: str) -> int | None:
    """Where a key of over MAX_KEY_PARTS dotted parts starts: a chain of parts ending in = or ]."""
    position = 0
    while (chain := _LONG_CHAIN.search(text, position)) is not None:
        end = _PAIRS.match(text, chain.end()).end()  # type: ignore[union-attr]  # it matches even nothing
        if _LAST.match(text, end):
            return chain.start()
        position = end  # a dotted run in text, such as a.b.c... in notes: go on past all of it
    return None


Finder = Callable[[tuple[Any, ...]], int | None]


class NotToml(ScenarioError):
    """The text is not TOML at all (as opposed to TOML of the wrong shape)."""


def load(text: str, source: str | None, what: str, find: Finder | None = None) -> dict[str, Any]:
    """``text`` as plain Python data; a ScenarioError (one line per problem) if it is not TOML,
    or if it nests, or holds, far more than ``what`` ever needs.

    ``find`` gives the line of a key path, for problems of shape.
    """
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        message = f"{lines:,} lines; {what} has at most {MAX_LINES:,}"
        raise ScenarioError([Problem(message, MAX_LINES + 1)], source)
    long_key = _long_key(text)
    if long_key is not None:
        line = text.count("\n", 0, long_key) + 1
        message = f"a key of over {MAX_KEY_PARTS} dotted parts; {what} nests at most {MAX_DEPTH} levels"
        raise ScenarioError([Problem(message, line)], source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise NotToml([syntax_problem(exc, text)], source) from None
    except RecursionError:
        raise ScenarioError([too_deep(text, what)], source) from None
    except ValueError as exc:  # a whole number of more than 4,300 digits
        long = _LONG_NUMBER.search(text)
        at = text.count("\n", 0, long.start()) + 1 if long else None
        raise NotToml([Problem(f"not valid TOML: {exc}".split(";")[0], at)], source) from None
    problem = shape_problem(data, what)
    if problem is not None:
        path, message = problem
        raise ScenarioError([Problem(message, find(path) if find else None)], source)
    return data


def too_deep(text: str, what: str) -> Problem:
    """Nesting past what a parser can follow, at the line where it first goes past our limit."""
    depth, quote, line = 0, "", 1
    for index, char in enumerate(text):
        if char == "\n":
            line += 1
            quote = ""  # comments and one-line strings end here; this is a guess at a line, not a parser
        elif quote == "#":
            continue
        elif quote:
            if char == quote and text[index - 1] != "\\":
                quote = ""
        elif char in "\"'#":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                break
        elif char in "]}":
            depth = max(depth - 1, 0)
    else:
        return Problem(f"nested too deeply; {what} nests at most {MAX_DEPTH} levels")
    return Problem(f"nested too deeply; {what} nests at most {MAX_DEPTH} levels", line)


def syntax_problem(exc: tomllib.TOMLDecodeError, text: str) -> Problem:
    """tomllib's message as ``line:column: not valid TOML: ...``."""
    message = str(exc)
    found = _AT.search(message)
    line = column = None
    if found and found[1]:
        line, column = int(found[1]), int(found[2])
    elif found:
        line = text.count("\n") + 1
    return Problem(f"not valid TOML: {_AT.sub('', message)}", line, column)


def shape_problem(data: dict[str, Any], what: str) -> tuple[tuple[Any, ...], str] | None:
    """The first way ``data`` is too deep or too large for ``what``, with where it is."""
    count = 0
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if len(path) > MAX_DEPTH:
            return path, f"nested too deeply; {what} nests at most {MAX_DEPTH} levels"
        if isinstance(value, dict):
            if len(value) > MAX_TABLE_KEYS:
                key = list(value)[MAX_TABLE_KEYS]
                where = f"[{'.'.join(map(str, path))}]" if path else "the top level"
                return (*path, key), (
                    f"{where} has {len(value):,} keys; no table in {what} has more than {MAX_TABLE_KEYS}"
                )
            children = [((*path, key), item) for key, item in value.items()]
        elif isinstance(value, list):
            if len(value) > MAX_LIST:
                name = ".".join(map(str, path)) or "a list"
                message = f"{name} holds {len(value):,} items; a list in {what} holds at most {MAX_LIST:,}"
                return (*path, MAX_LIST), message
            children = [((*path, index), item) for index, item in enumerate(value)]
        else:
            continue
        count += len(children)
        if count > MAX_VALUES:
            return path, f"over {MAX_VALUES:,} keys and values; {what} holds far fewer"
        stack.extend(reversed(children))
    return None
