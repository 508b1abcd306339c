"""The config file: every problem in it is one line, and the explorer starts with its usual keys."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ammoflow.tui.app import AmmoflowApp, binding_ids
from ammoflow.tui.userfiles import read_keymap

DEEP = "a = " + "[" * 3000 + "]" * 3000 + "\n"


def keymap_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> tuple[dict[str, str], list[str]]:
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("AMMOFLOW_CONFIG", str(config))
    return read_keymap(binding_ids())


def test_keys_that_name_no_key_are_reported_at_their_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keymap, problems = keymap_from(
        tmp_path,
        monkeypatch,
        '[keymap]\n"app.save" = "ctrl+w"\n"app.fit" = "shfit+a"\n"slider.step_up" = "page up"\n'
        '"app.open" = "f2, question_mark"\n',
    )
    config = tmp_path / "config.toml"
    assert keymap == {"app.save": "ctrl+w", "app.open": "f2,question_mark"}
    assert problems == [
        f'{config}:3: app.fit: "shfit" is not a modifier (use ctrl, shift, alt, meta, super, hyper); '
        "its key left as it was",
        f'{config}:4: slider.step_up: "page up" is not a key name (e.g. "a", "ctrl+w", "f2", "question_mark"); '
        "its key left as it was",
    ]


def test_one_key_given_to_two_actions_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keymap, problems = keymap_from(
        tmp_path,
        monkeypatch,
        '[keymap]\n"app.save" = "ctrl+w"\n"slider.step_up" = "ctrl+w"\n'
        '"confirm.yes" = "j"\n"recover.restore" = "j"\n',  # two dialogs never open at once
    )
    config = tmp_path / "config.toml"
    assert keymap == {"app.save": "ctrl+w", "confirm.yes": "j", "recover.restore": "j"}
    assert problems == [f'{config}:3: "ctrl+w" is already given to app.save; slider.step_up left as it was']


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (DEEP, "{config}:1: nested too deeply; a config file nests at most 8 levels; key bindings left as they are"),
        (
            "[keymap\n",
            "{config}:1:8: not valid TOML: Expected ']' at the end of a table declaration; "
            "key bindings left as they are",
        ),
        ('keymap = "ctrl+w"\n', '{config}:1: keymap must be a table of binding id = "key"'),
    ],
    ids=["deeply nested", "not TOML", "keymap not a table"],
)
def test_a_config_file_that_cannot_be_used_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    keymap, problems = keymap_from(tmp_path, monkeypatch, text)
    assert (keymap, problems) == ({}, [expected.format(config=tmp_path / "config.toml")])


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_or_a_fifo_as_the_config_file_is_never_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMMOFLOW_CONFIG", "/dev/zero")
    assert read_keymap(binding_ids()) == (
        {},
        [
            "/dev/zero: is a character device, not a config file; give the path of a regular file; "
            "key bindings left as they are"
        ],
    )
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    monkeypatch.setenv("AMMOFLOW_CONFIG", str(fifo))
    keymap, (problem,) = read_keymap(binding_ids())
    assert keymap == {}
    assert problem.startswith(f"{fifo}: is a FIFO (named pipe), not a config file")


async def test_the_explorer_starts_with_its_own_keys_under_a_deeply_nested_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"app.pin_baseline" = "p"\n' + DEEP, encoding="utf-8")
    monkeypatch.setenv("AMMOFLOW_CONFIG", str(config))
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        messages = list(app.notices)
        assert any("nested too deeply" in m for m in messages)
        assert app.is_running
        assert app.query_one("#figures") is not None  # the main screen, drawn


def declared_binding_ids() -> set[str]:
    """The ids written as ``Binding(..., id="...")`` anywhere in the terminal interfaces' source."""
    import ast

    import ammoflow.tui

    ids = set()
    for path in Path(ammoflow.tui.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Binding":
                ids |= {k.value.value for k in node.keywords if k.arg == "id" and isinstance(k.value, ast.Constant)}
    return ids


def test_every_binding_id_in_the_source_can_be_given_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    declared = declared_binding_ids()
    assert len(declared) > 50  # the source was read
    refused = {}
    for binding_id in sorted(declared):
        keymap, problems = keymap_from(tmp_path, monkeypatch, f'[keymap]\n"{binding_id}" = "f12"\n')
        if keymap != {binding_id: "f12"}:
            refused[binding_id] = problems
    assert not refused


def test_the_uncertainty_dialogs_apply_can_be_given_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keymap, problems = keymap_from(tmp_path, monkeypatch, '[keymap]\n"uncertainty.apply" = "ctrl+a"\n')
    assert (keymap, problems) == ({"uncertainty.apply": "ctrl+a"}, [])
