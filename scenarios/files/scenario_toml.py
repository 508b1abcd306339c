"""Scenario files: TOML that people write by hand, diff and send to each other.

Reading reports every problem on a line of its own (``file:line: message``) and never a
traceback. Writing is atomic, and saving over an existing file keeps the user's
comments and key order.
"""

from __future__ import annotations

import datetime
import re
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import attrs
import tomlkit
import tomlkit.exceptions
from tomlkit.items import AoT, Array, Table

from ammoflow.scenarios.files import reading, tomlshape
from ammoflow.scenarios.files.safe_write import write_atomic
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import Problem, ScenarioError
from ammoflow.scenarios.model.numbers import format_number
from ammoflow.scenarios.model.scenario import Change, Scenario, Uncertainty
from ammoflow.scenarios.model.text import excerpt

FORMAT_VERSION = 1
MAX_BYTES = 1024 * 1024

TOP_KEYS = ("format", "name", "description", "start", "months", "notes", "parameters", "changes", "uncertainty")
CHANGE_KEYS = ("from", "parameter", "value")
OPTIONAL_CHANGE_KEYS = ("over",)  # months to phase a change in over; absent is a step
UNCERTAINTY_KEYS = ("seed", "runs", "distribution", "sampling", "ranges", "drift")
DRIFT_SHAPE = "drift must be a table of parameter = percent a month, or a list of parameter names in quotes"


# -- reading -------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """The file's text, or a ScenarioError saying plainly why it cannot be read."""
    return reading.read_text(path, MAX_BYTES, "a scenario file")


def read_scenario(path: str | Path) -> Scenario:
    """Load a scenario file; a ScenarioError lists every problem with its line."""
    path = Path(path)
    return parse_scenario(read_text(path), source=str(path))


