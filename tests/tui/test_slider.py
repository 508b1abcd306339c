"""Tests for the float slider: keyboard, mouse, rendering and snapping."""

from __future__ import annotations

import asyncio
import functools
import math
from collections.abc import Callable, Coroutine
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.binding import Binding

from ammoflow.tui.widgets.slider import FloatSlider, grid_decimals, snap, step_value


def run_async(test: Callable[[], Coroutine[Any, Any, None]]) -> Callable[[], None]:
    """Run an async pilot test in its own event loop (no async pytest plugin needed)."""

    @functools.wraps(test)
    def wrapper() -> None:
        asyncio.run(test())

    return wrapper


class SliderHost(App[None]):
    """A screen with one slider that records every Changed message."""

    def __init__(self, css: str = "", **slider_kwargs: Any) -> None:
        self.CSS = css
        super().__init__()
        self.slider_kwargs = slider_kwargs
        self.changes: list[float] = []

    def compose(self) -> ComposeResult:
        yield FloatSlider(id="slider", **self.slider_kwargs)

    def on_float_slider_changed(self, message: FloatSlider.Changed) -> None:
        assert message.control is message.slider
        self.changes.append(message.value)


def host(value: float = 5.0, css: str = "", **kwargs: Any) -> SliderHost:
    options: dict[str, Any] = {
        "low": 0.0,
        "high": 10.0,
        "step": 0.1,
        "coarse_step": 1.0,
    }
    options.update(kwargs)
    return SliderHost(css=css, value=value, **options)


def slider_of(app: App[Any]) -> FloatSlider:
    return app.query_one("#slider", FloatSlider)


def line_text(slider: FloatSlider) -> str:
    return slider.render_line(0).text


# Keyboard


@run_async
async def test_arrows_move_one_step_and_post_changed() -> None:
    app = host(5.0)
    async with app.run_test() as pilot:
        slider = slider_of(app)
        assert app.focused is slider
        await pilot.press("right")
        await pilot.pause()
        assert slider.value == 5.1
        assert app.changes == [5.1]
        await pilot.press("left", "left")
        await pilot.pause()
        assert slider.value == 4.9
        assert app.changes == [5.1, 5.0, 4.9]


@run_async
async def test_coarse_steps() -> None:
    app = host(5.0)
    async with app.run_test() as pilot:
        slider = slider_of(app)
        await pilot.press("shift+right")
        await pilot.pause()
        assert slider.value == 6.0
        await pilot.press("pageup")
        await pilot.pause()
        assert slider.value == 7.0
        await pilot.press("pagedown", "shift+left", "shift+left")
        await pilot.pause()
        assert slider.value == 4.0
        assert app.changes == [6.0, 7.0, 6.0, 5.0, 4.0]


@run_async
async def test_home_and_end_go_to_the_ends() -> None:
    app = host(5.0)
    async with app.run_test() as pilot:
        slider = slider_of(app)
        await pilot.press("end")
        await pilot.pause()
        assert slider.value == 10.0
        await pilot.press("home")
        await pilot.pause()
        assert slider.value == 0.0
        assert app.changes == [10.0, 0.0]


@run_async
async def test_clamps_at_high_without_posting() -> None:
    app = host(10.0)
    async with app.run_test() as pilot:
        slider = slider_of(app)
        await pilot.press("right", "shift+right", "pageup", "end")
        await pilot.pause()
        assert slider.value == 10.0
        assert app.changes == []


@run_async
async def test_clamps_at_low_without_posting() -> None:
    app = host(0.0)
    async with app.run_test() as pilot:
        slider = slider_of(app)
        await pilot.press("left", "shift+left", "pagedown", "home")
        await pilot.pause()
        assert slider.value == 0.0
        assert app.changes == []


@run_async
async def test_coarse_step_clamps_to_the_end() -> None:
    app = host(9.5)
    async with app.run_test() as pilot:
        slider = slider_of(app)
        await pilot.press("pageup")
        await pilot.pause()
        assert slider.value == 10.0
        assert app.changes == [10.0]


@run_async
async def test_ten_steps_of_a_tenth_are_exact() -> None:
    app = host(0.0, high=5.0)
    async with app.run_test() as pilot:
        slider = slider_of(app)
        await pilot.press(*["right"] * 10)
        await pilot.pause()
        assert slider.value == 1.0
        assert app.changes[-1] == 1.0
        assert len(app.changes) == 10


