"""The ``[keymap]`` table of the config file: which keys a user gave to which bindings.

A config file is something a person edits by hand, so every problem in it is reported
on a line of its own, and the explorer starts anyway with the keys it would have had.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from textual import keys as textual_keys
from textual.binding import Binding
from textual.dom import DOMNode

from ammoflow.scenarios.files import reading, tomlshape
from ammoflow.scenarios.files.scenario_toml import key_lines
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.registry import unknown_key_message

MAX_BYTES = reading.MiB
MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
# Bindings of these owners are live together on the main screen; each dialog has its own.
MAIN_SCREEN = ("app", "parameters", "slider", "changes", "tornado", "chart")
# The explorer's own bindings keep their "app." ids but live on its screen, not under a dialog;
# only the App's (ctrl+q) are live under every dialog.
EVERYWHERE = ("app.quit",)


HEADLESS = ("cli", "__main__")
"""Modules of the package that hold no bindings (the command line) or must not be imported (the entry point)."""


def _subclasses(cls: type[DOMNode]) -> Iterator[type[DOMNode]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def binding_ids(package: str) -> set[str]:
    """Every binding id declared in ``package`` (``Binding(..., id=...)`` in a widget, screen or app).

    Found rather than listed: every module of the package is imported (but the command
    line and the entry point), and every class of it that Textual's ``DOMNode`` leads to
    gives the ids of its ``BINDINGS``.
    """
    root = importlib.import_module(package)
    for module in pkgutil.walk_packages(root.__path__, f"{package}."):
        if module.name.removeprefix(f"{package}.").split(".")[0] not in HEADLESS:
            importlib.import_module(module.name)
    owners = {cls for cls in _subclasses(DOMNode) if cls.__module__.startswith(f"{package}.")}
    return {b.id for cls in owners for b in cls.BINDINGS if isinstance(b, Binding) and b.id}


def default_keys(package: str) -> dict[str, tuple[str, ...]]:
    """Every binding id declared in ``package`` with the keys it has when nothing is remapped."""
    binding_ids(package)  # imports every module, so every class is there to be found
    owners = {cls for cls in _subclasses(DOMNode) if cls.__module__.startswith(f"{package}.")}
    found: dict[str, tuple[str, ...]] = {}
    for cls in owners:
        for binding in cls.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                keys = tuple(key.strip() for key in binding.key.split(","))
                found[binding.id] = tuple(dict.fromkeys(found.get(binding.id, ()) + keys))
    return found


def _key_names() -> set[str]:
    names = {key.value.split("+")[-1] for key in textual_keys.Keys if not key.value.startswith("<")}
    names |= set(textual_keys.KEY_NAME_REPLACEMENTS.values()) | set(textual_keys.KEY_ALIASES) | {"newline"}
    return names


_NAMES = _key_names()


def key_problem(key: str) -> str | None:
    """Why ``key`` ("ctrl+w", "f2", "question_mark", "?") names no key, or None when it does."""
    *modifiers, name = key.split("+") if key != "+" else ["+"]
    for modifier in modifiers:
        if modifier not in MODIFIERS:
            return f'"{modifier}" is not a modifier (use {", ".join(MODIFIERS)})'
    if name in _NAMES or (len(name) == 1 and name.isprintable() and not name.isspace()):
        return None
    if name and textual_keys.key_to_character(name) is not None:
        return None  # a character by its Unicode name: "question_mark", "full_stop"
    return f'"{name}" is not a key name (e.g. "a", "ctrl+w", "f2", "question_mark")'


def _context(binding_id: str) -> str:
    owner = binding_id.split(".")[0]
    return "main" if owner in MAIN_SCREEN else owner


def _clash(first: str, second: str) -> bool:
    """Whether two bindings can be live at once (the App's are live under every dialog)."""
    return _context(first) == _context(second) or first in EVERYWHERE or second in EVERYWHERE


def read_keymap(path: Path, known_ids: Iterable[str] | Callable[[], Iterable[str]]) -> tuple[dict[str, str], list[str]]:
    """Key remappings from the ``[keymap]`` table of the config file at ``path``, and problems with it.

    A missing file is no problem; a file that cannot be read is one problem and no remapping;
    a bad entry is one problem and that binding keeps its key. Given the keys every binding
    has by default (``known_ids`` a mapping, :func:`default_keys`), an entry that takes a key
    another binding still has is refused too, and the warning says which one keeps it;
    giving that binding another key in the same table frees it (two keys can be swapped).
    """
    if not path.exists() and not path.is_symlink():
        return {}, []
    if callable(known_ids):  # finding them imports every module: only for a file that may remap
        known_ids = known_ids()
    known = sorted(known_ids)
    source = str(path)
    try:
        text = reading.read_text(path, MAX_BYTES, "a config file")
        find = key_lines(text)
        data: dict[str, Any] = tomlshape.load(text, source, "a config file", find=find)
    except ScenarioError as exc:
        return {}, [f"{line}; key bindings left as they are" for line in exc.lines()]

    def where(*key_path: str) -> str:
        line = find(key_path)
        return f"{source}:{line}" if line is not None else source

    table = data.get("keymap", {})
    if not isinstance(table, dict):
        return {}, [f'{where("keymap")}: keymap must be a table of binding id = "key"']
    keymap: dict[str, str] = {}
    given: dict[str, str] = {}  # key -> the binding id it was first given to
    problems: list[str] = []
    for binding_id, keys in table.items():
        at = where("keymap", binding_id)
        if binding_id not in known:
            problems.append(f"{at}: {unknown_key_message('binding id', binding_id, known)}")
            continue
        if not isinstance(keys, str) or not keys.strip():
            problems.append(f'{at}: {binding_id} needs keys in quotes, e.g. "ctrl+w"')
            continue
        wanted = [key.strip() for key in keys.split(",")]
        bad = next((problem for problem in map(key_problem, wanted) if problem), None)
        if bad is not None:
            problems.append(f"{at}: {binding_id}: {bad}; its key left as it was")
            continue
        taken = next(((key, given[key]) for key in wanted if key in given and _clash(given[key], binding_id)), None)
        if taken is not None:
            key, owner = taken
            problems.append(f'{at}: "{key}" is already given to {owner}; {binding_id} left as it was')
            continue
        for key in wanted:
            given.setdefault(key, binding_id)
        keymap[binding_id] = ",".join(wanted)
    if isinstance(known_ids, Mapping):
        _refuse_taken_defaults(keymap, known_ids, problems, where)
    return keymap, problems


def _refuse_taken_defaults(
    keymap: dict[str, str],
    defaults: Mapping[str, Sequence[str]],
    problems: list[str],
    where: Callable[..., str],
) -> None:
    """Drop (with a problem each) the entries that take a key another binding keeps by default."""
    final = {binding_id: tuple(keys) for binding_id, keys in defaults.items()}
    final.update({binding_id: tuple(keys.split(",")) for binding_id, keys in keymap.items()})
    for binding_id, keys in list(keymap.items()):
        for key in keys.split(","):
            holder = next(
                (
                    other
                    for other, theirs in final.items()
                    if other != binding_id and other not in keymap and key in theirs and _clash(other, binding_id)
                ),
                None,
            )
            if holder is not None:
                problems.append(
                    f'{where("keymap", binding_id)}: "{key}" is already the key of {holder}, which keeps it; '
                    f"{binding_id} left as it was (give {holder} another key to free it)"
                )
                del keymap[binding_id]
                break
