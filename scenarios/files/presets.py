"""Shipped scenarios, each a normal scenario file that documents its assumptions."""

from __future__ import annotations

from pathlib import Path

import attrs

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


def text_of(name: str) -> str:
    """The preset's file as written, with the comments that say where its numbers come from."""
    return path_of(name).read_text(encoding="utf-8")


def derived(scenario: Scenario, name: str) -> tuple[Scenario, str]:
    """``scenario``, made from the preset ``name``, as it should be saved, and the text to keep.

    The preset's comments on its sources are kept (the text is the preset's). A scenario that
    differs from the preset must not go out under the preset's name and words: unless they
    were changed already, its name says it was edited and its description that it was
    derived from the preset, and a first comment says the comments below are the preset's.
    """
    text = text_of(name)
    preset = load(name)
    if scenario == preset:
        return scenario, text
    if scenario.name == preset.name:
        scenario = attrs.evolve(scenario, name=f"{preset.name}, edited")
    if scenario.description == preset.description:
        scenario = attrs.evolve(
            scenario,
            description=f"Derived from the preset {preset.name!r} and modified. The preset: {preset.description}",
        )
    note = f"# Derived from the preset {name!r} and modified; the comments below are the preset's.\n"
    return scenario, note + text


def new_scenario(name: str) -> Scenario:
    """A new scenario called ``name``: the baseline's values, described as started from it."""
    base = load("baseline")
    return attrs.evolve(
        base, name=name, description=f"A new scenario, started from the baseline preset ({base.description})"
    )
