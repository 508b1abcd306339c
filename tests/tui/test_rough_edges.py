"""The explorer's rough edges, each as a user met it: focus after "too small", the tab bar,
typed values, the quit dialog, fitted precision, long names, sources, saving honestly."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pilot_waits import settle, settle_until
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Button, Input, Select, Static, TabbedContent

from ammoflow.scenarios.files import presets
from ammoflow.scenarios.files.scenario_toml import read_scenario, scenario_text
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.scenario import baseline
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.dialogs.path_prompt import PathPrompt
from ammoflow.tui.dialogs.seek import SeekScreen
from ammoflow.tui.explorer import TAB_TITLES
from ammoflow.tui.panels import tab_labels
from ammoflow.tui.panels.parameters import ParametersPanel

pytestmark = pytest.mark.usefixtures("private_state")


async def test_after_too_small_the_focus_comes_back_to_the_parameter_it_was_on() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        panel = app.query_one(ParametersPanel)
        panel.focus_parameter("ru_fire_rate")
        await pilot.pause()
        await pilot.resize_terminal(59, 19)
        await pilot.pause()
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert panel.focused_key == "ru_fire_rate"
        await pilot.press("right")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == 20_500


async def test_while_too_small_keys_that_change_things_do_nothing_unseen() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.resize_terminal(59, 19)
        await pilot.pause()
        app.explorer.workspace.baseline = app.explorer.workspace.scenario.with_value("ru_fire_rate", 30_000)
        pinned = app.explorer.workspace.baseline
        await pilot.press("3", "b", "u", "right")
        await settle(pilot, app)
        assert app.explorer.workspace.baseline is pinned
        assert not app.explorer.fans_on
        assert not app.explorer.workspace.modified
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert app.query_one("#tabs", TabbedContent).active == "containers"


@pytest.mark.parametrize("size", [(120, 40), (100, 30), (80, 24)], ids=["120x40", "100x30", "80x24"])
async def test_every_tab_is_visible_in_the_tab_bar(size: tuple[int, int]) -> None:
    from textual.widgets import Tab, Tabs

    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        bar = app.query_one("#tabs", TabbedContent).query_one(Tabs)
        tabs = list(bar.query(Tab))
        assert len(tabs) == 11
        for tab in tabs:
            assert tab.region.width > 0, tab.label_text
            assert bar.region.x <= tab.region.x and tab.region.right <= bar.region.right, tab.label_text
        assert any(tab.label_text in ("Tornado", "Torn", "Trn") for tab in tabs)


@given(st.integers(min_value=0, max_value=200))
def test_tab_labels_fit_whenever_the_shortest_do(width: int) -> None:
    titles = list(TAB_TITLES.values())
    chosen = tab_labels.fitting(titles, width)
    shortest = tab_labels.TabLabels(tuple(tab_labels.TINY[t] for t in titles), (1, 0))
    assert chosen.width <= width or chosen == shortest
    assert len(chosen.labels) == len(titles)
    if width >= len(" ".join(titles)) + 2 * len(titles):
        assert chosen.labels == tuple(titles)  # full names wherever they fit with Textual's spacing


async def test_the_quit_dialog_can_save_then_quit(private_state: Path) -> None:
    path = private_state / "mine.toml"
    path.write_text(scenario_text(baseline()))
    app = AmmoflowApp(read_scenario(path), path, str(path), offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("right")
        await settle(pilot, app)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert "Save and quit" in str(app.screen.query_one("#save", Button).label)
        await pilot.press("ctrl+s")
        await settle_until(pilot, lambda: not app.is_running)
        assert not app.is_running
    assert read_scenario(path).values["ru_fire_rate"] == 20_500


async def test_save_and_quit_without_a_file_asks_where_and_stays_if_not_saved(private_state: Path) -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("right")
        await settle(pilot, app)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PathPrompt)  # where to save: the scenario has no file yet
        await pilot.press("escape")  # no file chosen: nothing saved, nothing lost
        await pilot.pause()
        assert app.is_running
        assert app.explorer.workspace.modified


async def seek_and_apply(pilot: Pilot[None], app: AmmoflowApp, parameter: str, figure: str, target: str) -> None:
    await pilot.press("g")
    await settle_until(pilot, lambda: isinstance(app.screen, SeekScreen))
    app.screen.query_one("#parameter", Select).value = parameter
    app.screen.query_one("#figure", Select).value = figure
    field = app.screen.query_one("#target", Input)
    field.value = target
    field.focus()
    await pilot.press("enter")  # seek
    await settle_until(pilot, lambda: isinstance(app.screen, SeekScreen) and app.screen.can_apply)
    await pilot.press("enter")  # apply
    await settle(pilot, app)


async def test_a_value_found_by_goal_seek_enters_the_scenario_to_the_parameters_precision(private_state: Path) -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        # Found between two slider points: 416.666… containers a month.
        await seek_and_apply(pilot, app, "containers_per_month", "containers_shipped", "20,000")
        value = app.explorer.workspace.scenario.values["containers_per_month"]
        assert value == 417
        row = app.query_one(ParametersPanel).row("containers_per_month")
        shown = str(row.query_one(".row--value", Static).render())
        assert shown.endswith("containers/month")
        assert row.query_one(".row--value", Static).content_size.width >= len(shown)
        await pilot.press("S")
        await pilot.pause()
        app.screen.query_one(Input).value = "found.toml"
        await pilot.press("enter")
        await settle(pilot, app)
    assert "containers_per_month = 417 #" in (private_state / "found.toml").read_text()


@pytest.mark.parametrize("value", [1075.0778853575528, 4999.99, 0.123456])
async def test_the_value_beside_a_slider_never_cuts_its_unit(value: float) -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        row = app.query_one(ParametersPanel).row("containers_per_month")
        row.set_value(value)
        await pilot.pause()
        text = row.query_one(".row--value", Static)
        shown = str(text.render())
        assert shown.endswith(" containers/month")
        assert len(shown) <= text.content_size.width


@given(st.sampled_from(registry.PARAMETERS), st.floats(allow_nan=False, allow_infinity=False, width=32))
def test_a_rounded_value_is_within_half_a_resolution_and_in_range(parameter: registry.Parameter, value: float) -> None:
    rounded = parameter.rounded(value)
    clamped = min(max(value, parameter.low), parameter.high)
    assert parameter.low <= rounded <= parameter.high
    half = 0.5 if parameter.integer or parameter.resolution >= 1 else parameter.resolution / 2
    assert abs(rounded - clamped) <= half * (1 + 1e-9)
    assert parameter.out_of_range(rounded) is None


def header_text(app: AmmoflowApp) -> str:
    from textual.widgets._header import HeaderTitle

    return str(app.screen.query_one(HeaderTitle).render())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_a_long_name_leaves_the_modified_marker_and_the_file_in_view(private_state: Path, size) -> None:  # type: ignore[no-untyped-def]
    path = private_state / "long.toml"
    long_name = "A scenario with a very long name that says far more than any title bar can hold " * 2
    path.write_text(scenario_text(attrs.evolve(baseline(), name=long_name)))
    app = AmmoflowApp(read_scenario(path), path, str(path), offer_recovery=False)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        assert "long.toml" in header_text(app)  # the file ctrl+s writes
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("right")
        await settle(pilot, app)
        shown = header_text(app)
        assert "modified" in shown
        assert "long.toml" in shown
        from textual.widgets._header import HeaderTitle

        assert len(shown) <= app.screen.query_one(HeaderTitle).content_size.width


async def test_the_title_says_a_preset_has_no_file_until_saved(private_state: Path) -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert "no file" in app.sub_title
        await pilot.press("S")
        await pilot.pause()
        app.screen.query_one(Input).value = "mine.toml"
        await pilot.press("enter")
        await settle(pilot, app)
        assert "mine.toml" in app.sub_title and "no file" not in app.sub_title


async def save_as(pilot: Pilot[None], app: AmmoflowApp, name: str) -> None:
    await pilot.press("S")
    await settle_until(pilot, lambda: isinstance(app.screen, PathPrompt))
    app.screen.query_one(Input).value = name
    await pilot.press("enter")
    await settle(pilot, app)


async def test_a_modified_preset_saved_keeps_its_comments_and_says_it_was_modified(private_state: Path) -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("right")
        await settle(pilot, app)
        await save_as(pilot, app, "mine.toml")
    text = (private_state / "mine.toml").read_text()
    assert "the stockpiles are assumptions" in text  # the preset's comment on its sources
    saved = read_scenario(private_state / "mine.toml")
    assert saved.values["ru_fire_rate"] == 20_500
    assert saved.description != presets.load("baseline").description
    assert "derived from" in saved.description.lower() and "modified" in saved.description.lower()
    assert saved.name != presets.load("baseline").name
    assert text.startswith("# Derived from the preset")


async def test_an_unmodified_preset_saved_keeps_its_own_words(private_state: Path) -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await save_as(pilot, app, "copy.toml")
    saved = read_scenario(private_state / "copy.toml")
    assert saved == presets.load("baseline")
    assert "the stockpiles are assumptions" in (private_state / "copy.toml").read_text()


async def test_a_file_saved_under_a_new_name_keeps_its_comments(private_state: Path) -> None:
    path = private_state / "mine.toml"
    path.write_text("# My own reasons for these numbers.\n" + scenario_text(baseline()))
    app = AmmoflowApp(read_scenario(path), path, str(path), offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("right")
        await settle(pilot, app)
        await save_as(pilot, app, "other.toml")
    text = (private_state / "other.toml").read_text()
    assert "# My own reasons for these numbers." in text
    assert read_scenario(private_state / "other.toml").values["ru_fire_rate"] == 20_500


async def test_at_80x24_a_source_cut_in_the_help_area_can_be_read_in_full() -> None:
    from ammoflow.tui.dialogs.parameter_info import ParameterInfoScreen

    parameter = max(registry.PARAMETERS, key=lambda p: len(p.description) + len(p.source))
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.query_one(ParametersPanel).focus_parameter(parameter.key)
        await pilot.pause()
        help_area = app.query_one(".parameters--help", Static)
        shown = str(help_area.render())
        needed = help_area.render().get_height(help_area.styles, help_area.content_size.width)  # type: ignore[union-attr, arg-type]
        assert needed > help_area.content_size.height  # too long for the area here
        assert shown.startswith("i reads all")
        await pilot.press("i")
        await settle_until(pilot, lambda: isinstance(app.screen, ParameterInfoScreen))
        text = str(app.screen.query_one("#text", Static).render())
        assert parameter.source in text.replace("\n", " ")
        await pilot.press("escape")
        await pilot.pause()
        assert app.query_one(ParametersPanel).focused_key == parameter.key


async def test_toasts_name_parameters_by_their_labels() -> None:
    app = AmmoflowApp(presets.load("nk-cutback-2025"), None, "nk-cutback-2025", offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        removed = app.explorer.workspace.scenario.changes[0].parameter
        app.explorer.action_show_tab("changes")
        app.query_one("#changes-table").focus()
        await pilot.pause()
        await pilot.press("x")
        await settle(pilot, app)
        said = [n for n in app.notices if n.startswith("Removed")]
        assert said and registry.BY_KEY[removed].label in said[-1] and removed not in said[-1]


def test_a_fit_is_described_by_the_parameters_labels() -> None:
    from ammoflow.scenarios.analysis.fit import fit
    from ammoflow.scenarios.files.observation_csv import read_observations
    from ammoflow.tui.dialogs.fit import describe

    scenario = presets.load("baseline")
    result = fit(scenario, ("containers_per_month", "ru_fire_rate"), read_observations())
    console = Console(width=120, record=True)
    console.print(describe(result, scenario))
    text = console.export_text()
    assert "Shipment rate" in text and "Russian fire rate" in text
    assert "containers_per_month" not in text and "ru_fire_rate" not in text


async def test_the_palette_has_one_quit() -> None:
    from ammoflow.tui.commands import ExplorerCommands

    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        system = [command.title for command in app.get_system_commands(app.screen)]
        ours = [name for name, _help, _run in ExplorerCommands(app.screen)._commands()]
        assert [title for title in system + ours if "quit" in title.lower()] == ["Quit"]


async def test_a_key_map_entry_taking_another_actions_key_is_refused_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"app.pin_baseline" = "u"\n')
    monkeypatch.setenv("AMMOFLOW_CONFIG", str(config))
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        warnings = [n for n in app.notices if '"u"' in n]
        assert warnings and "app.toggle_fans" in warnings[0] and "app.pin_baseline" in warnings[0]
        assert f"{config}:2" in warnings[0]
        await pilot.press("u")  # still the bands: the key stays where it was
        await pilot.pause()
        assert app.explorer.fans_on


def test_swapping_two_keys_is_no_conflict(tmp_path: Path) -> None:
    from ammoflow.tui.app import binding_defaults
    from ammoflow.tui.keymap import read_keymap

    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"app.pin_baseline" = "u"\n"app.toggle_fans" = "b"\n')
    keymap, problems = read_keymap(config, binding_defaults())
    assert problems == []
    assert keymap == {"app.pin_baseline": "u", "app.toggle_fans": "b"}


def test_a_dialogs_key_is_free_for_the_explorer_but_the_apps_own_are_not(tmp_path: Path) -> None:
    """p unpins in the runs dialog only, so the explorer may take it; ctrl+q quits under every dialog."""
    from ammoflow.tui.app import binding_defaults
    from ammoflow.tui.keymap import read_keymap

    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"app.pin_baseline" = "p"\n"runs.unpin" = "ctrl+q"\n')
    keymap, problems = read_keymap(config, binding_defaults())
    assert keymap == {"app.pin_baseline": "p"}
    assert len(problems) == 1 and "runs.unpin" in problems[0] and "app.quit" in problems[0]


async def test_the_readme_says_where_parameter_rows_become_two_line() -> None:
    from ammoflow.tui.panels.parameters import ParameterRow

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert "below 120 columns the parameter rows take two lines" in " ".join(readme.split()).lower()
    for width, two_line in ((119, True), (120, False), (100, True)):
        app = AmmoflowApp(offer_recovery=False)
        async with app.run_test(size=(width, 30)) as pilot:
            await pilot.pause()
            assert app.query(ParameterRow).first().has_class("-narrow") == two_line, width


async def test_on_two_line_rows_a_blank_column_parts_the_label_from_the_value() -> None:
    from ammoflow.tui.panels.parameters import ParameterRow

    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        panel = app.query_one(ParametersPanel)
        panel.focus_parameter("containers_per_month")
        await pilot.press("left")  # "*1,090 containers/month": the widest value, marked
        await settle(pilot, app)
        for row in app.query(ParameterRow):
            value = row.query_one(".row--value", Static)
            assert row.has_class("-narrow")
            # Not "Shipment rate*1,090": the text leaves at least one column of its own blank.
            assert len(str(value.render())) < value.region.width, row.parameter.key


async def test_a_corrupt_recovery_file_is_reported_and_kept_aside(stopped_explorer) -> None:  # type: ignore[no-untyped-def]
    slot = stopped_explorer(presets.load("baseline").with_value("ru_fire_rate", 33_000))
    slot.path.write_text("this is not = a [recovery copy")
    app = AmmoflowApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        said = [n for n in app.notices if "cannot be restored" in n]
        assert said, app.notices
    kept = [p for p in slot.path.parent.iterdir() if p.name.startswith(slot.path.name)]
    assert kept and kept[0].read_text() == "this is not = a [recovery copy"
    assert str(kept[0]) in said[0]


async def test_the_chosen_theme_is_remembered_for_the_next_start() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        first = app.theme
        await pilot.press("t")
        await pilot.pause()
        chosen = app.theme
        assert chosen != first
    again = AmmoflowApp(offer_recovery=False)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot, again)
        assert again.theme == chosen


async def test_a_remembered_theme_that_no_longer_exists_is_ignored() -> None:
    from ammoflow.tui import userfiles

    (userfiles.state_folder()).mkdir(parents=True, exist_ok=True)
    (userfiles.state_folder() / "theme.json").write_text('"no-such-theme"')
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert app.theme == "textual-dark"


async def test_goal_seek_and_fit_start_on_a_parameter_that_matters() -> None:
    from ammoflow.tui.dialogs.fit import FitScreen

    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.query_one(ParametersPanel).focus_parameter("nk_utilisation_other")  # moves nothing the figures show
        await pilot.pause()
        await pilot.press("g")
        await settle_until(pilot, lambda: isinstance(app.screen, SeekScreen))
        assert app.screen.query_one("#parameter", Select).value == "containers_per_month"
        await pilot.press("escape")
        await settle_until(pilot, lambda: not isinstance(app.screen, SeekScreen))
        await pilot.press("F")
        await settle_until(pilot, lambda: isinstance(app.screen, FitScreen))
        assert isinstance(app.screen, FitScreen) and app.screen.initial_keys == ("containers_per_month",)


async def test_the_other_export_lines_come_last_under_a_title_that_says_what_they_do() -> None:
    from textual.widgets import Static as Text

    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        panel = app.query_one(ParametersPanel)
        keys = list(panel.rows)
        assert keys[-2:] == ["nk_capacity_other", "nk_utilisation_other"]
        assert keys[:2] == ["nk_capacity_russia", "nk_utilisation_russia"]
        titles = [str(t.render()) for t in panel.query(".parameters--group").results(Text)]
        assert "reported only" in titles[-1]


async def test_help_explains_each_key_figure_and_chart_mark() -> None:
    from ammoflow.scenarios.model.figures import FIGURES
    from ammoflow.tui.dialogs.help import HelpScreen
    from ammoflow.tui.panels.chart_tabs import MARKERS

    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("f1")
        await settle_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert isinstance(app.screen, HelpScreen) and app.screen.sections is not None
        rows = {key: what for _title, section in app.screen.sections for key, what in section}
        for figure in FIGURES:
            assert rows.get(figure.label) == figure.description
        for _kind, _met, glyph, meaning in MARKERS:
            assert meaning in rows.get(glyph, ""), glyph
        assert "now" in rows.get("┃", "") and "last observed" in rows.get("╎", "")


async def test_a_save_as_that_cannot_be_written_says_why_in_the_prompt(private_state: Path) -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("S")
        await settle_until(pilot, lambda: isinstance(app.screen, PathPrompt))
        app.screen.query_one(Input).value = "/proc/ammoflow-cannot-be-here.toml"  # refused even to root
        await pilot.press("enter")
        await settle_until(pilot, lambda: isinstance(app.screen, PathPrompt) and bool(app.screen.error))
        assert isinstance(app.screen, PathPrompt)  # the prompt stays, the reason under the path
        assert "ammoflow-cannot-be-here" in str(app.screen.query_one("#error", Static).render())
        assert not [n for n in app.notices if "Not saved" in n or "cannot-be-here" in n]
        await pilot.press("escape")
        await pilot.pause()
        assert app.explorer.workspace.path is None


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_the_add_change_drop_down_stays_inside_its_dialog(size: tuple[int, int]) -> None:
    from textual.widgets._select import SelectOverlay

    from ammoflow.tui.dialogs.add_change import AddChangeScreen

    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        await pilot.press("a")
        await settle_until(pilot, lambda: isinstance(app.screen, AddChangeScreen))
        select = app.screen.query_one("#parameter", Select)
        select.focus()
        await pilot.pause()
        await pilot.press("enter")
        await settle_until(pilot, lambda: select.expanded)
        await pilot.pause()
        overlay = select.query_one(SelectOverlay)
        dialog = app.screen.query_one("#dialog")
        assert overlay.region.height > 3
        inside = dialog.region.shrink(dialog.styles.border.spacing)  # within the border, not over it
        assert inside.contains_region(overlay.region), (overlay.region, inside)


def choice_texts(screen: object) -> list[str]:
    from textual.widgets import OptionList

    options = screen.query_one("#choices", OptionList).options  # type: ignore[attr-defined]
    return [str(option.prompt) for option in options if not option.disabled]


async def test_the_open_dialog_filters_as_you_type_and_marks_invalid_files(private_state: Path) -> None:
    from ammoflow.tui.dialogs.open_scenario import OpenScenarioScreen

    (private_state / "good.toml").write_text(scenario_text(presets.load("baseline")))
    (private_state / "broken.toml").write_text("name = [unclosed\n")
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+o")
        await settle_until(pilot, lambda: isinstance(app.screen, OpenScenarioScreen))
        screen = app.screen
        listed = choice_texts(screen)
        broken = next(text for text in listed if "broken.toml" in text)
        good = next(text for text in listed if "good.toml" in text)
        assert "✗" in broken and "✗" not in good
        await pilot.press(*"cut")
        await pilot.pause()
        assert [text.split()[0] for text in choice_texts(screen)] == ["nk-cutback-2025"]
        await pilot.press("backspace", "backspace", "backspace", *"good")
        await pilot.pause()
        assert [text.strip() for text in choice_texts(screen)] == ["good.toml"]
