"""Shipped scenarios, each a normal scenario file that documents its assumptions."""

from __future__ import annotations

from pathlib import Path

from ammoflow.scenarios.files.scenario_toml import read_scenario
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.scenario import Scenario

FOLDER = Path(__file__).parent / "presets"


def names() -> list[str]:
    """Preset names, baseline first."""
    found = sorted(path.stem for path in FOLDER.glob("*.toml"))
    return sorted(found, key=lambda name: name != "baseline")


def path_of(name: str) -> Path:
    return FOLDER / f"{name}.toml"


def load(name: str) -> Scenario:
    if name not in names():
        raise ScenarioError(unknown_preset_message(name))
    return read_scenario(path_of(name))


def unknown_preset_message(name: str) -> str:
    message = registry.unknown_key_message("preset", name, names())
    return f"{message} (presets: {', '.join(names())}; or give a path to a .toml file)"


def resolve(argument: str) -> tuple[Scenario, Path | None]:
    """A scenario from a path or a preset name, with the file it came from (None for a preset).

    An existing file wins over a preset of the same name; something that looks like a
    path (a folder separator or a .toml ending) is never taken for a preset.
    """
    path = Path(argument).expanduser()
    looks_like_path = argument.endswith(".toml") or "/" in argument or "\\" in argument
    if path.is_file() or looks_like_path or argument not in names():
        if not path.exists() and not looks_like_path:
            raise ScenarioError(unknown_preset_message(argument))
        return read_scenario(path), path
    return load(argument), None
