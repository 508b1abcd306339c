"""Rows of cells to Rich segments: the one renderer every drawn widget paints with.

A row (:mod:`ammoflow.tui.render.cells`) becomes one :class:`~rich.segment.Segment` per
run of equally coded cells, the code's style looked up in a table. Blank cells join the
run they precede or follow: a blank cell looks the same in any style without underline
or reverse (and no drawing uses them), so folding blanks into a neighbouring run roughly
halves the number of segments, and so of escape sequences sent to the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rich.segment import Segment
from rich.style import Style

from ammoflow.tui.render.cells import BLANK, Row

__all__ = ["row_segments"]

_RUNS = re.compile(r" *([^ ])(?:\1| )*| +", re.DOTALL)
"""Runs of one style code, blank cells joining the run they precede or follow."""


def row_segments(row: Row, styles: Mapping[str, Style]) -> list[Segment]:
    """The segments that paint ``row``; a code missing from ``styles`` paints as blank."""
    text, codes = row
    fallback = styles[BLANK]
    return [
        Segment(text[match.start() : match.end()], styles.get(match.group(1) or BLANK, fallback))
        for match in _RUNS.finditer(codes)
    ]