def parse_scenario(text: str, source: str | None = None) -> Scenario:
    document = parse_document(text, source)
    lines = _KeyLines(text)
    problems: list[Problem] = []

    def problem(path: tuple[Any, ...], message: str) -> None:
        problems.append(Problem(message, lines.find(path)))

    for key in document:
        if key not in TOP_KEYS:
            problem((key,), registry.unknown_key_message("key", key, TOP_KEYS))

    version = document.get("format", FORMAT_VERSION)
    if isinstance(version, bool) or not isinstance(version, int):
        problem(("format",), f"format must be a whole number, not {_describe(version)}")
    elif version > FORMAT_VERSION:
        problem(
            ("format",),
            f"format {version} is newer than this ammoflow reads (format {FORMAT_VERSION}); upgrade ammoflow",
        )
    elif version < 1:
        problem(("format",), f"format {version} is not a scenario format (use {FORMAT_VERSION})")

    fields: dict[str, Any] = {}
    for key in ("name", "description", "notes", "start"):
        if key in document:
            value = document[key]
            if isinstance(value, str):
                fields[key] = str(value)
            elif key == "start":
                problem((key,), f'start must be a month in quotes, e.g. start = "2023-09", not {_describe(value)}')
            else:
                problem((key,), f"{key} must be text in quotes, not {_describe(value)}")
    if "months" in document:
        months = document["months"]
        if isinstance(months, bool) or not isinstance(months, int) or _too_large(months):
            problem(("months",), f"months must be a whole number from 1 to 240, not {_describe(months)}")
        else:
            fields["months"] = int(months)

    values: dict[str, Any] = {}
    parameters = document.get("parameters", {})
    if not isinstance(parameters, dict):
        problem(("parameters",), "parameters must be a table: a [parameters] section of key = value lines")
        parameters = {}
    for key, value in parameters.items():
        if key not in registry.BY_KEY:
            problem(("parameters", key), registry.unknown_key_message("parameter", key, registry.KEYS))
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            unit = registry.BY_KEY[key].unit
            problem(("parameters", key), f"{key} must be a number ({unit}), not {_describe(value)}")
        elif _too_large(value):
            problem(("parameters", key), _too_large_message(key, value))
        else:
            values[key] = float(value)

    changes = []
    raw_changes = document.get("changes", [])
    if not isinstance(raw_changes, list):
        problem(("changes",), "changes must be a list of [[changes]] sections")
        raw_changes = []
    for i, entry in enumerate(raw_changes):
        where = f"change {i + 1}"
        if not isinstance(entry, dict):
            problem(("changes", i), f"{where}: must be a table with from, parameter and value")
            continue
        for key in entry:
            if key not in CHANGE_KEYS + OPTIONAL_CHANGE_KEYS:
                known = CHANGE_KEYS + OPTIONAL_CHANGE_KEYS
                problem(("changes", i, key), f"{where}: {registry.unknown_key_message('key', key, known)}")
        missing = [key for key in CHANGE_KEYS if key not in entry]
        if missing:
            problem(("changes", i), f"{where}: missing {', '.join(missing)}")
            continue
        ok = True
        for key, kind, wanted in (
            ("from", str, 'a month in quotes, e.g. "2025-01"'),
            ("parameter", str, "a parameter key in quotes"),
        ):
            if not isinstance(entry[key], kind):
                problem(("changes", i, key), f"{where}: {key} must be {wanted}, not {_describe(entry[key])}")
                ok = False
        value = entry["value"]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problem(("changes", i, "value"), f"{where}: value must be a number, not {_describe(value)}")
            ok = False
        elif _too_large(value):
            problem(("changes", i, "value"), f"{where}: {_too_large_message(str(entry['parameter']), value)}")
            ok = False
        over = entry.get("over", 0)
        if isinstance(over, bool) or not isinstance(over, int):
            problem(("changes", i, "over"), f"{where}: over must be a whole number of months, not {_describe(over)}")
            ok = False
        if ok:
            changes.append(Change(str(entry["from"]), str(entry["parameter"]), float(value), int(over)))

    uncertainty = _read_uncertainty(document.get("uncertainty", {}), problem)
    candidate = dict(fields, values=values, changes=tuple(changes))
    if uncertainty is not None:
        candidate["uncertainty"] = uncertainty
    if not problems:
        try:
            return Scenario(**candidate)
        except ScenarioError:
            pass
    # Construction checks ranges and the horizon; report those problems at their lines.
    scenario = _unvalidated(**candidate)
    order = {id(change): index for index, change in enumerate(changes)}
    for path, message in scenario.problems():
        if path[0] == "changes":
            # Changes are sorted on construction: map each back to its place in the file.
            path = _change_field(("changes", order.get(id(scenario.changes[path[1]]), path[1]), *path[2:]))
            message = f"change {path[1] + 1}: {message}"
        problems.append(Problem(message, lines.find(path)))
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    raise ScenarioError(problems, source)


def _read_uncertainty(table: Any, problem: Callable[[tuple[Any, ...], str], None]) -> Uncertainty | None:
    """The [uncertainty] table: Monte Carlo settings, per-scenario ranges and drift."""
    if not isinstance(table, dict):
        problem(("uncertainty",), "uncertainty must be a table: an [uncertainty] section")
        return None
    fields: dict[str, Any] = {}
    for key, value in table.items():
        if key not in UNCERTAINTY_KEYS:
            problem(("uncertainty", key), registry.unknown_key_message("key", key, UNCERTAINTY_KEYS))
        elif key in ("seed", "runs"):
            if isinstance(value, bool) or not isinstance(value, int):
                problem(("uncertainty", key), f"{key} must be a whole number, not {_describe(value)}")
            elif _too_large(value):
                problem(("uncertainty", key), _too_large_message(key, value))
            else:
                fields[key] = int(value)
        elif key in ("distribution", "sampling"):
            if not isinstance(value, str):
                problem(("uncertainty", key), f"{key} must be text in quotes, not {_describe(value)}")
            else:
                fields[key] = str(value)
        elif key == "drift":
            drift = _read_drift(value, problem)
            if drift is not None:
                fields["drift"] = drift
        elif not isinstance(value, dict):
            problem(("uncertainty", "ranges"), "ranges must be a table of parameter = [low, high]")
        else:
            ranges = {}
            for name, bounds in value.items():
                numbers = isinstance(bounds, list) and all(
                    isinstance(b, (int, float)) and not isinstance(b, bool) for b in bounds
                )
                if not numbers or len(bounds) != 2:
                    problem(("uncertainty", "ranges", name), f"the range of {name} must be [low, high], two numbers")
                elif any(_too_large(bound) for bound in bounds):
                    big = next(bound for bound in bounds if _too_large(bound))
                    problem(("uncertainty", "ranges", name), f"the range of {name}: {_too_large_message(name, big)}")
                else:
                    ranges[str(name)] = (float(bounds[0]), float(bounds[1]))
            fields["ranges"] = ranges
    return Uncertainty(**fields) if fields else None if not table else Uncertainty()


