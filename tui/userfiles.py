"""Files ammoflow keeps for the user: the recovery copy of unsaved work and recent files.

They live in the user's state folder (``platformdirs``; ``$XDG_STATE_HOME/ammoflow`` on
Linux), never beside the user's own scenarios.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path

import attrs
import platformdirs

from scenarios.errors import ScenarioError
from scenarios.files import parse_scenario, scenario_text, write_atomic
from scenarios.scenario import Scenario

RECENT_LIMIT = 10


def config_file() -> Path:
    override = os.environ.get("AMMOFLOW_CONFIG")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("ammoflow", appauthor=False)) / "config.toml"


def read_keymap(known_ids: set[str]) -> tuple[dict[str, str], list[str]]:
    """Key remappings from the ``[keymap]`` table of the config file, and problems with it.

    ``app.save = "ctrl+w"`` binds Save to ctrl+w; a binding id is what `?` lists beside
    each key. A missing file is no problem; a bad one is reported and ignored.
    """
    from tui.keymap import read_keymap as read

    return read(config_file(), known_ids)


def state_folder() -> Path:
    override = os.environ.get("AMMOFLOW_STATE_DIR")
    return Path(override) if override else Path(platformdirs.user_state_dir("ammoflow", appauthor=False))


@attrs.frozen
class Recovery:
    scenario: Scenario
    saved_at: str
    source: str | None


def _recovery_paths() -> tuple[Path, Path]:
    folder = state_folder()
    return folder / "recovery.toml", folder / "recovery.json"


def save_recovery(scenario: Scenario, source: str | None) -> None:
    """Keep a copy of unsaved work; failures are silent (this is a safety net, not a save)."""
    scenario_path, meta_path = _recovery_paths()
    try:
        scenario_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(scenario_path, scenario_text(scenario))
        meta = {"saved_at": time.strftime("%Y-%m-%d %H:%M"), "source": source}
        write_atomic(meta_path, json.dumps(meta))
    except (OSError, ScenarioError):
        pass


def load_recovery() -> Recovery | None:
    scenario_path, meta_path = _recovery_paths()
    if not scenario_path.exists():
        return None
    try:
        scenario = parse_scenario(scenario_path.read_text(encoding="utf-8"), str(scenario_path))
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    except (OSError, ValueError, ScenarioError):
        clear_recovery()
        return None
    return Recovery(scenario, str(meta.get("saved_at", "?")), meta.get("source"))


def clear_recovery() -> None:
    for path in _recovery_paths():
        with contextlib.suppress(OSError):
            path.unlink()


def recent_files() -> list[Path]:
    try:
        names = json.loads((state_folder() / "recent.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [Path(name) for name in names if isinstance(name, str)][:RECENT_LIMIT]


def remember(path: Path) -> None:
    resolved = path.resolve()
    paths = [resolved, *(p for p in recent_files() if p != resolved)][:RECENT_LIMIT]
    try:
        state_folder().mkdir(parents=True, exist_ok=True)
        write_atomic(state_folder() / "recent.json", json.dumps([str(p) for p in paths], indent=1))
    except (OSError, ScenarioError):
        pass
