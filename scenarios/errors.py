"""Errors a user can cause, with messages a person can act on."""

from __future__ import annotations

from collections.abc import Sequence

import attrs


@attrs.frozen
class Problem:
    """One thing wrong with a scenario, located where that is known."""

    message: str
    line: int | None = None
    column: int | None = None

    def render(self, source: str | None = None) -> str:
        """``file:line: message`` (or ``file: message`` when the line is unknown)."""
        where = source or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}" if where else self.message


class ScenarioError(Exception):
    """A scenario, a value or a file that cannot be used, and why (one problem a line)."""

    def __init__(self, problems: Sequence[Problem | str] | str, source: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [problems]
        self.problems = [Problem(p) if isinstance(p, str) else p for p in problems]
        self.source = source
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(p.render(self.source) for p in self.problems)

    def lines(self) -> list[str]:
        return [p.render(self.source) for p in self.problems]
