"""Text from files and typed text cannot drive the terminal from the explorer, nor restyle it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_app import settle
from test_screens import Host, text_on_screen
from textual.widgets import Input, OptionList

from ammoflow.scenarios.files.scenario_toml import read_scenario
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.dialogs.confirm import ConfirmScreen
from ammoflow.tui.dialogs.help import HelpScreen
from ammoflow.tui.dialogs.open_scenario import OpenScenarioScreen
from ammoflow.tui.dialogs.path_prompt import PathPrompt
from ammoflow.tui.dialogs.recovery import recovery_message

OBEYED = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
TITLE = "\x1b]0;owned\x07"  # sets the terminal's title
NAME = "[bold red]E[/] [link=https://example.com]x[/link]" + TITLE + "\u009b2J\u202ea"
NAME_SHOWN = "[bold red]E[/] [link=https://example.com]x[/link]\\x1b]0;owned\\x07\\x9b2J\\u202ea"


@pytest.fixture(autouse=True)
def private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A state folder, a home and a working folder of the test's own."""
    monkeypatch.setenv("AMMOFLOW_STATE_DIR", str(tmp_path / "state"))
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def assert_inert(text: str) -> None:
    found = OBEYED.findall(text)
    assert not found, f"raw control characters {found!r} in {text!r}"


def toml_string(text: str) -> str:
    return '"' + "".join(f"\\u{ord(c):04X}" if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F else c for c in text) + '"'


async def test_a_crafted_name_is_shown_written_out_in_the_title_and_on_screen(private_folders: Path) -> None:
    path = private_folders / "crafted.toml"
    path.write_text(f"name = {toml_string(NAME)}\n", encoding="utf-8")
    app = AmmoflowApp(read_scenario(path), path, str(path), offer_recovery=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot, app)
        assert_inert(app.title + app.sub_title)
        assert app.sub_title == f"{NAME_SHOWN} · crafted.toml"  # the name, then the file ctrl+s writes
        shown = text_on_screen(app)
        assert_inert(shown)
        assert NAME_SHOWN in shown  # the brackets are shown, not read as markup


async def test_a_notification_quoting_a_file_is_plain_and_written_out(private_folders: Path) -> None:
    bad = private_folders / "bad.toml"
    bad.write_text(f'name = "x"\n[parameters]\n{toml_string("[b]key[/b]" + TITLE)} = 1\n', encoding="utf-8")
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(bad)
        await pilot.press("enter")
        await settle(pilot, app)
        shown = "".join(text_on_screen(app).split())
        assert_inert(shown)
        assert "unknownparameter" in shown and '"[b]key[/b]\\x1b]0;owned\\x07"' in shown  # a toast wraps lines


async def test_markup_typed_as_a_value_is_quoted_as_typed() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("enter")  # the first parameter's value field
        await pilot.pause()
        field = app.focused
        assert isinstance(field, Input)
        field.value = "[reverse]9[/]"
        await pilot.press("enter")
        await pilot.pause()
        assert '"[reverse]9[/]" is not a number' in text_on_screen(app)


async def test_the_open_dialog_lists_a_crafted_file_name_written_out(private_folders: Path) -> None:
    (private_folders / "odd\x1b[2J\u202e.toml").write_text('name = "Odd"\n', encoding="utf-8")
    app = Host(lambda: OpenScenarioScreen([], private_folders))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        prompts = [str(option.prompt) for option in app.screen.query_one(OptionList).options]
        assert_inert("".join(prompts))
        assert any("odd\\x1b[2J\\u202e.toml" in prompt for prompt in prompts)


# The two dialogs that take a typed path: Open, and Save as.
EITHER_PATH_DIALOG = pytest.mark.parametrize(
    "make",
    [lambda: OpenScenarioScreen([]), lambda: PathPrompt("Save scenario as", "draft.toml")],
    ids=["open", "save as"],
)


@EITHER_PATH_DIALOG
async def test_a_path_too_long_for_the_system_is_explained_not_crashed_on(make) -> None:  # type: ignore[no-untyped-def]
    app = Host(make)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one("#path", Input).value = "a" * 300 + "/b.toml"
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        error = app.screen.error  # type: ignore[attr-defined]
        assert "File name too long" in error and " characters)" in error


def test_the_recovery_question_writes_out_a_crafted_name_and_path() -> None:
    question = recovery_message("17:22", NAME, "/tmp/x\n\x1b[2J.toml")
    assert_inert(question)
    assert NAME_SHOWN in question and "/tmp/x\\n\\x1b[2J.toml" in question


async def test_help_writes_out_a_key_from_the_config_file() -> None:
    app = Host(lambda: HelpScreen([("Explorer", [("\x1b]0;owned\x07", "Save")])]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = text_on_screen(app)
        assert_inert(shown)
        assert "\\x1b]0;owned\\x07" in shown


async def test_a_question_about_a_crafted_path_writes_it_out() -> None:
    question = "/tmp/a\x1b[2J\nb.toml exists. Replace it?"
    app = Host(lambda: ConfirmScreen("Overwrite?", question, yes="Overwrite", danger=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = text_on_screen(app)
        assert_inert(shown)
        assert "/tmp/a\\x1b[2J\\nb.toml exists" in shown


async def test_the_changes_table_writes_out_a_month_as_the_file_wrote_it(private_folders: Path) -> None:
    path = private_folders / "sep.toml"
    path.write_text(
        'name = "Sep"\n[[changes]]\nfrom = "2024-01\\u2028"\nparameter = "ru_fire_rate"\nvalue = 30000\n',
        encoding="utf-8",
    )
    try:
        scenario = read_scenario(path)
    except ScenarioError as exc:  # refusing the month is as good: then it is never shown
        assert_inert(exc.render())
        return
    app = AmmoflowApp(scenario, path, str(path), offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("7")
        await settle(pilot, app)
        shown = text_on_screen(app)
        assert_inert(shown)
        assert "2024-01\\u2028" in shown


@EITHER_PATH_DIALOG
async def test_a_typed_path_with_an_escape_is_quoted_written_out(make) -> None:  # type: ignore[no-untyped-def]
    app = Host(make)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one("#path", Input).value = f"missing{TITLE}/x.toml"
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        error = app.screen.error  # type: ignore[attr-defined]
        assert_inert(error)
        assert "missing\\x1b]0;owned\\x07" in error