def _read_drift(
    value: Any, problem: Callable[[tuple[Any, ...], str], None]
) -> dict[str, float | None] | list[str] | None:
    """``drift``: ``{ key = percent, ... }``, or ``["key", ...]`` for the registry's defaults (docs/model.md, Drift).

    Which keys may drift, and how far, is the scenario's own check; here only the shape.
    """
    where = ("uncertainty", "drift")
    if isinstance(value, list):
        if not all(isinstance(name, str) for name in value):
            problem(where, DRIFT_SHAPE)
            return None
        return [str(name) for name in value]
    if not isinstance(value, dict):
        problem(where, DRIFT_SHAPE)
        return None
    drift: dict[str, float | None] = {}
    for name, volatility in value.items():
        if isinstance(volatility, bool) or not isinstance(volatility, (int, float)):
            problem(
                (*where, name), f"the drift of {name} must be a number of percent a month, not {_describe(volatility)}"
            )
        elif _too_large(volatility):
            problem((*where, name), f"the drift of {name}: {_too_large_message(name, volatility)}")
        else:
            drift[str(name)] = float(volatility)
    return drift


def _change_field(path: tuple[Any, ...]) -> tuple[Any, ...]:
    if len(path) == 3 and path[2] == "month":
        return (*path[:2], "from")
    return path


def _unvalidated(**fields: Any) -> Scenario:
    """A Scenario built without running its checks, so that its problems can be listed."""
    scenario = object.__new__(Scenario)
    for attribute in attrs.fields(Scenario):
        name = attribute.name
        value = fields.get(name, attribute.default)
        factory = getattr(value, "factory", None)  # a default made afresh for each scenario
        if callable(factory):
            value = factory()
        # Scenario's converters are plain functions of the value (attrs' stubs call each a Converter).
        converter: Callable[[Any], Any] | None = getattr(attribute, "converter", None)
        if converter is not None:
            value = converter(value)
        object.__setattr__(scenario, name, value)
    return scenario


# Below this size tomlkit is quick whatever the shape, and its syntax messages are the kinder.
_SMALL = 64 * 1024


def parse_document(text: str, source: str | None = None) -> tomlkit.TOMLDocument:
    """The document, comments and all; a ScenarioError if it is not TOML or not a scenario's shape.

    The fast standard parser reads first (see :mod:`ammoflow.scenarios.files.tomlshape`), so that no file
    under the size limit keeps tomlkit busy for long.
    """
    not_toml = None
    try:
        tomlshape.load(text, source, "a scenario file", find=lambda path: _KeyLines(text).find(path))
    except tomlshape.NotToml as exc:
        if len(text) > _SMALL:
            raise
        not_toml = exc
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        message = re.sub(r" at line \d+ col \d+$", "", str(exc))
        line, column = _position(text, exc.line, exc.col)
        raise ScenarioError([Problem(f"not valid TOML: {message}", line, column)], source) from None
    except tomlkit.exceptions.TOMLKitError as exc:
        # A key written twice in one table is reported without a line: find the second one.
        repeated = _KeyLines(text).repeated
        second, key = repeated[0] if repeated else (None, None)
        message = f'"{key}" is written twice; keep one' if key else f"not valid TOML: {exc}"
        raise ScenarioError([Problem(message, second)], source) from None
    except RecursionError:
        raise ScenarioError([tomlshape.too_deep(text, "a scenario file")], source) from None
    if not_toml is not None:  # tomlkit took what the standard parser refused: the standard wins
        raise not_toml
    return document


