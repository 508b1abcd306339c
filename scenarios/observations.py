"""Public, dated figures (cumulative containers and rounds) to hold projections against."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import attrs

from scenarios.errors import Problem, ScenarioError

SHIPPED = Path(__file__).parent / "data" / "observations.csv"
METRICS = ("cumulative_containers", "cumulative_rounds")
FIELDS = ("date", "metric", "value", "qualifier", "claimant", "reported_by", "note")


@attrs.frozen
class Observation:
    day: date
    metric: str
    value: float
    qualifier: str = ""
    claimant: str = ""
    reported_by: str = ""
    note: str = ""


def read_observations(path: str | Path | None = None) -> tuple[Observation, ...]:
    """The shipped observations, or a user's file in the same CSV layout."""
    path = Path(path) if path is not None else SHIPPED
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError("file not found", source) from None
    except UnicodeDecodeError:
        raise ScenarioError("not UTF-8 text (is this an observations CSV?)", source) from None
    except OSError as exc:
        raise ScenarioError(f"cannot read: {exc.strerror or exc}", source) from None
    reader = csv.DictReader(text.splitlines())
    missing = [name for name in ("date", "metric", "value") if name not in (reader.fieldnames or [])]
    if missing:
        raise ScenarioError(f"missing column(s) {', '.join(missing)}; the header needs {','.join(FIELDS)}", source)
    found: list[Observation] = []
    problems: list[Problem] = []
    for row in reader:
        line = reader.line_num
        try:
            day = date.fromisoformat((row["date"] or "").strip())
        except ValueError:
            problems.append(Problem(f'date "{row["date"]}" is not a date (YYYY-MM-DD)', line))
            continue
        metric = (row["metric"] or "").strip()
        if metric not in METRICS:
            problems.append(Problem(f'metric "{metric}" is not one of {", ".join(METRICS)}', line))
            continue
        try:
            value = float((row["value"] or "").replace(",", "").replace("_", ""))
        except ValueError:
            problems.append(Problem(f'value "{row["value"]}" is not a number', line))
            continue
        extra = {name: (row.get(name) or "").strip() for name in FIELDS[3:]}
        found.append(Observation(day, metric, value, **extra))
    if problems:
        raise ScenarioError(problems, source)
    return tuple(sorted(found, key=lambda o: (o.day, o.metric)))