@run_async
async def test_burst_of_keys_posts_one_message_per_change() -> None:
    app = host(0.0)
    async with app.run_test() as pilot:
        slider = slider_of(app)
        await pilot.press(*["right"] * 120)
        await pilot.pause()
        # 100 steps reach the top; the last 20 presses change nothing.
        assert slider.value == 10.0
        assert len(app.changes) == 100
        assert app.changes[:3] == [0.1, 0.2, 0.3]


@run_async
async def test_off_grid_high_is_reachable_and_steps_back_onto_grid() -> None:
    app = host(0.0, high=1.0, step=0.3, coarse_step=0.6)
    async with app.run_test() as pilot:
        slider = slider_of(app)
        await pilot.press("right", "right", "right")
        await pilot.pause()
        assert slider.value == 0.9
        await pilot.press("right")
        await pilot.pause()
        assert slider.value == 1.0
        await pilot.press("left")
        await pilot.pause()
        assert slider.value == 0.9
        await pilot.press("pagedown")
        await pilot.pause()
        assert slider.value == 0.3


@run_async
async def test_disabled_slider_ignores_keys() -> None:
    app = host(5.0, disabled=True)
    async with app.run_test() as pilot:
        slider = slider_of(app)
        slider.focus()
        await pilot.press("right", "end")
        await pilot.pause()
        assert slider.value == 5.0
        assert app.changes == []


def test_bindings_have_ids_and_tooltips() -> None:
    bindings = {b.id: b for b in FloatSlider.BINDINGS if isinstance(b, Binding)}
    assert set(bindings) == {
        "slider.step_up",
        "slider.step_down",
        "slider.coarse_up",
        "slider.coarse_down",
        "slider.to_low",
        "slider.to_high",
    }
    assert all(b.tooltip and b.description for b in bindings.values())
    assert all("enter" not in b.key.split(",") for b in bindings.values())


@run_async
async def test_keymap_remaps_a_binding() -> None:
    app = host(5.0)
    async with app.run_test() as pilot:
        app.set_keymap({"slider.step_up": "l"})
        await pilot.press("l")
        await pilot.pause()
        assert slider_of(app).value == 5.1


# Programmatic updates


@run_async
async def test_set_value_posts_nothing_by_default() -> None:
    app = host(5.0)
    async with app.run_test() as pilot:
        slider = slider_of(app)
        slider.set_value(7.0)
        slider.set_value(3.14159)
        await pilot.pause()
        assert slider.value == 3.1
        assert app.changes == []
        slider.set_value(4.0, notify=True)
        slider.set_value(4.0, notify=True)  # unchanged: nothing more
        await pilot.pause()
        assert app.changes == [4.0]


@run_async
async def test_value_is_clamped_and_snapped_on_assignment() -> None:
    app = host(5.0)
    async with app.run_test():
        slider = slider_of(app)
        slider.value = 12.0
        assert slider.value == 10.0
        slider.value = -3.0
        assert slider.value == 0.0
        slider.value = 2.04999
        assert slider.value == 2.0


def test_initial_value_is_snapped() -> None:
    slider = FloatSlider(2.26, low=0.0, high=10.0, step=0.1, coarse_step=1.0)
    assert slider.value == 2.3
    assert FloatSlider(99, low=0, high=10, step=1, coarse_step=2).value == 10


