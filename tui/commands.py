"""The command palette (ctrl+p): every explorer action, and "Set parameter: ..." by name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from ammoflow.scenarios.model import registry


class ExplorerCommands(Provider):
    """The actions of the explorer's key bindings, plus one command per parameter.

    They run on the explorer (the app's default screen), wherever the palette was opened.
    """

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = self.app
        explorer = app.get_default_screen()
        found: list[tuple[str, str, Callable[[], object]]] = []
        seen: set[str] = set()
        for binding in type(explorer).BINDINGS:
            if not isinstance(binding, Binding) or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            key = app.get_key_display(binding)
            help_text = f"{binding.tooltip or binding.description} ({key})"
            found.append((binding.description, help_text, partial(explorer.run_action, binding.action)))
        for parameter in registry.PARAMETERS:
            found.append(
                (
                    f"Set parameter: {parameter.label}",
                    f"{parameter.key}, {parameter.unit}: type an exact value",
                    partial(explorer.run_action, f"edit_parameter({parameter.key!r})"),
                )
            )
        return found

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
