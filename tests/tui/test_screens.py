"""Pilot tests for the modal screens: keys, results, inline errors and fitting at 80x24."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Select, Static

from ammoflow.scenarios.files import presets
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.scenario import Change, Scenario, baseline
from ammoflow.tui.dialogs.add_change import AddChangeScreen
from ammoflow.tui.dialogs.confirm import ConfirmScreen
from ammoflow.tui.dialogs.help import HelpScreen, binding_sections
from ammoflow.tui.dialogs.open_scenario import OpenChoice, OpenScenarioScreen
from ammoflow.tui.dialogs.path_prompt import PathPrompt, resolve_path
from ammoflow.tui.dialogs.recovery import RecoverScreen
from ammoflow.tui.dialogs.uncertainty import UncertaintyScreen
from ammoflow.tui.keys import TypeAhead

SMALL = (80, 24)
LARGE = (120, 40)
PRESETS = {"baseline", "nk-cutback-2025", "seed-article", "us-state-dept"}


class Host(TypeAhead, App[None]):
    """Pushes one screen on mount and records what it is dismissed with (keys remapped by ``keymap``)."""

    def __init__(self, make: Callable[[], Screen[Any]], keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.make = make
        self.keymap = keymap or {}
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.set_keymap(self.keymap)
        self.push_screen(self.make(), self.results.append)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run every test in an empty folder with a home folder of its own."""
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    return work


