"""The key bindings, grouped by where they apply, in a scrollable two-column table."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from ammoflow.scenarios.model.text import visible
from ammoflow.tui.dialogs.base import Dialog

__all__ = ["HelpScreen", "Section", "binding_sections", "explanations"]

Section = tuple[str, Sequence[tuple[str, str]]]
"""A titled group of (keys, what they do) rows."""

KEY_JOINER = ", "


def _humanize(name: str) -> str:
    """``FloatSlider`` -> ``Float slider``; ``ExplorerScreen`` -> ``Explorer``."""
    if name.endswith("Screen") and name != "Screen":
        name = name[: -len("Screen")]
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z]|$)|[A-Z]?[a-z0-9]+|[A-Z]+", name.lstrip("_"))
    if not words:
        return name
    return " ".join([words[0], *(w.lower() if not w.isupper() else w for w in words[1:])])


_SCREEN_KEYS = {(b.action, b.description) for b in Screen.BINDINGS if isinstance(b, Binding)}
"""Textual's own keys of every screen, as (action, description)."""


def _title(node: DOMNode | type[DOMNode], app: App[Any]) -> str:
    title = node.BINDING_GROUP_TITLE
    if title:
        return title
    if node is app or (isinstance(node, type) and issubclass(node, App)):
        return "General"
    return _humanize(node.__name__ if isinstance(node, type) else type(node).__name__)


def _rows(app: App[Any], bindings: Iterable[Binding]) -> list[tuple[str, str]]:
    """(keys, description) rows; keys bound to the same action are joined on one row."""
    merged: dict[tuple[str, str], list[str]] = {}
    for binding in bindings:
        description = (binding.description or "").strip()
        if not description or binding.system:
            continue
        try:
            shown = app.get_key_display(binding)
        except Exception:  # a strange key must not break the help screen
            shown = binding.key
        keys = merged.setdefault((binding.action, description), [])
        if shown not in keys:
            keys.append(shown)
    return [
        (KEY_JOINER.join(keys), description[:1].upper() + description[1:]) for (_, description), keys in merged.items()
    ]


def _class_bindings(app: App[Any], cls: type[DOMNode]) -> list[Binding]:
    """A widget class's bindings, inherited ones included, with the app's keymap applied."""
    by_key: dict[str, Binding] = {}
    for base in reversed(cls.__mro__):
        own = base.__dict__.get("BINDINGS")
        if own:
            for binding in Binding.make_bindings(own):
                by_key[binding.key] = binding
    keymap: dict[str, str] = dict(getattr(app, "_keymap", None) or {})
    found: list[Binding] = []
    for binding in by_key.values():
        if binding.id and binding.id in keymap:
            found.extend(binding.with_key(key.strip()) for key in keymap[binding.id].split(",") if key.strip())
        else:
            found.append(binding)
    return found


def _screen_below_help(app: App[Any]) -> Screen[Any]:
    below: list[Screen[Any]] = [screen for screen in app.screen_stack if not isinstance(screen, HelpScreen)]
    top: Screen[Any] = below[-1] if below else app.screen
    return top


def binding_sections(
    app: App[Any],
    fallback: Sequence[Section] = (),
    *,
    widgets: Iterable[type[Widget]] = (),
) -> list[Section]:
    """The key bindings in force on the app's current screen, one section per place.

    Sections come in this order: the app's own bindings ("General"), the screen's,
    then those of each widget from the screen down to the focused one, then those of
    each class in ``widgets`` (for widgets that are not focused now, such as the
    sliders when a chart has focus). A section is titled with the node's
    ``BINDING_GROUP_TITLE`` or its class name. Bindings without a description are
    skipped, a key shadowed by a more specific binding appears only once, and a row
    (keys and description) already shown is not repeated. ``fallback`` is returned
    when nothing can be found.
    """
    try:
        screen = _screen_below_help(app)
        active = screen.active_bindings
    except Exception:  # no screen yet, or the app is shutting down
        return list(fallback)

    by_node: dict[DOMNode, list[Binding]] = {}
    for active_binding in active.values():
        by_node.setdefault(active_binding.node, []).append(active_binding.binding)

    def order(node: DOMNode) -> int:
        if node is app:
            return -2
        if node is screen:
            return -1
        return len(node.ancestors)

    sections: list[Section] = []
    seen: set[tuple[str, str]] = set()
    titles: dict[str, int] = {}

    def add(title: str, rows: list[tuple[str, str]]) -> None:
        fresh = [row for row in rows if row not in seen]
        seen.update(fresh)
        if not fresh:
            return
        if title in titles:  # two nodes of one kind: one section
            index = titles[title]
            sections[index] = (title, [*sections[index][1], *fresh])
        else:
            titles[title] = len(sections)
            sections.append((title, fresh))

    titles_of = {node: _title(node, app) for node in by_node}
    if screen in by_node and titles_of[screen] == "General":
        # A screen that holds the app's own keys (the explorer) leads with them; Textual's own
        # screen keys (focus, copy) keep their section after the app's.
        mine = [b for b in by_node[screen] if (b.action, b.description) not in _SCREEN_KEYS]
        add("General", _rows(app, mine))
        by_node[screen] = [b for b in by_node[screen] if (b.action, b.description) in _SCREEN_KEYS]
        titles_of[screen] = _title(Screen, app)
    for node in sorted(by_node, key=order):
        add(titles_of[node], _rows(app, by_node[node]))
    for cls in widgets:
        add(_title(cls, app), _rows(app, _class_bindings(app, cls)))
    return sections or list(fallback)


