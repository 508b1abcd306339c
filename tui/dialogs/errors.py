"""The one-line error a dialog shows under its field: marked with a sign, not only a colour.

The message often quotes what was typed or read, so its control characters are written out.
"""

from __future__ import annotations

from textual.widgets import Static

from ammoflow.scenarios.model.text import visible
from ammoflow.tui.render.marks import ERROR_MARK

__all__ = ["ERROR_MARK", "FieldErrors", "InlineError"]  # the mark is re-exported for the dialogs


class InlineError:
    """For a screen with a ``Static`` of id ``error`` under its input."""

    @property
    def error(self) -> str:
        """The message under the input ('' when there is none)."""
        error = self.query_one("#error", Static)  # type: ignore[attr-defined]
        return str(error.content) if error.has_class("-shown") else ""

    def show_error(self, message: str) -> None:
        error = self.query_one("#error", Static)  # type: ignore[attr-defined]
        error.update(f"{ERROR_MARK}{visible(message)}" if message else "")
        error.set_class(bool(message), "-shown")


class FieldErrors:
    """For a form with a ``Static`` of id ``<field>-error`` under each field that can be wrong."""

    def error(self, field: str) -> str:
        """The message under ``field`` ('' when there is none)."""
        widget = self.query_one(f"#{field}-error", Static)  # type: ignore[attr-defined]
        return str(widget.content) if widget.has_class("-shown") else ""

    def show_error(self, field: str, message: str) -> None:
        """Show ``message`` under ``field``; an empty one clears it."""
        widget = self.query_one(f"#{field}-error", Static)  # type: ignore[attr-defined]
        widget.update(f"{ERROR_MARK}{visible(message)}" if message else "")
        widget.set_class(bool(message), "-shown")
