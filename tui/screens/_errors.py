"""The one-line error a dialog shows under its field: marked with a sign, not only a colour."""

from __future__ import annotations

from textual.widgets import Static

ERROR_MARK = "✗ "


class InlineError:
    """For a screen with a ``Static`` of id ``error`` under its input."""

    @property
    def error(self) -> str:
        """The message under the input ('' when there is none)."""
        error = self.query_one("#error", Static)  # type: ignore[attr-defined]
        return str(error.content) if error.has_class("-shown") else ""

    def show_error(self, message: str) -> None:
        error = self.query_one("#error", Static)  # type: ignore[attr-defined]
        error.update(f"{ERROR_MARK}{message}" if message else "")
        error.set_class(bool(message), "-shown")