def explanations(markers: Sequence[tuple[str, bool, str, str]]) -> list[Section]:
    """What the screen shows, after the keys: each key figure, and each mark on the charts.

    ``markers`` are the observation markers as the charts draw them (kind, met, glyph, meaning).
    """
    from ammoflow.scenarios.model.figures import FIGURES

    figures = [(figure.label, figure.description) for figure in FIGURES]
    marks = [
        ("┃", "now: this month; left of it the projection is a hindcast, right of it a forecast"),
        ("╎", "last observed: the date of the latest observation (scenarios/files/data/observations.csv)"),
        ("• × +", "lines of this scenario, as the sliders set it (one glyph a series; the legend names each)"),
        ("· :", "the pinned baseline, dim (b pins the scenario on screen)"),
        ("░ ▒", "uncertainty bands (u): 5-95% of the Monte Carlo runs as its edges, 25-75% filled (docs/model.md)"),
    ]
    claims = {"lower": "a claim of at least", "upper": "a claim of at most", "about": "a claim of about"}
    for kind, met, glyph, meaning in markers:
        verdict = "the projection meets it" if met else "the projection misses it (hollow)"
        marks.append((glyph, f"{meaning}: {claims[kind]} this many; {verdict}"))
    return [("Key figures", figures), ("Chart marks", marks)]


def _table(sections: Sequence[Section]) -> Table:
    table = Table(box=None, show_header=False, show_edge=False, pad_edge=False, padding=(0, 2, 0, 0), expand=False)
    table.add_column("key", style="bold", no_wrap=True, max_width=24)
    table.add_column("action", overflow="fold")
    for index, (title, rows) in enumerate(sections):
        if index:
            table.add_row("", "")
        table.add_row(Text(title, style="bold underline"), "")
        for key, description in rows:
            table.add_row(Text(visible(key)), Text(visible(description)))  # keys may come from the config file
    return table


class HelpScreen(Dialog[None]):
    """The key bindings, grouped by section. escape, q, F1 or ? closes it.

    ``sections`` is a list of ``(title, [(keys, description), ...])``; when None, the
    sections are read from the running app with :func:`binding_sections`.
    """

    DEFAULT_CSS = """
    HelpScreen {
        /* Opaque, unlike other dialogs: the explorer dimmed behind a tall table is a full frame
           of new colours for the terminal (60 KB at 120x40), a plain page a few. */
        background: $background;
        & #body { width: auto; height: auto; max-height: 75vh; min-width: 40; }
        & #empty { color: $foreground-muted; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "close", "Close help", id="help.close"),
    ]

    AUTO_FOCUS = "#body"

    def __init__(self, sections: Sequence[Section] | None = None) -> None:
        super().__init__()
        self.sections: list[Section] | None = list(sections) if sections is not None else None

    def compose(self) -> ComposeResult:
        if self.sections is None:
            self.sections = binding_sections(self.app)
        dialog = Vertical(id="dialog")
        dialog.border_title = "Keys"
        with dialog:
            with VerticalScroll(id="body"):
                if any(rows for _title, rows in self.sections):
                    yield Static(_table([s for s in self.sections if s[1]]), id="table")
                else:
                    yield Static("No keys to show.", id="empty")
            yield Static(f"↑↓ pgup pgdn scroll · {self.keys_of('help.close')} close", id="keys", markup=False)

    def action_close(self) -> None:
        self.answer(None)