def _position(text: str, line: int, col: int) -> tuple[int, int]:
    """tomlkit's line and column as an editor counts them (1-based, only "\\n" ends a line).

    tomlkit counts lines with ``str.splitlines``, so a U+2028 or a form feed in a comment
    would move every later line number: its line and column are turned back into an offset
    the way it made them, then counted again.
    """
    lines = text.splitlines(keepends=True)
    offset = sum(len(part) for part in lines[: line - 1]) + col
    offset = max(0, min(offset, len(text)))
    start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - start + 1


def key_lines(text: str) -> Callable[[tuple[Any, ...]], int | None]:
    """Where each key of a TOML text is written: a function from a key path to its line."""
    return _KeyLines(text).find


def _too_large(value: Any) -> bool:
    """A whole number no float can hold (TOML integers have no limit), or one past any use here."""
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63


def _too_large_message(key: str, value: float) -> str:
    parameter = registry.BY_KEY.get(key)
    if parameter is None:
        return f"{key} = {_describe(value)} is too large a number"
    low, high = format_number(parameter.low), format_number(parameter.high)
    return f"{key} = {_describe(value)} is outside its range {low} to {high} {parameter.unit}"


def _describe(value: Any) -> str:
    """What a value is, in words, with the value itself where it is short."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f"text '{excerpt(value, 60)}'"
    if _too_large(value):
        return f"a number of {len(str(abs(value)))} digits"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return f"a date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


class _KeyLines:
    """Line numbers of the keys in a TOML text, found by reading it line by line.

    Paths are ("name",), ("parameters", "ru_fire_rate"), ("changes", 0, "value") ...
    A path not found falls back to its nearest parent that was.
    """

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*|\"[^\"]*\")\s*=")

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple[Any, ...], int] = {}
        self.repeated: list[tuple[int, str]] = []
        prefix: tuple[Any, ...] = ()
        counts: dict[str, int] = {}
        open_quote: str | None = None
        # Only "\n" ends a line in TOML: U+2028, form feeds and the like inside a comment do not.
        for number, line in enumerate(text.split("\n"), start=1):
            if open_quote is not None:  # inside a multi-line string: nothing here is a key
                if line.count(open_quote) % 2 == 1:
                    open_quote = None
                continue
            header = self._HEADER.match(line)
            if header:
                name = header[2].strip().strip("\"'")
                if header[1] == "[[":
                    index = counts.get(name, 0)
                    counts[name] = index + 1
                    parts = tuple(part.strip() for part in name.split("."))
                    prefix = (*parts, index)
                else:
                    prefix = tuple(part.strip() for part in name.split("."))
                self._mark(prefix, number)
                continue
            key = self._KEY.match(line)
            if key:
                quoted = key[1].startswith('"')  # "app.save" is one key, not app then save
                parts = (key[1][1:-1],) if quoted else tuple(part.strip() for part in key[1].split("."))
                path = (*prefix, *parts)
                if path in self.lines:
                    self.repeated.append((number, ".".join(str(p) for p in path)))
                self._mark(path, number)
                for quote in ('"""', "'''"):
                    if line.count(quote) % 2 == 1:
                        open_quote = quote

    def _mark(self, path: tuple[Any, ...], number: int) -> None:
        """``path`` and every table above it first appear no later than line ``number``."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                break
            self.lines[path[:end]] = number

    def find(self, path: tuple[Any, ...]) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


# -- writing -------------------------------------------------------------------------

BOM = "\ufeff"  # a byte-order mark, as some editors write: kept where the file had one


def scenario_text(scenario: Scenario, original: str | None = None, source: str | None = None) -> str:
    """The TOML for ``scenario``; given the file's current text, keep its comments, order and line endings.

    The text is read back before it is returned: one that would not read as ``scenario`` is a
    ScenarioError (naming ``source``), so it is never written.
    """
    document, bom, crlf = None, "", False
    if original is not None:
        bom = BOM if original.startswith(BOM) else ""
        body = original.removeprefix(BOM)
        crlf = body.count("\n") == body.count("\r\n") > 0  # mixed endings: new lines get plain \n
        if body and not body.endswith("\n"):
            # Whatever is appended must start on a line of its own, not after a value or inside a comment.
            body += "\r\n" if crlf else "\n"
        try:
            document = tomlkit.parse(body)
        except tomlkit.exceptions.TOMLKitError:
            document = None
    if document is None:
        text = body = _new_document(scenario)
    else:
        try:
            _update_document(document, scenario, crlf=crlf)
            body = tomlkit.dumps(document)
        except tomlkit.exceptions.TOMLKitError as exc:
            raise ScenarioError(f"not saved: the file's layout could not take the change ({exc})", source) from None
        if crlf:
            body = re.sub(r"(?<!\r)\n", "\r\n", body)  # what was added gets the file's line endings
        text = bom + body
    _check_reads_back(body, scenario, source)
    return text


def _check_reads_back(text: str, scenario: Scenario, source: str | None) -> None:
    refusal = "not saved: the text to be written would not read back as this scenario ({}); nothing was written"
    try:
        written = parse_scenario(text)
    except ScenarioError as exc:
        raise ScenarioError(refusal.format(exc.problems[0].message), source) from None
    if written != scenario:
        fields = [field.name for field in attrs.fields(Scenario)]
        different = [name for name in fields if getattr(written, name) != getattr(scenario, name)]
        raise ScenarioError(refusal.format(f"{', '.join(different)} would differ"), source)


def _number(value: float) -> Any:
    if value == int(value) and abs(value) < 2**53:
        whole = int(value)
        return tomlkit.integer(f"{whole:_}" if abs(whole) >= 10_000 else str(whole))
    return tomlkit.float_(repr(float(value)))


def _new_document(scenario: Scenario) -> str:
    doc = tomlkit.document()
    doc.add(tomlkit.comment("ammoflow scenario: edit by hand, or in the explorer (ammoflow FILE)."))
    doc.add(tomlkit.comment("Parameters left out take their defaults; see `ammoflow params`."))
    doc.add("format", FORMAT_VERSION)
    doc.add("name", scenario.name)
    doc.add("description", _text(scenario.description))
    doc.add("start", scenario.start)
    doc.add("months", scenario.months)
    if scenario.notes:
        doc.add("notes", _text(scenario.notes))
    doc.add(tomlkit.nl())
    doc.add("parameters", _parameters_table(scenario))
    if scenario.changes:
        doc.add(tomlkit.nl())
        doc.add("changes", _changes_array(scenario.changes))
    if scenario.uncertainty != Uncertainty():
        doc.add(tomlkit.nl())
        doc.add("uncertainty", _uncertainty_table(scenario.uncertainty))
    return tomlkit.dumps(doc)


def _uncertainty_table(uncertainty: Uncertainty) -> Table:
    table = tomlkit.table()
    table.add(tomlkit.comment("Monte Carlo: each parameter drawn from its range (`ammoflow params`)."))
    table.add("seed", uncertainty.seed)
    table.add("runs", uncertainty.runs)
    table.add("distribution", uncertainty.distribution)
    table.add("sampling", uncertainty.sampling)
    if uncertainty.ranges:
        ranges = tomlkit.table()
        for key, (low, high) in uncertainty.ranges.items():
            bounds = tomlkit.array()
            bounds.extend([_number(low), _number(high)])
            ranges.add(key, bounds)
        table.add("ranges", ranges)
    if uncertainty.drift:
        table.add(tomlkit.comment("Drift: parameter = percent a month its rate wanders in each run (docs/model.md)."))
        table.add("drift", _drift_item(uncertainty))
    return table


def _drift_item(uncertainty: Uncertainty) -> Any:
    """A list of keys when every drift takes its default, else ``{ key = percent }`` with defaults written out."""
    if all(volatility is None for volatility in uncertainty.drift.values()):
        names = tomlkit.array()
        names.extend(list(uncertainty.drift))
        return names
    volatilities = uncertainty.volatilities()
    table = tomlkit.inline_table()
    for key in uncertainty.drift:
        table.append(key, _number(volatilities[key]))
    return table


def _text(value: str, crlf: bool = False) -> Any:
    """Multi-line text as a TOML multi-line string, written so it reads back exactly.

    In a file with CRLF line endings, a line break inside a string would be written as CRLF and
    read back as one: there it is written as an escape on a single line instead.
    """
    if "\n" in value and not crlf:
        return tomlkit.string(value, multiline=True)
    return value


def _parameters_table(scenario: Scenario) -> Table:
    table = tomlkit.table()
    for group, title in registry.GROUPS:
        table.add(tomlkit.comment(title))
        for parameter in registry.in_group(group):
            item = _number(scenario.values[parameter.key])
            item.comment(parameter.unit)
            table.add(parameter.key, item)
    return table


def _change_table(change: Change) -> Table:
    entry = tomlkit.table()
    entry.add("from", change.month)
    entry.add("parameter", change.parameter)
    entry.add("value", _number(change.value))
    if change.over:
        entry.add("over", change.over)
    return entry


def _changes_array(changes: Iterable[Change]) -> AoT:
    array = tomlkit.aot()
    for change in changes:
        array.append(_change_table(change))
    return array


def _update_document(doc: tomlkit.TOMLDocument, scenario: Scenario, *, crlf: bool = False) -> None:
    """Put ``scenario``'s values into an existing document, touching only what changed."""
    doc["format"] = FORMAT_VERSION
    for key in ("name", "description", "start", "notes"):
        value = getattr(scenario, key)
        if key in doc:
            if doc[key] != value:
                doc[key] = _text(value, crlf)
        elif value:
            doc[key] = _text(value, crlf)
    if doc.get("months") != scenario.months:
        doc["months"] = scenario.months
    parameters = doc.get("parameters")
    if not isinstance(parameters, dict):
        if "parameters" in doc:
            del doc["parameters"]
        doc["parameters"] = _parameters_table(scenario)
    else:
        for parameter in registry.PARAMETERS:
            value = scenario.values[parameter.key]
            if parameter.key in parameters:
                if float(parameters[parameter.key]) != value:
                    _replace_number(parameters, parameter.key, value)
            elif value != parameter.default:
                item = _number(value)
                item.comment(parameter.unit)
                parameters[parameter.key] = item
    _update_changes(doc, scenario.changes)
    _update_uncertainty(doc, scenario.uncertainty)


