"""Tab labels that fit the tab bar: every tab stays visible, so no view hides off its edge.

The richest set that fits is chosen: the full names, then shorter names, then each with a
single space between tabs in place of Textual's two. Below the narrowest set (a terminal
under about 60 columns wide) the tab bar scrolls to keep the active tab in view, as Textual's does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

SHORTER: Mapping[str, str] = {
    "Shipped": "Ship",
    "Figures": "Figs",
    "Changes": "Chgs",
    "Tornado": "Torn",
    "Observed": "Obsvd",
}
"""The longest names shortened, the rest kept whole."""

SHORTEST: Mapping[str, str] = {
    "Shipped": "Ship",
    "Rounds": "Rnds",
    "Stocks": "Stck",
    "Front": "Frnt",
    "Flows": "Flow",
    "Figures": "Figs",
    "Changes": "Chgs",
    "Tornado": "Torn",
    "Table": "Tabl",
    "Observed": "Obsv",
    "Model": "Modl",
}
"""Four letters each: all eleven tabs fit the 58 columns the charts have at 120x40."""

TINY: Mapping[str, str] = {
    "Shipped": "Shp",
    "Rounds": "Rnd",
    "Stocks": "Stk",
    "Front": "Frt",
    "Flows": "Flw",
    "Figures": "Fig",
    "Changes": "Chg",
    "Tornado": "Trn",
    "Table": "Tbl",
    "Observed": "Obs",
    "Model": "Mdl",
}
"""Three letters each: all eleven tabs fit the 44 columns the charts have at 80x24 and 100x30."""


@attrs.frozen
class TabLabels:
    """The labels for the tabs, in order, and the blank columns on each side of a label."""

    labels: tuple[str, ...]
    padding: tuple[int, int]

    @property
    def width(self) -> int:
        left, right = self.padding
        return sum(len(label) + left + right for label in self.labels)


def fitting(titles: Sequence[str], width: int) -> TabLabels:
    """The richest labels for ``titles`` that fit in ``width`` columns (the narrowest if none fits)."""
    choices = [
        TabLabels(tuple(names.get(title, title) for title in titles), padding)
        for names in ({}, SHORTER, SHORTEST, TINY)
        for padding in ((1, 1), (1, 0))
    ]
    return next((choice for choice in choices if choice.width <= width), choices[-1])
