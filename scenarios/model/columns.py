"""The projection's output columns: the one list, in the contract's order, with units (docs/model.md).

Both engines produce these columns in this order, the command line writes them, and the
explorer's charts draw some of them (:data:`CHARTED`). A column is added here and in
docs/model.md's "Output columns", and nowhere else.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class Column:
    """One output column: its name in files, its unit and what it holds (docs/model.md, "One month")."""

    name: str
    unit: str
    meaning: str


OUTPUT: tuple[Column, ...] = (
    Column("month", "YYYY-MM", "the calendar month"),
    Column("days", "days", "days in the month"),
    Column("nk_production_russia", "rounds", "North Korea's output for Russia (prod_r)"),
    Column("nk_production_other", "rounds", "North Korea's output for others, reported only (prod_o)"),
    Column("rounds_shipped", "rounds", "rounds leaving North Korea (shipped)"),
    Column("containers_shipped", "containers", "containers leaving North Korea (containers)"),
    Column("shells_152_shipped", "rounds", "152 mm shells among the rounds shipped"),
    Column("rockets_122_shipped", "rounds", "122 mm rockets among the rounds shipped"),
    Column("cumulative_containers", "containers", "containers shipped since the start"),
    Column("cumulative_rounds", "rounds", "rounds shipped since the start"),
    Column("nk_stock", "rounds", "North Korea's exportable stock at month end"),
    Column("ru_arrivals", "rounds", "North Korean rounds reaching Russia's stocks (arrivals)"),
    Column("ru_supply", "rounds", "all new Russian supply: production, other imports, arrivals"),
    Column("ru_demand", "rounds", "what Russia would fire (demand)"),
    Column("ru_fired", "rounds", "what Russia fired (fired)"),
    Column("ru_shortfall", "rounds", "demand not fired (shortfall)"),
    Column("ru_stock", "rounds", "Russia's stock at month end"),
    Column("return_containers", "containers", "containers sent back to North Korea (return_c)"),
    Column("food_tonnes", "tonnes", "food in the returned containers (food)"),
)
COLUMNS: tuple[str, ...] = tuple(column.name for column in OUTPUT)
"""Every output column's name, in the contract's order."""
NUMBER_COLUMNS: tuple[str, ...] = COLUMNS[1:]
"""Every column but ``month``: what a batch of runs holds and a simulation may keep."""

CHARTED: tuple[str, ...] = (
    "cumulative_containers",
    "cumulative_rounds",
    "nk_stock",
    "ru_stock",
    "ru_demand",
    "ru_fired",
    "ru_shortfall",
    "nk_production_russia",
    "rounds_shipped",
    "ru_arrivals",
)
"""The output columns the explorer's charts draw, so the ones a simulation keeps unless told otherwise.

The chart tabs (``ammoflow.tui.panels.chart_tabs``) draw uncertainty bands for these and no
others; inputs such as Russia's production are not output columns and have none.
"""
