"""Signs drawn beside text, so that meaning never rests on colour alone."""

from __future__ import annotations

__all__ = ["ERROR_MARK"]

ERROR_MARK = "✗ "
"""Starts every error line: in dialogs, in the tornado status and in a chart that could not be drawn."""