def _replace_number(table: Any, key: str, value: float) -> None:
    """Write a new number at ``key``, keeping the spacing and comment after the old one exactly as written."""
    old = getattr(table[key], "trivia", None)
    item = _number(value)
    if old is not None:
        item.trivia.comment_ws, item.trivia.comment = old.comment_ws, old.comment
    table[key] = item


def _update_uncertainty(doc: tomlkit.TOMLDocument, uncertainty: Uncertainty) -> None:
    """Edit the [uncertainty] table where its settings changed, so comments in it survive.

    Each setting that changed is written in its place (a new one at the end); a table that
    no longer reads cleanly, or settings back to the defaults, are written anew or removed.
    """
    existing = doc.get("uncertainty")
    if isinstance(existing, dict):
        troubles: list[str] = []
        current = _read_uncertainty(existing, lambda _path, message: troubles.append(message)) or Uncertainty()
        if current == uncertainty:
            return
        if not troubles and uncertainty != Uncertainty():
            _edit_uncertainty(existing, current, uncertainty)
            return
        del doc["uncertainty"]
    if uncertainty != Uncertainty():
        doc["uncertainty"] = _uncertainty_table(uncertainty)


def _edit_uncertainty(table: Any, current: Uncertainty, wanted: Uncertainty) -> None:
    """Write into ``table`` only the settings of ``wanted`` that differ from ``current``."""
    for key in ("seed", "runs"):
        if getattr(current, key) != getattr(wanted, key):
            if key in table:
                _replace_number(table, key, getattr(wanted, key))
            else:
                table[key] = getattr(wanted, key)
    for key in ("distribution", "sampling"):
        if getattr(current, key) != getattr(wanted, key):
            table[key] = getattr(wanted, key)
    if current.ranges != wanted.ranges or current.drift != wanted.drift:
        fresh = _uncertainty_table(wanted)
        for key in ("ranges", "drift"):
            if getattr(current, key) == getattr(wanted, key):
                continue
            if key not in fresh:
                table.pop(key, None)
                continue
            item = fresh[key]
            old = getattr(table.get(key), "trivia", None)
            if old is not None and hasattr(item, "trivia"):  # the comment after it stays
                item.trivia.comment_ws, item.trivia.comment = old.comment_ws, old.comment
            table[key] = item  # in its place when it was there


