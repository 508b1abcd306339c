"""Tests for the parameter rows and panel: what is shown, keys, typed values, help."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input, Static

from ammoflow.scenarios.model.registry import BY_KEY, DEFAULTS, GROUPS, PARAMETERS, format_number
from ammoflow.tui.keys import TypeAhead
from ammoflow.tui.panels.parameters import (
    NARROW_BELOW,
    REPORTED_ONLY,
    REPORTED_ONLY_TITLE,
    ParameterRow,
    ParametersPanel,
    parse_value,
)
from ammoflow.tui.widgets.slider import FloatSlider


def run_async(test: Callable[[], Coroutine[Any, Any, None]]) -> Callable[[], None]:
    """Run an async pilot test in its own event loop (no async pytest plugin needed)."""

    @functools.wraps(test)
    def wrapper() -> None:
        asyncio.run(test())

    return wrapper


class PanelHost(TypeAhead, App[None]):
    """A screen with the panel that records every edit it reports."""

    def __init__(self, **panel_kwargs: Any) -> None:
        super().__init__()
        self.panel_kwargs = panel_kwargs
        self.changes: list[tuple[str, float]] = []

    def compose(self) -> ComposeResult:
        yield ParametersPanel(edited=lambda key, value: self.changes.append((key, value)), **self.panel_kwargs)


def panel_of(app: App[Any]) -> ParametersPanel:
    return app.query_one(ParametersPanel)


def text_of(widget: Static) -> str:
    """The plain text a Static currently shows."""
    return widget.render().plain  # type: ignore[union-attr]


def value_text(row: ParameterRow) -> str:
    return text_of(row.query_one(".row--value", Static))


def label_text(row: ParameterRow) -> str:
    return text_of(row.query_one(".row--label", Static))


def error_text(row: ParameterRow) -> str | None:
    """The validation message under the row, or None when none is shown (the line is made when first needed)."""
    shown = [line for line in row.query(".row--error").results(Static) if line.display]
    return text_of(shown[0]) if shown else None


def help_text(app: App[Any]) -> str:
    return text_of(panel_of(app).query_one(".parameters--help", Static))


def screen_lines(app: App[Any]) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def open_editor(pilot: Any, key: str) -> ParameterRow:
    row = panel_of(pilot.app).focus_parameter(key)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert row.editing
    assert isinstance(pilot.app.focused, Input)
    return row


async def type_value(pilot: Any, key: str, text: str) -> ParameterRow:
    """Enter on the row, type ``text`` over the prefilled value, Enter."""
    row = await open_editor(pilot, key)
    await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()
    return row


# What is shown


@run_async
async def test_every_parameter_appears_with_label_and_formatted_value() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)):
        panel = panel_of(app)
        rows = list(panel.query(ParameterRow))
        # Registry order by group, but the reported-only parameters last under a title of their own.
        assert [row.parameter.key for row in rows] == [
            p.key for group, _ in GROUPS for p in PARAMETERS if p.group == group and p.key not in REPORTED_ONLY
        ] + list(REPORTED_ONLY)
        assert len(rows) == len(PARAMETERS)
        for row in rows:
            parameter = row.parameter
            assert label_text(row) == parameter.label
            assert value_text(row) == parameter.format(parameter.default)
            assert row.value == parameter.default
        titles = [text_of(title) for title in panel.query(".parameters--group").results(Static)]
        assert titles == [*(title for _, title in GROUPS), REPORTED_ONLY_TITLE]


@run_async
async def test_values_are_shown_in_human_format() -> None:
    values = {"containers_per_month": 1100, "share_122_containers": 20, "return_containers_ratio": 1.3}
    app = PanelHost(values=values)
    async with app.run_test(size=(80, 24)):
        panel = panel_of(app)
        assert value_text(panel.row("containers_per_month")) == "1,100 containers/month"
        assert value_text(panel.row("share_122_containers")) == "20 %"
        assert value_text(panel.row("return_containers_ratio")) == "1.3 ratio"
        assert value_text(panel.row("transit_months")) == "1 month"  # a count agrees with its noun


@run_async
async def test_rows_are_one_line_at_80_columns_with_value_in_full() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        row = panel_of(app).row("nk_capacity_russia")
        assert row.size.height == 1
        line = screen_lines(app)[row.region.y]
        assert line.startswith("Russia-order lines")
        assert "150,000 rounds/month" in line
        assert FloatSlider.THUMB_CHAR in line
        # The long label is cut with an ellipsis in its column.
        assert "…" in screen_lines(app)[panel_of(app).row("nk_stock_initial").region.y]


@run_async
async def test_narrow_rows_keep_label_value_and_slider_visible() -> None:
    app = PanelHost()
    async with app.run_test(size=(38, 24)) as pilot:
        await pilot.pause()
        row = panel_of(app).row("containers_per_month")
        assert row.size.width < NARROW_BELOW
        assert row.size.height == 2
        panel_of(app).focus_parameter("containers_per_month")
        await pilot.pause()
        lines = screen_lines(app)
        top = lines[row.region.y]
        assert top.startswith("Shipment rate")
        assert top.rstrip().endswith("1,100 containers/month") or "1,100 containers/month" in top
        assert FloatSlider.THUMB_CHAR in lines[row.region.y + 1]


@run_async
async def test_saved_value_is_marked_when_value_differs() -> None:
    app = PanelHost(values={"containers_per_month": 1200}, saved={"containers_per_month": 1100})
    async with app.run_test(size=(80, 24)):
        row = panel_of(app).row("containers_per_month")
        assert row.slider.saved == 1100
        assert value_text(row) == "*1,200 containers/month"
        assert value_text(panel_of(app).row("ru_fire_rate")) == "20,000 rounds/day"


# Slider keys and mouse


@run_async
async def test_right_arrow_steps_and_posts_value_changed() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        row = panel_of(app).focus_parameter("containers_per_month")
        await pilot.pause()
        await pilot.press("right")
        await pilot.pause()
        assert row.value == 1110
        assert value_text(row) == "1,110 containers/month"
        assert app.changes == [("containers_per_month", 1110)]
        await pilot.press("shift+left")
        await pilot.pause()
        assert app.changes[-1] == ("containers_per_month", 1010)


@run_async
async def test_first_row_has_focus_at_start_and_steps_by_its_own_step() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        first = PARAMETERS[0]
        await pilot.press("left")
        await pilot.pause()
        assert app.changes == [(first.key, first.default - first.step)]


@run_async
async def test_mouse_click_on_slider_posts_value_changed() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        row = panel_of(app).focus_parameter("nk_utilisation_other")
        await pilot.pause()
        await pilot.click(row.slider, offset=(row.slider.size.width - 1, 0))
        await pilot.pause()
        assert row.value == 100
        assert app.changes == [("nk_utilisation_other", 100)]


# Typed values


@run_async
async def test_typed_value_sets_exactly_and_posts() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        row = await type_value(pilot, "containers_per_month", "1,500")
        assert row.value == 1500
        assert value_text(row) == "1,500 containers/month"
        assert app.changes == [("containers_per_month", 1500)]
        assert not row.editing
        assert app.focused is row.slider
        assert error_text(row) is None


@run_async
async def test_editor_is_prefilled_with_the_current_value() -> None:
    app = PanelHost(values={"nk_stock_initial": 6_500_000})
    async with app.run_test(size=(80, 24)) as pilot:
        row = await open_editor(pilot, "nk_stock_initial")
        assert row.query_one(Input).value == "6,500,000"
        # Enter without typing keeps the value and posts nothing.
        await pilot.press("enter")
        await pilot.pause()
        assert not row.editing
        assert row.value == 6_500_000
        assert app.changes == []


@run_async
async def test_typed_value_between_steps_is_kept_exactly() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        row = await type_value(pilot, "return_containers_ratio", "1.33")
        assert row.value == 1.33
        assert value_text(row) == "1.33 ratio"
        await pilot.press("right")
        await pilot.pause()
        # The next step lands on the grid again.
        assert row.value == 1.35
        assert app.changes == [("return_containers_ratio", 1.33), ("return_containers_ratio", 1.35)]


@run_async
async def test_typed_suffixes_and_percent() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_value(pilot, "nk_stock_initial", "2.5M")
        await type_value(pilot, "share_122_containers", "35%")
        await type_value(pilot, "containers_per_month", "1.2k")
        assert app.changes == [
            ("nk_stock_initial", 2_500_000),
            ("share_122_containers", 35),
            ("containers_per_month", 1200),
        ]


@pytest.mark.parametrize(
    ("key", "typed", "expected"),
    [
        ("containers_per_month", "abc", "not a number"),
        ("containers_per_month", "-5", "outside its range 0 to 5,000 containers/month"),
        ("containers_per_month", "99999999", "outside its range"),
        ("transit_months", "1.5", "transit_months must be a whole number of months, not 1.5"),
        ("ru_fire_rate", "1e1000000", "ru_fire_rate must be a finite number"),
        ("ru_fire_rate", "1e999999999k", "ru_fire_rate must be a finite number"),
    ],
)
def test_bad_typed_value_shows_message_and_changes_nothing(key: str, typed: str, expected: str) -> None:
    async def scenario() -> None:
        app = PanelHost()
        # Short enough that the row sits at the bottom of the list when focused.
        async with app.run_test(size=(80, 14)) as pilot:
            row = await type_value(pilot, key, typed)
            message = error_text(row)
            assert message is not None
            assert expected in message
            assert row.value == BY_KEY[key].default
            assert value_text(row) == BY_KEY[key].format(BY_KEY[key].default)
            assert app.changes == []
            # The input stays open with the text, to be corrected or cancelled.
            assert row.editing
            assert row.query_one(Input).value == typed
            # The message is on screen, under the row.
            lines = screen_lines(app)
            error = row.query_one(".row--error", Static)
            assert expected[:20] in "".join(lines[error.region.y : error.region.bottom])
            await pilot.press("escape")
            await pilot.pause()
            assert not row.editing
            assert error_text(row) is None
            assert app.changes == []

    asyncio.run(scenario())


@run_async
async def test_bad_value_then_correction_applies() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        row = await type_value(pilot, "transit_months", "1.5")
        assert error_text(row) is not None
        await pilot.press("ctrl+u", "3")
        await pilot.pause()
        # Editing the text clears the message.
        assert error_text(row) is None
        await pilot.press("enter")
        await pilot.pause()
        assert row.value == 3
        assert app.changes == [("transit_months", 3)]


@run_async
async def test_escape_cancels_typing() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        row = await open_editor(pilot, "containers_per_month")
        await pilot.press("2", "0", "0", "0")
        await pilot.press("escape")
        await pilot.pause()
        assert not row.editing
        assert row.value == 1100
        assert app.focused is row.slider
        assert app.changes == []
        assert row.slider.display and not row.query_one(Input).display


@run_async
async def test_escape_is_free_when_not_typing() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        row = panel_of(app).focus_parameter("containers_per_month")
        await pilot.pause()
        assert row.check_action("cancel_edit", ()) is False
        assert row.check_action("edit_value", ()) is True


@run_async
async def test_down_while_typing_takes_the_typed_value_then_moves() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        row = await open_editor(pilot, "containers_per_month")
        await pilot.press(*"1,250", "down")
        await pilot.pause()
        assert not row.editing
        assert row.value == 1250
        assert app.changes == [("containers_per_month", 1250)]
        assert app.focused is panel_of(app).row("shells_152_per_container").slider


@run_async
async def test_tab_while_typing_takes_the_typed_value_then_moves() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        row = await open_editor(pilot, "containers_per_month")
        await pilot.press(*"1,250", "tab")
        await pilot.pause()
        assert not row.editing
        assert app.changes == [("containers_per_month", 1250)]
        assert app.focused is panel_of(app).row("shells_152_per_container").slider


@pytest.mark.parametrize("key", ["down", "up", "tab", "shift+tab"])
def test_leaving_with_a_value_not_allowed_keeps_it_with_its_message(key: str) -> None:
    asyncio.run(_leave_with_a_value_not_allowed(key))


async def _leave_with_a_value_not_allowed(key: str) -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        row = await open_editor(pilot, "containers_per_month")
        await pilot.press(*"lots", key)
        await pilot.pause()
        assert row.editing
        assert row.query_one(Input).value == "lots"
        assert error_text(row)
        assert app.focused is row.query_one(Input)
        assert app.changes == []


@run_async
async def test_focus_taken_elsewhere_while_typing_keeps_a_valid_value() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        row = await open_editor(pilot, "containers_per_month")
        await pilot.press(*"1,250")
        panel_of(app).row("transit_months").slider.focus()  # a click on another row
        await pilot.pause()
        assert not row.editing
        assert app.changes == [("containers_per_month", 1250)]


@run_async
async def test_down_without_typing_moves_and_changes_nothing() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        row = await open_editor(pilot, "containers_per_month")
        await pilot.press("down")
        await pilot.pause()
        assert not row.editing
        assert app.changes == []
        assert app.focused is panel_of(app).row("shells_152_per_container").slider


# Focus and help


@run_async
async def test_focusing_a_row_shows_its_description_and_source() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        first = PARAMETERS[0]
        assert first.description in help_text(app)
        panel_of(app).focus_parameter("ru_fire_rate")
        await pilot.pause()
        parameter = BY_KEY["ru_fire_rate"]
        text = help_text(app)
        assert parameter.label in text
        assert parameter.description in text
        assert parameter.source in text
        assert first.description not in text


@run_async
async def test_help_area_is_visible_at_80x24() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        panel_of(app).focus_parameter("nk_stock_initial")
        await pilot.pause()
        help_area = panel_of(app).query_one(".parameters--help", Static)
        assert help_area.region.bottom <= 24
        assert 2 <= help_area.region.height <= 6
        on_screen = " ".join(line.strip() for line in screen_lines(app)[help_area.region.y : help_area.region.bottom])
        assert "North Korean exportable stockpile at start" in on_screen
        assert "Source:" in on_screen
        assert BY_KEY["nk_stock_initial"].source.split()[-1] in on_screen
        # Moving to a parameter with a shorter help keeps the area (and the list) the same size.
        height = help_area.region.height
        panel_of(app).focus_parameter("transit_months")
        await pilot.pause()
        assert help_area.region.height == height


@run_async
async def test_up_and_down_move_between_rows_and_update_help() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = panel_of(app)
        keys = list(panel.rows)
        await pilot.press("down", "down")
        await pilot.pause()
        assert app.focused is panel.row(keys[2]).slider
        assert BY_KEY[keys[2]].description in help_text(app)
        await pilot.press("up")
        await pilot.pause()
        assert app.focused is panel.row(keys[1]).slider
        assert app.changes == []


@run_async
async def test_down_reaches_the_last_row_and_keeps_it_visible() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = panel_of(app)
        await pilot.press(*["down"] * (len(PARAMETERS) + 3))
        await pilot.pause()
        last = list(panel.rows.values())[-1]  # the display order (the reported-only rows last)
        assert app.focused is last.slider
        scroller = panel.query_one(".parameters--list", Widget)
        assert scroller.region.contains_region(last.region)
        await pilot.press(*["up"] * (len(PARAMETERS) + 3))
        await pilot.pause()
        assert app.focused is panel.row(PARAMETERS[0].key).slider
        assert scroller.region.contains_region(panel.row(PARAMETERS[0].key).region)


@run_async
async def test_moving_up_into_a_group_shows_its_title() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 14)) as pilot:
        panel = panel_of(app)
        scroller = panel.query_one(".parameters--list", Widget)
        titles = {text_of(title): title for title in panel.query(".parameters--group").results(Static)}
        await pilot.press(*["down"] * len(PARAMETERS))
        await pilot.pause()
        assert scroller.scroll_y > 0
        keys = list(panel.rows)
        await pilot.press(*["up"] * (len(keys) - 1 - keys.index("containers_per_month")))
        await pilot.pause()
        assert app.focused is panel.row("containers_per_month").slider
        assert scroller.region.contains_region(titles["Shipping"].region)
        await pilot.press(*["up"] * len(PARAMETERS))
        await pilot.pause()
        assert scroller.scroll_y == 0
        assert scroller.region.contains_region(titles["Production"].region)


@run_async
async def test_tab_moves_to_the_next_row() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is panel_of(app).row(PARAMETERS[1].key).slider


@run_async
async def test_focused_key_and_edit_parameter() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = panel_of(app)
        assert panel.focused_key == PARAMETERS[0].key
        row = panel.edit_parameter("ru_fire_rate")
        await pilot.pause()
        assert row.editing
        assert app.focused is row.query_one(Input)
        assert panel.focused_key == "ru_fire_rate"
        await pilot.press(*"25k", "enter")
        await pilot.pause()
        assert app.changes == [("ru_fire_rate", 25_000)]
        app.set_focus(None)
        await pilot.pause()
        assert panel.focused_key is None


@run_async
async def test_focus_parameter_rejects_unknown_keys() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)):
        with pytest.raises(KeyError, match="did you mean"):
            panel_of(app).focus_parameter("ru_fire_rat")


# Programmatic updates


@run_async
async def test_show_values_updates_without_posting() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = panel_of(app)
        values = dict(DEFAULTS, containers_per_month=1300, transit_months=2)
        panel.show_values(values, saved=DEFAULTS)
        await pilot.pause()
        assert app.changes == []
        assert panel.values == values
        assert value_text(panel.row("containers_per_month")) == "*1,300 containers/month"
        assert value_text(panel.row("transit_months")) == "*2 months"
        assert value_text(panel.row("ru_fire_rate")) == "20,000 rounds/day"
        # Saving the new values removes the marks; saved=None keeps them as they are.
        panel.show_values(values, saved=values)
        assert value_text(panel.row("containers_per_month")) == "1,300 containers/month"
        panel.show_values({"containers_per_month": 1400})
        assert value_text(panel.row("containers_per_month")) == "*1,400 containers/month"
        assert panel.row("containers_per_month").saved == 1300
        await pilot.pause()
        assert app.changes == []


@run_async
async def test_show_values_redraws_only_rows_that_changed() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = panel_of(app)
        updated: list[str] = []
        for key, row in panel.rows.items():
            value_widget = row.query_one(".row--value", Static)
            original = value_widget.update

            def counting(*args: Any, _key: str = key, _original: Any = original, **kwargs: Any) -> None:
                updated.append(_key)
                _original(*args, **kwargs)

            value_widget.update = counting  # type: ignore[method-assign]
        panel.show_values(dict(DEFAULTS, ru_fire_rate=25_000))
        await pilot.pause()
        assert updated == ["ru_fire_rate"]


@run_async
async def test_row_set_value_posts_nothing() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        row = panel_of(app).row("food_tonnes_per_container")
        row.set_value(22.5, saved=20)
        await pilot.pause()
        assert row.value == 22.5
        assert row.saved == 20
        row.set_value(21)
        assert row.saved == 20
        row.set_value(21, saved=None)
        assert row.saved is None
        await pilot.pause()
        assert app.changes == []


# Bindings


def test_bindings_have_ids_and_descriptions() -> None:
    bindings = [b for cls in (ParameterRow, ParametersPanel) for b in cls.BINDINGS if isinstance(b, Binding)]
    assert {b.id for b in bindings} == {
        "parameters.edit_value",
        "parameters.cancel_edit",
        "parameters.previous",
        "parameters.next",
        "parameters.about",
    }
    assert all(b.description and b.tooltip for b in bindings)


@run_async
async def test_keymap_remaps_edit_value() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)) as pilot:
        app.set_keymap({"parameters.edit_value": "e"})
        row = panel_of(app).focus_parameter("transit_months")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert row.editing


# Parsing typed text


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("containers_per_month", "1100", 1100),
        ("containers_per_month", "1_100", 1100),
        ("containers_per_month", "1,100", 1100),
        ("containers_per_month", "1.1k", 1100),
        ("containers_per_month", " 1.1K ", 1100),
        ("containers_per_month", "1,100 containers/month", 1100),
        ("containers_per_month", "1100.0", 1100),
        ("containers_per_month", "1e3", 1000),
        ("containers_per_month", "+0", 0),
        ("containers_per_month", "-0", 0),
        ("nk_stock_initial", "2M", 2_000_000),
        ("nk_stock_initial", "2m", 2_000_000),
        ("nk_stock_initial", "1.15M", 1_150_000),
        ("nk_stock_initial", "12,345,678", 12_345_678),
        ("nk_stock_initial", "0.01b", 10_000_000),
        ("share_122_containers", "35%", 35),
        ("share_122_containers", "35 %", 35),
        ("share_122_containers", "35", 35),
        ("share_122_containers", "12.5%", 12.5),
        ("return_containers_ratio", "1.3", 1.3),
        ("return_containers_ratio", ".75", 0.75),
        ("return_containers_ratio", "1.33", 1.33),
        ("transit_months", "2", 2),
        ("transit_months", "2.0", 2),
        ("food_tonnes_per_container", "22.5 tonnes", 22.5),
    ],
)
def test_parse_value_accepts(key: str, text: str, expected: float) -> None:
    value = parse_value(text, BY_KEY[key])
    assert value == expected
    assert isinstance(value, float)


def test_parse_value_decimal_suffix_is_exact() -> None:
    # In binary floating point 1.005 * 1000 is 1004.9999999999999.
    assert parse_value("1.005k", BY_KEY["containers_per_month"]) == 1005.0
    assert parse_value("2.01M", BY_KEY["nk_stock_initial"]) == 2_010_000.0
    assert parse_value("4.07M", BY_KEY["nk_stock_initial"]) == 4_070_000.0


@pytest.mark.parametrize(
    ("key", "text", "fragment"),
    [
        ("containers_per_month", "", "Type a value"),
        ("containers_per_month", "   ", "Type a value"),
        ("containers_per_month", "abc", '"abc" is not a number'),
        ("containers_per_month", "1.1.1", "not a number"),
        ("containers_per_month", "k", "not a number"),
        ("containers_per_month", "nan", "not a number"),
        ("containers_per_month", "inf", "not a number"),
        ("containers_per_month", "1,5", "commas only group thousands"),
        ("containers_per_month", "11,00", "commas only group thousands"),
        ("containers_per_month", "1__100", "underscores"),
        ("containers_per_month", "_1100", "underscores"),
        ("containers_per_month", "35%", "not a percentage"),
        ("containers_per_month", "-5", "outside its range 0 to 5,000 containers/month"),
        ("containers_per_month", "99999999", "outside its range"),
        ("containers_per_month", "5.001k", "outside its range"),
        ("containers_per_month", "1e999", "finite"),
        ("share_122_containers", "101%", "outside its range 0 to 100 %"),
        ("transit_months", "1.5", "transit_months must be a whole number of months, not 1.5"),
        ("transit_months", "7", "outside its range"),
    ],
)
def test_parse_value_rejects_with_a_message(key: str, text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=None) as caught:
        parse_value(text, BY_KEY[key])
    assert fragment in str(caught.value)


def test_parse_value_uses_registry_wording_for_range() -> None:
    parameter = BY_KEY["containers_per_month"]
    with pytest.raises(ValueError) as caught:
        parse_value("6,000", parameter)
    assert str(caught.value) == parameter.out_of_range(6000)


def test_parse_value_example_uses_the_default() -> None:
    with pytest.raises(ValueError) as caught:
        parse_value("lots", BY_KEY["nk_stock_initial"])
    assert format_number(BY_KEY["nk_stock_initial"].default) in str(caught.value)
    assert "6M" in str(caught.value)
