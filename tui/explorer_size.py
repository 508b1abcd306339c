"""The explorer at any terminal size: the layout's classes, the tabs' labels, and the "too small" note.

While the terminal is too small the note stands in for the explorer; the focus it had is
given back when the terminal grows again.
"""

from __future__ import annotations

from textual import events
from textual.widgets import TabbedContent, TabPane, Tabs

from ammoflow.scenarios.model import registry
from ammoflow.tui.explorer_base import (
    FULL_HEIGHT,
    FULL_WIDTH,
    MIN_HEIGHT,
    MIN_WIDTH,
    TAB_TITLES,
    ExplorerBase,
    title_for,
)
from ammoflow.tui.panels import tab_labels
from ammoflow.tui.panels.figures import KeyFiguresView


class ExplorerSizing(ExplorerBase):
    """The layout follows the terminal's size."""

    def on_resize(self, event: events.Resize) -> None:
        self._apply_size(event.size.width, event.size.height)
        ws = self.workspace
        self.app.sub_title = title_for(ws.scenario.name, ws.path, ws.modified, event.size.width)
        self.call_after_refresh(self._fit_tab_labels)

    def _fit_tab_labels(self) -> None:
        """Tab labels short enough that every tab shows in the bar (see tab_labels)."""
        tabbed = self.query_one("#tabs", TabbedContent)
        bar = tabbed.query_one(Tabs)
        if not bar.size.width:
            return
        panes = list(tabbed.query(TabPane))
        chosen = tab_labels.fitting([TAB_TITLES[pane.id or ""] for pane in panes], bar.size.width)
        for pane, label in zip(panes, chosen.labels, strict=True):
            tab = tabbed.get_tab(pane)
            tab.label = label
            tab.styles.padding = (0, chosen.padding[1], 0, chosen.padding[0])

    @property
    def too_small(self) -> bool:
        """Whether the terminal is too small and the note stands in for the explorer."""
        return self.has_class("-too-small")

    def _apply_size(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        compact = width < FULL_WIDTH or height < FULL_HEIGHT
        if small and not self.too_small:
            # Hidden widgets lose the focus: remember where it was, to give it back.
            self._focus_before_small = self.focused
        elif not small and self.too_small:
            self.call_after_refresh(self._refocus_after_small)
        self.set_class(small, "-too-small")
        self.set_class(compact, "-compact")
        # Between the full layout and a wide one, rows take two lines so the chart keeps its width.
        self.set_class(not compact and width < 120, "-medium")
        # Below 80 columns the chart gets the room: narrower parameters, the figures in their tab.
        self.set_class(width < 80, "-narrow")
        self._place_figures()
        self.query_one("#figures", KeyFiguresView).set_compact(compact)

    def _refocus_after_small(self) -> None:
        """The focus back where it was before the note, or on the first parameter."""
        before, self._focus_before_small = self._focus_before_small, None
        if before is not None and before.is_attached and before.focusable:
            before.focus()
        elif self.focused is None:
            self._parameters.focus_parameter(registry.KEYS[0])
