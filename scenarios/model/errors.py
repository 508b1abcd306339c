"""Errors a user can cause, with messages a person can act on."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ammoflow.scenarios.model.text import visible


@attrs.frozen
class Problem:
    """One thing wrong with a scenario, located where that is known."""

    message: str
    line: int | None = None
    column: int | None = None

    def render(self, source: str | None = None) -> str:
        """``file:line: message`` (or ``file: message`` when the line is unknown), on one line.

        The message often quotes the file (a name, a key, a value) and the source is a path
        anyone may have chosen: both are shown with their control characters made visible,
        so a file can neither drive the terminal nor break a message over two lines.
        """
        where = visible(source or "")
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
            if self.column is not None:
                where += f":{self.column}"
        message = visible(self.message)
        return f"{where}: {message}" if where else message


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