@pytest.mark.parametrize(
    "kwargs",
    [
        {"low": 1.0, "high": 0.0, "step": 0.1, "coarse_step": 1.0},
        {"low": 0.0, "high": 1.0, "step": 0.0, "coarse_step": 1.0},
        {"low": 0.0, "high": 1.0, "step": 0.1, "coarse_step": -1.0},
        {"low": 0.0, "high": math.inf, "step": 0.1, "coarse_step": 1.0},
    ],
)
def test_invalid_ranges_are_rejected(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        FloatSlider(0.5, **kwargs)


# Mouse


@run_async
async def test_click_at_three_quarters_sets_three_quarters() -> None:
    app = host(0.0, low=0.0, high=100.0, step=1.0, coarse_step=10.0)
    async with app.run_test() as pilot:
        slider = slider_of(app)
        width = slider.size.width
        assert width == 80  # fills the terminal width
        await pilot.click(slider, offset=(int(width * 0.75), 0))
        await pilot.pause()
        assert 73.0 <= slider.value <= 77.0
        assert app.changes == [slider.value]


@run_async
async def test_click_focuses_and_snaps() -> None:
    app = SliderHost(
        css="FloatSlider { width: 41; } Button { width: 10; }",
        value=0.0,
        low=0.0,
        high=1.0,
        step=0.25,
        coarse_step=0.5,
    )
    async with app.run_test() as pilot:
        slider = slider_of(app)
        slider.blur()
        await pilot.pause()
        # Column 17 of 41 is 0.425 of the range, nearest grid point 0.5.
        await pilot.click(slider, offset=(17, 0))
        await pilot.pause()
        assert app.focused is slider
        assert slider.value == 0.5
        await pilot.click(slider, offset=(40, 0))
        await pilot.pause()
        assert slider.value == 1.0
        await pilot.click(slider, offset=(0, 0))
        await pilot.pause()
        assert slider.value == 0.0


@run_async
async def test_drag_moves_and_release_ends_drag() -> None:
    app = host(0.0, css="FloatSlider { width: 41; }", low=0.0, high=40.0, step=1.0)
    async with app.run_test() as pilot:
        slider = slider_of(app)
        await pilot.mouse_down(slider, offset=(10, 0))
        assert slider.value == 10.0
        await pilot.hover(slider, offset=(20, 0))
        assert slider.value == 20.0
        # The mouse is captured: moving past the end of the track clamps.
        await pilot.hover(slider, offset=(60, 0))
        assert slider.value == 40.0
        await pilot.hover(slider, offset=(30, 0))
        assert slider.value == 30.0
        await pilot.mouse_up(slider, offset=(30, 0))
        await pilot.pause()
        assert app.mouse_captured is None
        # After release, moving the mouse does nothing.
        await pilot.hover(slider, offset=(5, 0))
        await pilot.pause()
        assert slider.value == 30.0
        assert app.changes == [10.0, 20.0, 40.0, 30.0]


@run_async
async def test_keyboard_only_without_mouse() -> None:
    app = host(5.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "pageup", "left")
        await pilot.pause()
        assert slider_of(app).value == 6.0


# Rendering


@run_async
async def test_renders_one_full_line_with_thumb() -> None:
    app = host(5.0)
    async with app.run_test():
        slider = slider_of(app)
        assert slider.size.height == 1
        text = line_text(slider)
        assert len(text) == slider.size.width
        assert text.count(FloatSlider.THUMB_CHAR) == 1
        assert FloatSlider.SAVED_CHAR not in text
        thumb = text.index(FloatSlider.THUMB_CHAR)
        assert set(text[:thumb]) == {FloatSlider.FILLED_CHAR}
        assert set(text[thumb + 1 :]) == {FloatSlider.TRACK_CHAR}


@run_async
async def test_saved_mark_is_drawn_when_saved_differs() -> None:
    app = host(5.0, saved=2.0)
    async with app.run_test() as pilot:
        slider = slider_of(app)
        text = line_text(slider)
        assert text.count(FloatSlider.SAVED_CHAR) == 1
        assert text.count(FloatSlider.THUMB_CHAR) == 1
        assert text.index(FloatSlider.SAVED_CHAR) < text.index(FloatSlider.THUMB_CHAR)
        # Moving to the saved value hides the mark.
        slider.set_value(2.0)
        await pilot.pause()
        assert FloatSlider.SAVED_CHAR not in line_text(slider)
        # A saved value above the current one is drawn right of the thumb.
        slider.saved = 9.0
        await pilot.pause()
        text = line_text(slider)
        assert text.index(FloatSlider.SAVED_CHAR) > text.index(FloatSlider.THUMB_CHAR)
        slider.saved = None
        await pilot.pause()
        assert FloatSlider.SAVED_CHAR not in line_text(slider)


def test_marks_are_distinct_characters() -> None:
    chars = {
        FloatSlider.THUMB_CHAR,
        FloatSlider.SAVED_CHAR,
        FloatSlider.FILLED_CHAR,
        FloatSlider.TRACK_CHAR,
    }
    assert len(chars) == 4


@run_async
async def test_focus_changes_the_thumb_style() -> None:
    app = host(5.0)
    async with app.run_test() as pilot:
        slider = slider_of(app)

        def thumb_style() -> Any:
            strip = slider.render_line(0)
            return next(s.style for s in strip if s.text == FloatSlider.THUMB_CHAR)

        focused = thumb_style()
        slider.blur()
        await pilot.pause()
        assert app.focused is None
        blurred = thumb_style()
        assert focused != blurred
        # Visible without colour too: the focused thumb is reversed.
        assert focused.reverse and not blurred.reverse


@run_async
async def test_value_change_repaints_only_the_slider() -> None:
    app = host(5.0)
    async with app.run_test() as pilot:
        slider = slider_of(app)
        before = line_text(slider)
        await pilot.press("end")
        await pilot.pause()
        after = line_text(slider)
        assert before != after
        assert after.endswith(FloatSlider.THUMB_CHAR)


# Pure snapping


def test_snap_examples() -> None:
    assert snap(0.30000000000000004, 0.0, 1.0, 0.1) == 0.3
    assert snap(0.25, 0.0, 1.0, 0.1) in (0.2, 0.3)
    assert snap(-5.0, 0.0, 1.0, 0.1) == 0.0
    assert snap(math.inf, 0.0, 1.0, 0.1) == 1.0
    assert snap(0.97, 0.0, 1.0, 0.3) == 1.0
    assert snap(0.93, 0.0, 1.0, 0.3) == 0.9
    assert snap(0.2, 0.05, 1.0, 0.1) == 0.25
    with pytest.raises(ValueError):
        snap(math.nan, 0.0, 1.0, 0.1)


def test_grid_decimals() -> None:
    assert grid_decimals(0.0, 0.1) == 1
    assert grid_decimals(0.05, 0.1) == 2
    assert grid_decimals(0.0, 5.0) == 0
    assert grid_decimals(0.0, 1e-4) == 4


def test_ten_tenths_are_exactly_one() -> None:
    value = 0.0
    for _ in range(10):
        value = step_value(value, 1, 0.0, 5.0, 0.1)
    assert value == 1.0


@st.composite
def decimal_grids(draw: st.DrawFn) -> tuple[Decimal, Decimal, int]:
    """A grid written in decimal: (low, step, number of steps to high)."""
    places = draw(st.integers(min_value=0, max_value=4))
    step = Decimal(draw(st.sampled_from([1, 2, 5, 25]))).scaleb(-places)
    low = Decimal(draw(st.integers(min_value=-10_000, max_value=10_000))).scaleb(-places)
    count = draw(st.integers(min_value=1, max_value=300))
    return low, step, count


@settings(max_examples=200, deadline=None)
@given(grid=decimal_grids(), data=st.data())
def test_repeated_steps_land_exactly_on_decimal_grid(grid: tuple[Decimal, Decimal, int], data: st.DataObject) -> None:
    low, step, count = grid
    high = low + count * step
    steps = data.draw(st.integers(min_value=0, max_value=count))
    value = float(low)
    for _ in range(steps):
        value = step_value(value, 1, float(low), float(high), float(step))
    assert value == float(low + steps * step)
    for _ in range(steps):
        value = step_value(value, -1, float(low), float(high), float(step))
    assert value == float(low)


@settings(max_examples=200, deadline=None)
@given(grid=decimal_grids(), data=st.data())
def test_snap_recovers_noisy_grid_points(grid: tuple[Decimal, Decimal, int], data: st.DataObject) -> None:
    low, step, count = grid
    high = low + count * step
    index = data.draw(st.integers(min_value=0, max_value=count))
    noise = data.draw(st.floats(min_value=-0.4, max_value=0.4)) * float(step)
    exact = float(low + index * step)
    assert snap(exact + noise, float(low), float(high), float(step)) == exact


real_grids = st.tuples(
    st.floats(min_value=-1e4, max_value=1e4),
    st.floats(min_value=1e-3, max_value=1e4),
    st.floats(min_value=1e-3, max_value=1e3),
)


@settings(max_examples=300, deadline=None)
@given(grid=real_grids, value=st.floats(allow_nan=False))
def test_snap_is_clamped_on_grid_and_idempotent(grid: tuple[float, float, float], value: float) -> None:
    low, span, step = grid
    high = low + span
    result = snap(value, low, high, step)
    assert low <= result <= high
    if result not in (low, high):
        index = (result - low) / step
        assert abs(index - round(index)) < 1e-6
    assert snap(result, low, high, step) == result
    if low <= value <= high:
        tolerance = 1e-9 * max(1.0, abs(value))
        assert abs(result - value) <= step / 2 + tolerance
        # No allowed point is nearer: not the ends, not the neighbouring grid points.
        index = math.floor((value - low) / step)
        neighbours = [low + k * step for k in (index, index + 1)]
        candidates = [low, high, *(p for p in neighbours if low <= p <= high)]
        assert abs(result - value) <= min(abs(p - value) for p in candidates) + tolerance


@settings(max_examples=300, deadline=None)
@given(grid=real_grids, value=st.floats(allow_nan=False), steps=st.integers(1, 50))
def test_step_value_moves_monotonically(grid: tuple[float, float, float], value: float, steps: int) -> None:
    low, span, step = grid
    high = low + span
    start = snap(value, low, high, step)
    up = step_value(start, steps, low, high, step)
    down = step_value(start, -steps, low, high, step)
    assert up > start or start == high
    assert down < start or start == low
    assert low <= down <= start <= up <= high
