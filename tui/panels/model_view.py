"""The model on screen: the pipeline from North Korean lines to Russian fire, with one month's numbers.

A text diagram of the stocks and flows of docs/model.md ("One month"), each arrow labelled
with its flow in the month shown (the charts' cursor month, or the first), and under it the
same equations in words. The numbers are the projection's own columns and the parameters
in force that month, so the diagram always adds up to what the charts and the table show.
"""

from __future__ import annotations

import textwrap

import polars as pl
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ammoflow.scenarios.model.numbers import format_count, format_whole
from ammoflow.scenarios.model.scenario import Scenario

__all__ = ["EQUATIONS", "ModelView", "model_diagram"]

EQUATIONS = """\
How a month is projected (docs/model.md, "One month"):

• North Korea's output for Russia = the Russia-order lines' capacity × their utilisation.
• Available in North Korea = last month's stock + this output.
• A container holds 152 mm shells or 122 mm rockets; the rounds a container carries are
  the two mixed by the share of containers carrying rockets.
• Shipped = containers a month × rounds a container, but never drawing North Korea's
  stock below the reserve it keeps back. The stock left is available − shipped.
• A shipment reaches Russia's stocks the transit time after it leaves (the transit in
  force when it left), so every round shipped arrives once.
• Russia's demand = its fire rate (rounds a day) × the days of the month.
• Supply = Russia's own production + other imports + the arrivals from North Korea.
• Fired = the demand, or all Russia has if that is less; the rest is the shortfall.
  Russia's stock left is last month's stock + supply − fired.
• Containers sent back = containers received × the return ratio; food to North Korea =
  the containers sent back × the tonnes a container holds."""


NOTE_INDENT = "    "
"""Where a note starts when it sits under its line rather than beside it."""


def model_diagram(scenario: Scenario, frame: pl.DataFrame, index: int, width: int | None = None) -> str:
    """The pipeline in month ``index`` of ``frame`` (kept within the months), as lines of text.

    Each stock is a ledger (at the start, + in, − out, = at the end), the flows between them
    drawn as arrows, so the month's numbers add up on screen as they do in the model. The
    notes (containers, reserve, demand) stand beside their lines when every one fits in
    ``width`` columns, else each goes under its line, wrapped to ``width``: a note cut at the
    edge would read as a number of its own ("1," for "1,100 containers").
    """
    index = min(max(index, 0), frame.height - 1)
    row = frame.row(index, named=True)

    def n(column: str) -> float:
        return float(row[column])

    def p(key: str) -> float:
        return scenario.series(key)[index]

    nk_start = scenario.values["nk_stock_initial"] if index == 0 else float(frame["nk_stock"][index - 1])
    ru_start = scenario.values["ru_stock_initial"] if index == 0 else float(frame["ru_stock"][index - 1])
    ledger: list[tuple[str, str, float | None, str]] = [
        ("", "NORTH KOREA", None, ""),
        (" ", "stock at the start", nk_start, ""),
        ("+", "output for Russia", n("nk_production_russia"), ""),
        ("−", "shipped to Russia", n("rounds_shipped"), f"{format_whole(n('containers_shipped'))} containers"),
        ("=", "stock at month end", n("nk_stock"), f"reserve kept back {format_whole(p('nk_reserve'))}"),
        ("", f"   │ in transit {format_count(p('transit_months'), 'month')}", None, ""),
        ("", "   ▼", None, ""),
        ("", "RUSSIA", None, ""),
        (" ", "stock at the start", ru_start, ""),
        ("+", "arrived from North Korea", n("ru_arrivals"), ""),
        ("+", "own production", p("ru_production"), ""),
        ("+", "other imports", p("ru_other_imports"), ""),
        ("−", "fired", n("ru_fired"), f"of a demand of {format_whole(n('ru_demand'))}"),
        ("=", "stock at month end", n("ru_stock"), ""),
        (" ", "shortfall", n("ru_shortfall"), f"demand not fired; {format_whole(p('ru_fire_rate'))} a day wanted"),
        ("", "   │ containers back", None, ""),
        ("", "   ▼", None, ""),
        ("", "NORTH KOREA, IN RETURN", None, ""),
        (" ", "containers sent back", n("return_containers"), ""),
        (" ", "food, tonnes", n("food_tonnes"), ""),
    ]
    values = [format_whole(value) for _, _, value, _ in ledger if value is not None]
    value_width = max(len(text) for text in values)
    label_width = max(len(label) for _, label, value, _ in ledger if value is not None)
    entries = [
        (label if value is None else f"{sign} {label:<{label_width}} {format_whole(value):>{value_width}}", note)
        for sign, label, value, note in ledger
    ]
    beside = width is None or all(len(line) + 3 + len(note) <= width for line, note in entries if note)
    lines = [f"{row['month']}, {format_count(n('days'), 'day')}: rounds unless named", ""]
    for line, note in entries:
        if not note:
            lines.append(line)
        elif beside:
            lines.append(f"{line}   {note}")
        else:
            lines.append(line)
            lines.extend(
                textwrap.wrap(
                    note,
                    max(width or 0, len(NOTE_INDENT) + 8),
                    initial_indent=NOTE_INDENT,
                    subsequent_indent=NOTE_INDENT,
                )
            )
    return "\n".join(lines)


class ModelView(VerticalScroll):
    """The diagram of one month and the equations, scrollable on small screens.

    The diagram is laid out for the view's width, again when that changes: its notes move
    under their lines where they would not fit beside them. Only a view narrower than the
    ledger itself scrolls sideways.
    """

    DEFAULT_CSS = """
    ModelView { height: 1fr; padding: 0 1; overflow-x: auto; }
    ModelView > #model-diagram { width: auto; }
    ModelView > #model-equations { width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[Scenario, pl.DataFrame, int] | None = None
        self._drawn: tuple[tuple[Scenario, pl.DataFrame, int], int] | None = None
        """What the diagram shows, and at what width (compared by identity: a frame has no truth value)."""

    def compose(self) -> ComposeResult:
        yield Static(id="model-diagram")
        yield Static(Text(f"\n{EQUATIONS}"), id="model-equations")

    def show(self, scenario: Scenario, frame: pl.DataFrame, index: int | None) -> None:
        """The month ``index`` (the first when None) of ``frame``."""
        self._shown = (scenario, frame, index or 0)
        self._draw()

    def on_resize(self, _event: events.Resize) -> None:
        self._draw()

    def _draw(self) -> None:
        """The diagram for the width the view gives it now (left as it is when nothing changed)."""
        if self._shown is None:
            return
        # The room inside the padding, less a vertical scrollbar: the diagram is taller than
        # the small screens where the width matters.
        width = max(self.size.width - self.styles.scrollbar_size_vertical, 1)
        drawn = self._drawn
        if drawn is not None and drawn[1] == width and all(a is b for a, b in zip(drawn[0], self._shown, strict=True)):
            return
        self._drawn = (self._shown, width)
        self.query_one("#model-diagram", Static).update(Text(model_diagram(*self._shown, width=width)))
