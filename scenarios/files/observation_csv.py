"""The observations CSV: the shipped file of public, dated figures, or a user's file in its layout."""

from __future__ import annotations

import csv
import io
import math
import re
from datetime import date
from pathlib import Path

from ammoflow.scenarios.files import reading
from ammoflow.scenarios.model.errors import Problem, ScenarioError
from ammoflow.scenarios.model.observations import METRICS, Observation

SHIPPED = Path(__file__).parent / "data" / "observations.csv"
MAX_BYTES = 16 * reading.MiB
# ASCII digits only: float() and date.fromisoformat() accept other scripts' digits and forms
# ("nan", "inf", "1e5", week dates) that have no place in a table of counts.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?|[+-]?\.[0-9]+([eE][+-]?[0-9]+)?")
FIELDS = ("date", "metric", "value", "qualifier", "claimant", "reported_by", "note")
OPTIONAL_FIELDS = ("high", "since", "tolerance")
TEXT_FIELDS = FIELDS[3:]


def read_observations(path: str | Path | None = None) -> tuple[Observation, ...]:
    """The shipped observations, or a user's file in the same CSV layout.

    Every problem is reported with its line; counts must be finite and not negative,
    since a NaN or an infinity would travel on into JSON that other programs cannot read.
    """
    path = Path(path) if path is not None else SHIPPED
    source = str(path)
    text = reading.read_text(path, MAX_BYTES, "an observations CSV")
    # newline="" lets the csv module see line ends itself: only \n and \r end a line, and a
    # quoted field may span lines, so line_num counts what an editor shows.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as exc:
        raise ScenarioError([Problem(_csv_problem(exc), reader.line_num + 1)], source) from None
    missing = [name for name in ("date", "metric", "value") if name not in fieldnames]
    if missing:
        raise ScenarioError(
            f"missing column(s) {', '.join(missing)}; the header needs {','.join(FIELDS)}"
            f" (and may add {','.join(OPTIONAL_FIELDS)})",
            source,
        )
    found: list[Observation] = []
    problems: list[Problem] = []
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            # Raised before the reader counts the line it was reading: that line is the next one.
            problems.append(Problem(_csv_problem(exc), reader.line_num + 1))
            break  # the reader cannot say where the broken line ends: stop here
        line = reader.line_num
        problem, observation = _observation(row)
        if problem:
            problems.append(Problem(problem, line))
        elif observation is not None:
            found.append(observation)
    if problems:
        raise ScenarioError(problems, source)
    return tuple(sorted(found, key=lambda o: (o.day, o.metric)))


def _shown(raw: str) -> str:
    """A field as quoted in a message: long ones cut short, so one message stays one line's worth."""
    return raw if len(raw) <= 40 else raw[:40] + "..."


def _csv_problem(exc: csv.Error) -> str:
    if "field limit" in str(exc):
        return f"a field is longer than {csv.field_size_limit():,} characters; is this an observations CSV?"
    return f"not a readable CSV line: {exc}"


def _number(raw: str, name: str, *, percent: bool = False) -> tuple[str | None, float]:
    """A count as written in a cell ("1,000", "2.5e6"; "15%" when ``percent``), or why it is not one."""
    number = raw.strip().replace(",", "").replace("_", "")
    if percent:
        number = number.removesuffix("%").rstrip()
    if not _NUMBER.fullmatch(number):
        return f'{name} "{_shown(raw)}" is not a number', 0.0
    value = float(number)
    if not math.isfinite(value):
        return f'{name} "{_shown(raw)}" is too large a number', 0.0
    if value < 0:
        return f'{name} "{_shown(raw)}" is negative; a count is 0 or more', 0.0
    return None, value


def _date(raw: str, name: str) -> tuple[str | None, date]:
    text = raw.strip()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        return None, date.fromisoformat(text)
    except ValueError:
        return f'{name} "{_shown(raw)}" is not a date (YYYY-MM-DD)', date.min


def _observation(row: dict[str, str | None]) -> tuple[str | None, Observation | None]:
    """One row as an Observation, or why it cannot be one.

    The optional cells (high, since, tolerance) are read when present; the rules that tie
    cells together (a range needs its top, a period starts before its date...) are the
    Observation's own, so a file and a program meet the same ones.
    """
    problem, day = _date(row["date"] or "", "date")
    if problem:
        return problem, None
    metric = (row["metric"] or "").strip()
    if metric not in METRICS:
        return f'metric "{metric}" is not one of {", ".join(METRICS)}', None
    problem, value = _number(row["value"] or "", "value")
    if problem:
        return problem, None
    high: float | None = None
    since: date | None = None
    tolerance: float | None = None
    if (row.get("high") or "").strip():
        problem, high = _number(row["high"] or "", "high")
    if not problem and (row.get("since") or "").strip():
        problem, since = _date(row["since"] or "", "since")
    if not problem and (row.get("tolerance") or "").strip():
        problem, tolerance = _number(row["tolerance"] or "", "tolerance", percent=True)
    if problem:
        return problem, None
    text = {name: (row.get(name) or "").strip() for name in TEXT_FIELDS}
    observation = Observation.checked(day, metric, value, **text, high=high, since=since, tolerance=tolerance)
    if isinstance(observation, str):
        return observation, None
    return None, observation