def _update_changes(doc: tomlkit.TOMLDocument, changes: tuple[Change, ...]) -> None:
    """Edit the [[changes]] list in place: kept entries keep their comments and order."""
    existing = doc.get("changes")
    if not isinstance(existing, (AoT, Array)) or not all(isinstance(entry, dict) for entry in existing):
        if "changes" in doc:
            del doc["changes"]
        if changes:
            doc["changes"] = _changes_array(changes)
        return
    wanted = list(changes)
    for index in reversed(range(len(existing))):
        entry = existing[index]
        match = next(
            (c for c in wanted if (c.month, c.parameter) == (str(entry.get("from")), str(entry.get("parameter")))),
            None,
        )
        if match is None:
            del existing[index]
            continue
        wanted.remove(match)
        value = entry.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or float(value) != match.value:
            _replace_number(entry, "value", match.value)
        if entry.get("over", 0) != match.over:
            if match.over:
                entry["over"] = match.over
            else:
                del entry["over"]
    for change in wanted:
        if isinstance(existing, AoT):
            existing.append(_change_table(change))
        else:  # changes = [{...}, ...]: another inline table, on a line of its own (not after a comment)
            existing.add_line(_inline_change(change), indent="  ")
    if not len(existing) and isinstance(existing, AoT):
        del doc["changes"]  # an inline list stays, as `changes = []`, with any comments on its lines


