"""The parameter reference, generated from the registry for `ammoflow params` and the README."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ammoflow.scenarios.model.numbers import format_number
from ammoflow.scenarios.model.registry import GROUPS, PARAMETERS, in_group

MARKDOWN_HEADER = "| key | label | unit | default | slider range | uncertainty | source |"


def _range(low: float, high: float) -> str:
    return f"{format_number(low)}-{format_number(high)}"


def parameters_markdown() -> str:
    """The README's parameter table (the README test checks they agree)."""
    lines = [MARKDOWN_HEADER, "|---|---|---|---|---|---|---|"]
    for p in PARAMETERS:
        cells = [
            f"`{p.key}`",
            p.label,
            p.unit,
            format_number(p.default),
            _range(p.low, p.high),
            _range(*p.uncertainty),
            p.source.replace("|", "/"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def parameters_json() -> str:
    return json.dumps(
        [
            {
                "key": p.key,
                "label": p.label,
                "unit": p.unit,
                "group": p.group,
                "default": p.default,
                "low": p.low,
                "high": p.high,
                "step": p.step,
                "coarse_step": p.coarse_step,
                "uncertainty": list(p.uncertainty),
                "changes_over_time": p.changes_over_time,
                "description": p.description,
                "source": p.source,
            }
            for p in PARAMETERS
        ],
        indent=2,
    )


def parameters_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["key", "label", "unit", "default", "low", "high", "uncertainty_low", "uncertainty_high", "source"])
    for p in PARAMETERS:
        writer.writerow([p.key, p.label, p.unit, p.default, p.low, p.high, *p.uncertainty, p.source])
    return buffer.getvalue()


def parameters_table() -> Any:
    from rich.table import Table

    table = Table(box=None, pad_edge=False, show_lines=False)
    table.add_column("key", overflow="fold")
    table.add_column("default", justify="right")
    table.add_column("unit")
    table.add_column("range", justify="right")
    table.add_column("uncertain", justify="right")
    for group, title in GROUPS:
        table.add_row(f"[bold]{title}[/bold]")
        for p in in_group(group):
            table.add_row(p.key, format_number(p.default), p.unit, _range(p.low, p.high), _range(*p.uncertainty))
    return table


def parameters_sources() -> Any:
    """Each parameter's source in full, under its key, wrapped to the width given when printed.

    The sources are sentences, often with a quotation: as a table column they would need a
    very wide terminal, so they get a view of their own that reads at 80 columns.
    """
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    parts: list[Any] = []
    for group, title in GROUPS:
        parts.append(Text(title, style="bold"))
        for p in in_group(group):
            parts.append(Padding(Text(p.key), (0, 0, 0, 2)))
            parts.append(Padding(Text(p.source or "(no source given)", style="dim"), (0, 0, 0, 4)))
    return Group(*parts)
