"""Files ammoflow keeps for the user: its config, and the recent files and theme in its state folder.

They live in the user's state folder (``platformdirs``; ``$XDG_STATE_HOME/ammoflow`` on
Linux), never beside the user's own scenarios. The recovery copies of unsaved work, kept
there too, are in :mod:`ammoflow.tui.recovery`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

import platformdirs

from ammoflow.scenarios.files import reading
from ammoflow.scenarios.files.safe_write import write_atomic
from ammoflow.scenarios.model.errors import ScenarioError

RECENT_LIMIT = 10


def config_file() -> Path:
    override = os.environ.get("AMMOFLOW_CONFIG")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("ammoflow", appauthor=False)) / "config.toml"


def read_keymap(known_ids: Iterable[str] | Callable[[], Iterable[str]]) -> tuple[dict[str, str], list[str]]:
    """Key remappings from the ``[keymap]`` table of the config file, and problems with it.

    ``app.save = "ctrl+w"`` binds Save to ctrl+w; a binding id is what `?` lists beside
    each key. A missing file is no problem; a bad one is reported and ignored. ``known_ids``
    may be a function, called only when there is a file to check against them.
    """
    from ammoflow.tui.keymap import read_keymap as read

    return read(config_file(), known_ids)


def state_folder() -> Path:
    override = os.environ.get("AMMOFLOW_STATE_DIR")
    return Path(override) if override else Path(platformdirs.user_state_dir("ammoflow", appauthor=False))


def recent_files() -> list[Path]:
    """The files opened lately, newest first; nothing when the list is missing or not a list of paths."""
    try:
        names = json.loads(reading.read_text(state_folder() / "recent.json", reading.MiB, "a list of recent files"))
    except (ScenarioError, ValueError, RecursionError):
        return []
    if not isinstance(names, list):
        return []
    return [Path(name) for name in names if isinstance(name, str) and name and "\0" not in name][:RECENT_LIMIT]


def remember(path: Path) -> None:
    resolved = path.resolve()
    paths = [resolved, *(p for p in recent_files() if p != resolved)][:RECENT_LIMIT]
    try:
        state_folder().mkdir(parents=True, exist_ok=True)
        write_atomic(state_folder() / "recent.json", json.dumps([str(p) for p in paths], indent=1))
    except (OSError, ScenarioError):
        pass


def remembered_theme() -> str | None:
    """The theme chosen last time, or None (none chosen, or the file is not a theme's name)."""
    try:
        name = json.loads(reading.read_text(state_folder() / "theme.json", 4096, "the theme chosen"))
    except (ScenarioError, ValueError, RecursionError):
        return None
    return name if isinstance(name, str) and name else None


def remember_theme(name: str) -> None:
    """Keep the theme chosen, for the next start; a state folder that cannot be written is no problem."""
    try:
        state_folder().mkdir(parents=True, exist_ok=True)
        write_atomic(state_folder() / "theme.json", json.dumps(name))
    except (OSError, ScenarioError):
        pass