def _inline_change(change: Change) -> Any:
    entry = tomlkit.inline_table()
    entry.update({"from": change.month, "parameter": change.parameter, "value": _number(change.value)})
    if change.over:
        entry["over"] = change.over
    return entry


def write_scenario(scenario: Scenario, path: str | Path, *, replace: bool = False, template: str | None = None) -> None:
    """Save where ``path`` leads (files.safe_write), only once the text reads back as ``scenario``.

    Saving over the scenario file the user is working on keeps its comments, key order, line
    endings and byte-order mark; ``replace`` (saving as another file, over whatever it held)
    writes a fresh file, or one laid out as ``template`` (the text of the file or preset the
    scenario came from, whose comments it keeps). A file on disk that is not a valid scenario
    is never merged into: it is replaced.
    """
    original = template if replace else current_scenario_text(Path(path))
    write_atomic(path, scenario_text(scenario, original, source=str(path)))


def current_scenario_text(path: Path) -> str | None:
    """The text of the valid scenario file at ``path`` (byte-order mark kept), or None.

    Only a regular file (through any symbolic link) is read: a FIFO or a device is written to,
    never read from.
    """
    try:
        target = path.resolve()
        if not stat.S_ISREG(target.stat().st_mode):
            return None
        with target.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            return None
        original = data.decode("utf-8")
        parse_scenario(original.removeprefix(BOM))
    except (OSError, RuntimeError, UnicodeDecodeError, ScenarioError):
        return None
    return original