def text_on_screen(app: App[Any]) -> str:
    """The visible text of the app, from an SVG screenshot."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def error_of(screen: Screen[Any], selector: str) -> str:
    widget = screen.query_one(selector, Static)
    return str(widget.content) if widget.display else ""


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*text)


def assert_fits(app: App[Any], *selectors: str) -> None:
    """The dialog and the named parts of it are inside the terminal and the dialog."""
    width, height = app.size
    dialog = app.screen.query_one("#dialog").region
    assert dialog.x >= 0 and dialog.y >= 0
    assert dialog.right <= width and dialog.bottom <= height, (dialog, app.size)
    for selector in selectors:
        part = app.screen.query_one(selector).region
        assert part.height > 0, selector
        assert dialog.contains_region(part), (selector, part, dialog)


# -- confirm ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["y"], True),
        (["enter"], True),
        (["n"], False),
        (["escape"], False),
        (["tab", "enter"], False),  # enter presses the focused button
        (["left", "enter"], False),
        (["left", "right", "enter"], True),
    ],
)
async def test_confirm_answers_by_key(keys: list[str], expected: bool) -> None:
    app = Host(lambda: ConfirmScreen("Overwrite?", "scenario.toml exists. Replace it?", yes="Overwrite"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press(*keys)
        await pilot.pause()
        assert app.results == [expected]
        assert not isinstance(app.screen, ModalScreen)


async def test_confirm_counts_only_the_first_of_queued_keys() -> None:
    app = Host(lambda: ConfirmScreen("Quit?", "Quit ammoflow?"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("y", "n", "escape")
        await pilot.pause()
        assert app.results == [True]
        assert len(app.screen_stack) == 1


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_confirm_shows_title_message_and_labels_and_fits(size: tuple[int, int]) -> None:
    message = "The file /home/analyst/scenarios/a-rather-long-scenario-name.toml exists. Replace it? " * 2
    app = Host(lambda: ConfirmScreen("Overwrite?", message, yes="Overwrite", no="Keep", danger=True))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        text = text_on_screen(app)
        for part in ("Overwrite?", "Overwrite", "Keep", "a-rather-long-scenario-name.toml"):
            assert part in text
        assert app.screen.has_class("-danger")
        assert app.focused is not None and app.focused.id == "no"  # a stray Enter destroys nothing
        assert_fits(app, "#message", "#buttons", "#keys")


async def test_enter_on_a_destructive_question_keeps_things_as_they_are() -> None:
    app = Host(lambda: ConfirmScreen("Quit?", "Unsaved changes will be lost.", yes="Quit", danger=True))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [False]


# -- path prompt --------------------------------------------------------------------


async def test_path_prompt_accepts_the_default(isolated: Path) -> None:
    app = Host(lambda: PathPrompt("Save scenario as", "draft.toml"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [isolated / "draft.toml"]


async def test_path_prompt_selects_the_stem_so_typing_replaces_the_name(isolated: Path) -> None:
    folder = isolated / "out"
    folder.mkdir()
    app = Host(lambda: PathPrompt("Save scenario as", f"{folder}/draft.toml"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        field = app.screen.query_one(Input)
        assert field.selected_text == "draft"
        await type_text(pilot, "mine")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [folder / "mine.toml"]


@pytest.mark.parametrize(
    ("typed", "suffix", "expected"),
    [
        ("notes", ".toml", "notes.toml"),
        ("notes.toml", ".toml", "notes.toml"),
        ("table", ".csv", "table.csv"),
        ("table.txt", ".csv", "table.txt"),
        ("plain", "", "plain"),
    ],
)
async def test_path_prompt_adds_the_suffix_to_a_bare_name(
    isolated: Path, typed: str, suffix: str, expected: str
) -> None:
    app = Host(lambda: PathPrompt("Export", "", suffix=suffix))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await type_text(pilot, typed)
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [isolated / expected]


async def test_path_prompt_expands_home(tmp_path: Path) -> None:
    (tmp_path / "home" / "scenarios").mkdir()
    app = Host(lambda: PathPrompt("Save scenario as", ""))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await type_text(pilot, "~/scenarios/plan")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [tmp_path / "home" / "scenarios" / "plan.toml"]


async def test_path_prompt_must_exist_shows_an_error_then_accepts_a_real_file(isolated: Path) -> None:
    (isolated / "there.toml").write_text("", encoding="utf-8")
    app = Host(lambda: PathPrompt("Open scenario", "missing.toml", must_exist=True))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        assert isinstance(app.screen, PathPrompt)
        error = app.screen.error
        assert error.startswith("✗ ") and "missing.toml" in error
        assert "missing.toml" in text_on_screen(app)
        assert_fits(app, "#path", "#error", "#keys")

        await pilot.press("end", "ctrl+u")
        assert app.screen.error == ""  # editing clears the message
        await type_text(pilot, "there")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [isolated / "there.toml"]


async def test_path_prompt_refuses_a_missing_folder(isolated: Path) -> None:
    app = Host(lambda: PathPrompt("Save scenario as", "no-such-folder/plan.toml"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        assert isinstance(app.screen, PathPrompt)
        assert "does not exist" in app.screen.error


async def test_path_prompt_escape_returns_none() -> None:
    app = Host(lambda: PathPrompt("Save scenario as", "draft.toml"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


def test_resolve_path_rules(isolated: Path) -> None:
    (isolated / "sub").mkdir()
    assert resolve_path("sub/../a") == isolated / "a.toml"
    assert resolve_path("  a.toml  ") == isolated / "a.toml"
    with pytest.raises(ValueError, match="folder"):
        resolve_path("sub")
    with pytest.raises(ValueError, match="type a file name"):
        resolve_path("   ")
    with pytest.raises(ValueError, match="no file"):
        resolve_path("a", must_exist=True)
    assert resolve_path(f"{isolated}/sub//{isolated}/b") == isolated / "b.toml"  # "//" starts afresh
    assert resolve_path(f"{isolated}/sub/~/c") == isolated.parent / "home" / "c.toml"
    assert resolve_path("sub/~draft") == isolated / "sub" / "~draft.toml"


async def test_path_prompt_typing_an_absolute_path_over_the_name(isolated: Path, tmp_path: Path) -> None:
    app = Host(lambda: PathPrompt("Save scenario as", f"{isolated}/draft.toml"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await type_text(pilot, "~/elsewhere")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [tmp_path / "home" / "elsewhere.toml"]


# -- open scenario ------------------------------------------------------------------


def option_ids(screen: Screen[Any]) -> list[str]:
    return [option.id for option in screen.query_one(OptionList).options if option.id]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in ("b.toml", "a.toml", "notes.txt"):
        (folder / name).write_text("", encoding="utf-8")
    (folder / "dir.toml").mkdir()
    return folder


async def test_open_lists_presets_folder_files_and_existing_recent_files(folder: Path, tmp_path: Path) -> None:
    kept = tmp_path / "kept.toml"
    kept.write_text("", encoding="utf-8")
    recent = [kept, tmp_path / "gone.toml"]
    app = Host(lambda: OpenScenarioScreen(recent, folder))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        ids = option_ids(app.screen)
        assert {i.removeprefix("preset:") for i in ids if i.startswith("preset:")} == PRESETS
        assert [i for i in ids if i.startswith("file:")] == [f"file:{folder / 'a.toml'}", f"file:{folder / 'b.toml'}"]
        assert [i for i in ids if i.startswith("recent:")] == [f"recent:{kept}"]
        description = presets.load("baseline").description
        assert description[:20] in text_on_screen(app)
        assert "Presets" in text_on_screen(app) and "In this folder" in text_on_screen(app)
        assert_fits(app, "#path", "#choices", "#keys")


async def test_open_defaults_to_the_working_folder(isolated: Path) -> None:
    (isolated / "here.toml").write_text("", encoding="utf-8")
    app = Host(lambda: OpenScenarioScreen([]))
    async with app.run_test(size=LARGE) as pilot:
        await pilot.pause()
        assert f"file:{isolated / 'here.toml'}" in option_ids(app.screen)
        assert "Recent" not in text_on_screen(app)


async def test_open_enter_on_a_preset_returns_it(folder: Path) -> None:
    app = Host(lambda: OpenScenarioScreen([], folder))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press("down")  # into the list, on the first preset
        assert isinstance(app.focused, OptionList)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.results == [OpenChoice(preset=presets.names()[1])]


async def test_open_enter_on_a_folder_file_returns_its_path(folder: Path) -> None:
    app = Host(lambda: OpenScenarioScreen([], folder))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("tab", *["down"] * len(presets.names()), "enter")
        await pilot.pause()
        assert app.results == [OpenChoice(path=folder / "a.toml")]


async def test_open_up_from_the_first_option_returns_to_the_input(folder: Path) -> None:
    app = Host(lambda: OpenScenarioScreen([], folder))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("down", "up")
        assert isinstance(app.focused, Input)


async def test_open_typed_path_returns_it(folder: Path, isolated: Path) -> None:
    (isolated / "mine.toml").write_text("", encoding="utf-8")
    app = Host(lambda: OpenScenarioScreen([], folder))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await type_text(pilot, "mine")  # a bare name finds mine.toml
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [OpenChoice(path=isolated / "mine.toml")]


async def test_open_typed_preset_name_returns_the_preset(folder: Path) -> None:
    app = Host(lambda: OpenScenarioScreen([], folder))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await type_text(pilot, "seed-article")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [OpenChoice(preset="seed-article")]


async def test_open_missing_path_shows_an_error_and_stays_open(folder: Path) -> None:
    app = Host(lambda: OpenScenarioScreen([], folder))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await type_text(pilot, "nowhere/plan.toml")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        assert isinstance(app.screen, OpenScenarioScreen)
        assert app.screen.error.startswith("✗ ") and "plan.toml" in app.screen.error
        assert_fits(app, "#path", "#error", "#choices", "#keys")
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


def test_open_choice_is_a_preset_or_a_path() -> None:
    with pytest.raises(ValueError):
        OpenChoice()
    with pytest.raises(ValueError):
        OpenChoice(preset="baseline", path=Path("x.toml"))
    assert OpenChoice(path=Path("x.toml")).preset is None


# -- add change ---------------------------------------------------------------------


def add_change(scenario: Scenario | None = None, parameter: str | None = "containers_per_month") -> Host:
    return Host(lambda: AddChangeScreen(scenario or baseline(), parameter))


async def test_add_change_prefills_month_parameter_and_value() -> None:
    app = add_change()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#month", Input).value == "2025-09"  # middle of 2023-09..2027-08
        assert screen.query_one("#parameter", Select).value == "containers_per_month"
        assert screen.query_one("#value", Input).value == "1,100"
        assert "containers/month" in text_on_screen(app)
        assert_fits(app, "#month", "#parameter", "#value", "#buttons", "#keys")


async def test_add_change_returns_a_change_with_the_parsed_value() -> None:
    app = add_change()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await type_text(pilot, "2025-01")  # the month is selected: typing replaces it
        await pilot.press("tab", "tab")  # past the parameter, into the value (selected on focus)
        await type_text(pilot, "1.1k")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [Change("2025-01", "containers_per_month", 1100)]


async def test_add_change_percent_value() -> None:
    app = add_change(parameter="share_122_containers")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("tab", "tab")
        await type_text(pilot, "35%")
        await pilot.click("#add")
        await pilot.pause()
        assert app.results == [Change("2025-09", "share_122_containers", 35)]


async def test_add_change_month_outside_the_horizon_is_refused() -> None:
    app = add_change()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await type_text(pilot, "2030-01")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        assert isinstance(app.screen, AddChangeScreen)
        error = app.screen.error("month")
        assert error.startswith("✗ ") and "2023-09" in error and "2027-08" in error
        assert app.screen.error("value") == ""

        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "not a month")
        await pilot.press("enter")
        await pilot.pause()
        assert "YYYY-MM" in app.screen.error("month")

        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "2027-08")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [Change("2027-08", "containers_per_month", 1100)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("lots", "not a number"),
        ("9k", "outside"),
        ("-5", "outside"),
        ("", "type a value"),
        ("1e1000000", "too large"),
        ("9e999999k", "too large"),
    ],
)
async def test_add_change_bad_value_is_refused(typed: str, expected: str) -> None:
    app = add_change()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("tab", "tab", "end", "ctrl+u")
        await type_text(pilot, typed)
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        error = app.screen.error("value")
        assert error.startswith("✗ ") and expected in error
        assert "\n" not in error
        assert_fits(app, "#value-error", "#buttons")


async def test_add_change_shows_every_error_at_once_and_still_fits() -> None:
    app = add_change(parameter="nk_stock_initial")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await type_text(pilot, "1999-01")
        await pilot.press("tab", "tab", "end", "ctrl+u")
        await type_text(pilot, "huge")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        assert app.screen.error("month") and app.screen.error("value")
        assert_fits(app, "#month-error", "#note", "#value-error", "#buttons", "#keys")


async def test_add_change_offers_only_parameters_that_change_over_time() -> None:
    app = add_change(parameter="nk_stock_initial")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        select = app.screen.query_one("#parameter", Select)
        offered = {value for _label, value in select._options}
        assert offered == {p.key for p in registry.changeable()}
        assert "nk_stock_initial" not in offered and "ru_stock_initial" not in offered
        assert select.value == registry.changeable()[0].key
        assert "starting stock" in text_on_screen(app)


async def test_add_change_picking_another_parameter_refills_the_value() -> None:
    scenario = baseline().with_value("ru_production", 300_000)
    app = add_change(scenario, parameter="ru_fire_rate")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#value", Input).value == "20,000"
        await pilot.press("tab", "enter", "up", "up", "enter")  # open the list, two up: ru_production
        await pilot.pause()
        assert app.screen.query_one("#parameter", Select).value == "ru_production"
        assert app.screen.query_one("#value", Input).value == "300,000"
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_add_change_prefills_the_value_in_force_and_notes_a_replacement() -> None:
    scenario = baseline().with_changes([Change("2025-09", "containers_per_month", 500)])
    app = add_change(scenario)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#value", Input).value == "500"
        assert "replaces the change from 2025-09" in text_on_screen(app)


# -- help ---------------------------------------------------------------------------

SECTIONS = [
    ("Explorer", [("ctrl+s", "Save"), ("ctrl+o", "Open a scenario")]),
    ("Charts", [("left", "Previous month")]),
]


@pytest.mark.parametrize("key", ["escape", "q", "f1", "question_mark"])
async def test_help_shows_keys_and_closes(key: str) -> None:
    app = Host(lambda: HelpScreen(SECTIONS))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        text = text_on_screen(app)
        for part in ("Explorer", "ctrl+s", "Save", "Open a scenario", "Charts", "Previous month"):
            assert part in text
        assert_fits(app, "#body", "#keys")
        await pilot.press(key)
        await pilot.pause()
        assert app.results == [None]
        assert not isinstance(app.screen, ModalScreen)


async def test_help_scrolls_a_long_list_at_80x24() -> None:
    long = [("Many", [(f"k{i}", f"Action number {i}") for i in range(60)])]
    app = Host(lambda: HelpScreen(long))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert_fits(app, "#body", "#keys")
        body = app.screen.query_one("#body")
        assert body.max_scroll_y > 0
        assert "Action number 59" not in text_on_screen(app)
        await pilot.press("end")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y
        assert "Action number 59" in text_on_screen(app)


class Keyed(Widget, can_focus=True):
    BINDING_GROUP_TITLE = "Chart"
    BINDINGS = [  # noqa: RUF012
        Binding("left", "noop", "Previous month", id="chart.previous"),
        Binding("ctrl+s", "noop", "Save the chart", id="chart.save"),  # shadows the app's ctrl+s
        Binding("x", "noop", id="chart.hidden"),  # no description: skipped
    ]

    def action_noop(self) -> None:
        pass


class Unfocused(Widget):
    BINDINGS = [Binding("+,=", "noop", "Zoom in", id="unfocused.zoom")]  # noqa: RUF012


class LiveHost(TypeAhead, App[None]):
    BINDINGS = [  # noqa: RUF012
        Binding("ctrl+s", "noop", "Save", id="host.save"),
        Binding("ctrl+o", "noop", "Open", id="host.open"),
        Binding("f1,question_mark", "help", "Help", id="host.help"),
        Binding("z", "noop", id="host.nothing"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.results: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Keyed()

    def on_mount(self) -> None:
        self.query_one(Keyed).focus()

    def action_noop(self) -> None:
        pass

    def action_help(self) -> None:
        self.push_screen(HelpScreen(binding_sections(self, widgets=[Unfocused])), self.results.append)


async def test_binding_sections_from_the_live_app() -> None:
    app = LiveHost()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        sections = dict(binding_sections(app, widgets=[Unfocused]))
        assert list(sections) == ["General", "Screen", "Chart", "Unfocused"]
        general = dict(sections["General"])
        assert general["^o"] == "Open"
        assert general["f1, ?"] == "Help"
        assert "^s" not in general  # shadowed by the focused chart
        assert all(description for rows in sections.values() for _key, description in rows)
        assert dict(sections["Chart"]) == {"←": "Previous month", "^s": "Save the chart"}
        assert dict(sections["Unfocused"]) == {"+, =": "Zoom in"}
        rows = [row for rows in sections.values() for row in rows]
        assert len(rows) == len(set(rows))

        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = text_on_screen(app)
        assert "Previous month" in text and "Zoom in" in text and "General" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_binding_sections_fallback_and_help_without_sections() -> None:
    fallback = [("Explorer", [("ctrl+s", "Save")])]
    assert binding_sections(App(), fallback) == fallback  # not running: nothing to read

    app = LiveHost()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        app.push_screen(HelpScreen(), app.results.append)
        await pilot.pause()
        assert "Previous month" in text_on_screen(app)


# -- recovery -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["r"], "restore"),
        (["enter"], "restore"),
        (["d"], "discard"),
        (["escape"], "later"),  # a stray Escape never loses work
        (["l"], "later"),
        (["tab", "enter"], "discard"),
        (["tab", "tab", "enter"], "later"),
        (["D", "r"], "restore"),  # nothing else waits: there is no "all" to discard
    ],
)
async def test_recover_answers(keys: list[str], expected: str) -> None:
    app = Host(lambda: RecoverScreen("2025-03-04 17:22", "What if", "/data/plan.toml"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        assert app.results == [expected]


@pytest.mark.parametrize(("answer", "expected"), [("y", ["discard all"]), ("n", [])])
async def test_recover_discards_every_copy_waiting_only_once_asked(answer: str, expected: list[str]) -> None:
    app = Host(lambda: RecoverScreen("17:22", "What if", None, waiting=2))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("D")
        await pilot.pause()
        assert "Discard all 3 unsaved scenarios" in text_on_screen(app)
        await pilot.press(answer)
        await pilot.pause()
        assert app.results == expected
        assert isinstance(app.screen, RecoverScreen) == (answer == "n")  # "no": asked again


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_recover_says_which_of_how_many_copies_it_offers(size: tuple[int, int]) -> None:
    app = Host(lambda: RecoverScreen("17:22", "What if", None, waiting=11))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        text = text_on_screen(app)
        assert "Unsaved work (1 of 12)" in text
        assert "D Discard all 12" in text and "esc/l Later" in text
        assert_fits(app, "#message", "#buttons", "#keys")


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_recover_says_what_it_would_restore(size: tuple[int, int]) -> None:
    app = Host(lambda: RecoverScreen("2025-03-04 17:22", "What if [draft]", "/data/plan.toml"))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        message = str(app.screen.query_one("#message", Static).content)
        assert message == (
            'ammoflow did not close cleanly. Restore the unsaved scenario "What if [draft]" '
            "from 2025-03-04 17:22 (opened from /data/plan.toml)?"
        )
        text = text_on_screen(app)
        assert "[draft]" in text and "Restore" in text and "Discard" in text and "Later" in text
        assert "1 of" not in text and "Discard all" not in text  # nothing else waits
        assert_fits(app, "#message", "#buttons", "#keys")


async def test_recover_without_a_source_file() -> None:
    app = Host(lambda: RecoverScreen("17:22", "Untitled", None))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        text = text_on_screen(app)
        assert "Untitled" in text and "opened from" not in text


# -- key lines --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "keymap", "line", "key"),
    [
        (lambda: ConfirmScreen("Overwrite?", "It exists."), {"confirm.yes": "j"}, "j Yes · n/esc Cancel", "j"),
        (
            lambda: RecoverScreen("17:22", "What if", None, waiting=2),
            {"recover.restore": "o", "recover.discard_all": "ctrl+x"},
            "o/enter Restore · d Discard · ^x Discard all 3 · esc/l Later",
            "o",
        ),
        (
            lambda: PathPrompt("Save as", "a.toml"),
            {"path_prompt.cancel": "ctrl+g"},
            "enter accept · ^g cancel",
            "ctrl+g",
        ),
        (lambda: HelpScreen([]), {"help.close": "x"}, "↑↓ pgup pgdn scroll · x close", "x"),
    ],
)
async def test_a_dialogs_key_line_names_the_keys_as_remapped(
    make: Callable[[], Screen[Any]], keymap: dict[str, str], line: str, key: str
) -> None:
    app = Host(make, keymap)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert str(app.screen.query_one("#keys", Static).content) == line
        await pilot.press(key)  # and the key named does what the line says
        await pilot.pause()
        assert len(app.results) == 1


# -- uncertainty settings ------------------------------------------------------------


def settings_of(scenario: Scenario | None = None) -> Host:
    return Host(lambda: UncertaintyScreen(scenario or baseline()))


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_uncertainty_settings_show_the_scenarios_and_fit(size: tuple[int, int]) -> None:
    import attrs

    from ammoflow.scenarios.model.scenario import Uncertainty

    scenario = attrs.evolve(
        baseline(),
        uncertainty=Uncertainty(seed=7, runs=2_500, sampling="latin-hypercube", ranges={"ru_fire_rate": (1, 2)}),
    )
    app = settings_of(scenario)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#runs", Input).value == "2,500"
        assert screen.query_one("#seed", Input).value == "7"
        assert screen.query_one("#sampling", Select).value == "latin-hypercube"
        assert screen.query_one("#distribution", Select).value == "triangular"
        assert "ru_fire_rate" in text_on_screen(app)  # the ranges the file sets are named
        assert_fits(app, "#runs", "#seed", "#ranges", "#buttons", "#keys")


async def test_uncertainty_settings_return_what_was_typed_and_keep_the_ranges() -> None:
    import attrs

    from ammoflow.scenarios.model.scenario import Uncertainty

    scenario = attrs.evolve(baseline(), uncertainty=Uncertainty(ranges={"ru_fire_rate": (15_000, 30_000)}))
    app = settings_of(scenario)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await type_text(pilot, "10k")  # the runs are selected: typing replaces them
        app.screen.query_one("#distribution", Select).value = "uniform"
        app.screen.query_one("#seed", Input).value = "42"
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [
            Uncertainty(seed=42, runs=10_000, distribution="uniform", ranges={"ru_fire_rate": (15_000, 30_000)})
        ]


@pytest.mark.parametrize(
    ("field", "typed", "expected"),
    [
        ("runs", "0", "from 1 to 100,000"),
        ("runs", "200k", "from 1 to 100,000"),
        ("runs", "1.5", "whole number"),
        ("runs", "many", "not a number"),
        ("seed", "-1", "from 0 to"),
        ("seed", "", "type the seed"),
        ("runs", "1e1000000", "too large"),
        ("runs", "9e999999k", "too large"),
        ("seed", "1e999999999", "too large"),
    ],
)
async def test_uncertainty_settings_refuse_bad_numbers_and_say_why(field: str, typed: str, expected: str) -> None:
    app = settings_of()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        app.screen.query_one(f"#{field}", Input).value = typed
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        error = app.screen.error(field)
        assert error.startswith("✗ ") and expected in error, error
        assert_fits(app, f"#{field}-error", "#buttons")
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


# -- all screens --------------------------------------------------------------------


@pytest.mark.parametrize(
    "screen_class",
    [ConfirmScreen, PathPrompt, OpenScenarioScreen, AddChangeScreen, HelpScreen, RecoverScreen, UncertaintyScreen],
)
def test_every_binding_has_an_id_and_a_description(screen_class: type[Screen[Any]]) -> None:
    bindings = list(Binding.make_bindings(screen_class.BINDINGS))
    assert bindings
    for binding in bindings:
        assert binding.id and binding.description, binding
