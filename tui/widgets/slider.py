"""A one-line slider for floating-point values on a fixed step grid.

The slider draws a track that fills its width, a thumb at the current value
and, when the value differs from the one saved in the file, a mark at the
saved value. It is driven from the keyboard (arrows, shift+arrows, page
up/down, home/end) or the mouse (click to jump, drag to move).

Values are always snapped to the grid ``low + k * step`` and clamped to
``[low, high]``; ``low`` and ``high`` themselves are always reachable even
when they are not on the grid. Snapping rounds to a number of decimals
derived from ``low`` and ``step`` so that ten steps of 0.1 from 0 land on
exactly 1.0.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

__all__ = ["FloatSlider", "grid_decimals", "snap", "step_value"]

_MAX_DECIMALS = 15
"""Upper bound on the decimals kept after snapping."""

_ON_GRID_TOLERANCE = 1e-9
"""How far (in steps) a value may sit from a grid point and still count as on it."""


def _decimals_of(number: float) -> int:
    """Number of decimals needed to write ``number`` as it was typed."""
    exponent = Decimal(repr(float(number))).normalize().as_tuple().exponent
    if not isinstance(exponent, int):
        return 0
    return min(max(-exponent, 0), _MAX_DECIMALS)


def grid_decimals(low: float, step: float) -> int:
    """Decimals to keep for values on the grid ``low + k * step``.

    Args:
        low: Origin of the grid.
        step: Distance between grid points.

    Returns:
        The larger of the decimals of ``low`` and ``step`` (at most 15).
    """
    return max(_decimals_of(low), _decimals_of(step))


def _check_grid(low: float, high: float, step: float) -> None:
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"low and high must be finite, got {low!r} and {high!r}")
    if high < low:
        raise ValueError(f"high ({high!r}) must not be below low ({low!r})")
    if not (math.isfinite(step) and step > 0):
        raise ValueError(f"step must be a positive finite number, got {step!r}")


def snap(value: float, low: float, high: float, step: float) -> float:
    """Clamp ``value`` to ``[low, high]`` and snap it to the nearest allowed point.

    The allowed points are the grid ``low + k * step`` for integer ``k``
    within the range, plus ``high`` even when it is not on the grid.

    Args:
        value: The value to snap (infinities clamp to the ends).
        low: Lowest allowed value and origin of the grid.
        high: Highest allowed value.
        step: Distance between grid points (positive).

    Returns:
        The snapped value.

    Raises:
        ValueError: If ``value`` is NaN or the grid is invalid.
    """
    _check_grid(low, high, step)
    if math.isnan(value):
        raise ValueError("cannot snap NaN")
    if value <= low:
        return float(low)
    if value >= high:
        return float(high)
    index = round((value - low) / step)
    snapped = round(low + index * step, grid_decimals(low, step))
    if high - value < abs(value - snapped):
        # ``high`` is off the grid and nearer than any grid point.
        return float(high)
    # ``+ 0.0`` turns a negative zero into a plain zero.
    return min(max(snapped, float(low)), float(high)) + 0.0


def step_value(value: float, steps: int, low: float, high: float, step: float) -> float:
    """Move ``value`` by a whole number of grid steps.

    A value that is off the grid (for example ``high`` when it is not a grid
    point) moves to the next grid point in the direction of travel first, so
    one step down from an off-grid ``high`` lands on the last grid point.

    Args:
        value: Starting value.
        steps: Number of steps; positive moves up, negative moves down.
        low: Lowest allowed value and origin of the grid.
        high: Highest allowed value.
        step: Distance between grid points (positive).

    Returns:
        The new value, clamped and snapped.
    """
    _check_grid(low, high, step)
    if steps == 0:
        return snap(value, low, high, step)
    position = (value - low) / step
    nearest = round(position)
    if abs(position - nearest) <= _ON_GRID_TOLERANCE:
        base = nearest
    elif steps > 0:
        base = math.floor(position)
    else:
        base = math.ceil(position)
    return snap(low + (base + steps) * step, low, high, step)


class FloatSlider(Widget, can_focus=True):
    """A one-line slider for a float value on a step grid, with a saved-value mark.

    Posts [FloatSlider.Changed][] when the user changes the value with the
    keyboard or the mouse. Use [set_value][FloatSlider.set_value] for
    programmatic updates (undo, loading a file) without a message.
    """

    ALLOW_SELECT = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "right",
            "step_up",
            "Step up",
            show=False,
            id="slider.step_up",
            tooltip="Increase the value by one step",
        ),
        Binding(
            "left",
            "step_down",
            "Step down",
            show=False,
            id="slider.step_down",
            tooltip="Decrease the value by one step",
        ),
        Binding(
            "shift+right,pageup",
            "coarse_up",
            "Coarse up",
            show=False,
            id="slider.coarse_up",
            tooltip="Increase the value by a coarse step",
        ),
        Binding(
            "shift+left,pagedown",
            "coarse_down",
            "Coarse down",
            show=False,
            id="slider.coarse_down",
            tooltip="Decrease the value by a coarse step",
        ),
        Binding(
            "home",
            "to_low",
            "Minimum",
            show=False,
            id="slider.to_low",
            tooltip="Set the value to the lowest allowed",
        ),
        Binding(
            "end",
            "to_high",
            "Maximum",
            show=False,
            id="slider.to_high",
            tooltip="Set the value to the highest allowed",
        ),
    ]
    """
    | Key(s) | Binding id | Description |
    | :- | :- | :- |
    | right | `slider.step_up` | One step up. |
    | left | `slider.step_down` | One step down. |
    | shift+right, pageup | `slider.coarse_up` | One coarse step up. |
    | shift+left, pagedown | `slider.coarse_down` | One coarse step down. |
    | home | `slider.to_low` | Go to the lowest value. |
    | end | `slider.to_high` | Go to the highest value. |
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "slider--track",
        "slider--filled",
        "slider--thumb",
        "slider--saved",
    }
    """
    | Class | Description |
    | :- | :- |
    | `slider--track` | The part of the track above the value. |
    | `slider--filled` | The part of the track below the value. |
    | `slider--thumb` | The thumb at the current value. |
    | `slider--saved` | The mark at the saved value. |
    """

    DEFAULT_CSS = """
    FloatSlider {
        width: 1fr;
        height: 1;
        min-width: 3;

        & > .slider--track {
            color: $foreground-muted;
        }
        & > .slider--filled {
            color: $primary;
        }
        & > .slider--thumb {
            color: $primary;
            text-style: bold;
        }
        & > .slider--saved {
            color: $foreground;
            text-style: bold;
        }

        &:focus {
            & > .slider--filled {
                color: $accent;
            }
            & > .slider--thumb {
                color: $accent;
                text-style: bold reverse;
            }
        }

        &:disabled {
            & > .slider--filled, & > .slider--thumb, & > .slider--track {
                color: $text-disabled;
            }
        }
    }
    """

    TRACK_CHAR: ClassVar[str] = "─"
    """Character for the track above the value."""
    FILLED_CHAR: ClassVar[str] = "━"
    """Character for the track below the value."""
    THUMB_CHAR: ClassVar[str] = "●"
    """Character for the thumb."""
    SAVED_CHAR: ClassVar[str] = "┃"
    """Character for the saved-value mark."""

    value: reactive[float] = reactive(0.0)
    """The current value, always clamped and snapped to the grid."""

    saved: reactive[float | None] = reactive(None)
    """The value saved in the file, drawn as a mark when it differs from `value`."""

    class Changed(Message):
        """Posted when the user changes the value with the keyboard or mouse."""

        def __init__(self, slider: FloatSlider, value: float) -> None:
            super().__init__()
            self.slider: FloatSlider = slider
            """The slider that changed."""
            self.value: float = value
            """The new value."""

        @property
        def control(self) -> FloatSlider:
            """Alias for `slider`."""
            return self.slider

    def __init__(
        self,
        value: float,
        *,
        low: float,
        high: float,
        step: float,
        coarse_step: float,
        saved: float | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Create a slider.

        Args:
            value: Initial value (clamped and snapped).
            low: Lowest value and origin of the step grid.
            high: Highest value.
            step: Distance between grid points (left/right keys).
            coarse_step: Distance moved by shift+arrows and page up/down,
                rounded to a whole number of steps (at least one).
            saved: The value saved in the file, or None.
            name: Name of the widget.
            id: ID of the widget in the DOM.
            classes: Space-separated CSS classes.
            disabled: Whether the widget is disabled.

        Raises:
            ValueError: If the range or steps are invalid, or `value` is NaN.
        """
        _check_grid(low, high, step)
        if not (math.isfinite(coarse_step) and coarse_step > 0):
            raise ValueError(f"coarse_step must be a positive finite number, got {coarse_step!r}")
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._low = float(low)
        self._high = float(high)
        self._step = float(step)
        self._coarse_step = float(coarse_step)
        self._coarse_steps = max(1, round(coarse_step / step))
        self._dragging = False
        self.set_reactive(FloatSlider.value, snap(value, low, high, step))
        self.set_reactive(FloatSlider.saved, self.validate_saved(saved))

    @property
    def low(self) -> float:
        """Lowest allowed value."""
        return self._low

    @property
    def high(self) -> float:
        """Highest allowed value."""
        return self._high

    @property
    def step(self) -> float:
        """Distance between grid points."""
        return self._step

    @property
    def coarse_step(self) -> float:
        """Distance moved by a coarse step, as given to the constructor."""
        return self._coarse_step

    def validate_value(self, value: float) -> float:
        """Clamp and snap a new value."""
        return snap(float(value), self._low, self._high, self._step)

    def validate_saved(self, saved: float | None) -> float | None:
        """Accept a finite saved value or None (NaN counts as None)."""
        if saved is None:
            return None
        saved = float(saved)
        return saved if not math.isnan(saved) else None

    def set_value(self, value: float, *, notify: bool = False) -> None:
        """Set the value from code (undo, file load).

        Args:
            value: The new value (clamped and snapped).
            notify: Post a `Changed` message if the value changes.
        """
        self._apply(value, notify=notify)

    def _apply(self, value: float, *, notify: bool) -> None:
        new = self.validate_value(value)
        if notify and new != self.value:
            # Posted before the value moves: the message is then what the slider handles before it
            # goes idle and asks the screen to repaint it, as its row's value text does for its
            # own repaint. Posted after, it would put the slider's repaint one step behind the
            # text's, often into the next frame (which, on an edit, is the one with the new chart).
            self.post_message(self.Changed(self, new))
        self.value = new

    def stepped(self, steps: int) -> float:
        """The value ``steps`` grid steps from the current one, as a key would set it (clamped to the range)."""
        return self.validate_value(step_value(self.value, steps, self._low, self._high, self._step))

    def _move_steps(self, steps: int) -> None:
        self._apply(step_value(self.value, steps, self._low, self._high, self._step), notify=True)

    def action_step_up(self) -> None:
        """Increase the value by one step."""
        self._move_steps(1)

    def action_step_down(self) -> None:
        """Decrease the value by one step."""
        self._move_steps(-1)

    def action_coarse_up(self) -> None:
        """Increase the value by a coarse step."""
        self._move_steps(self._coarse_steps)

    def action_coarse_down(self) -> None:
        """Decrease the value by a coarse step."""
        self._move_steps(-self._coarse_steps)

    def action_to_low(self) -> None:
        """Set the value to the lowest allowed."""
        self._apply(self._low, notify=True)

    def action_to_high(self) -> None:
        """Set the value to the highest allowed."""
        self._apply(self._high, notify=True)

    # Geometry

    def _fraction(self, value: float) -> float:
        span = self._high - self._low
        if span <= 0:
            return 0.0
        return min(max((value - self._low) / span, 0.0), 1.0)

    def _cell_of(self, value: float, width: int) -> int:
        return round(self._fraction(value) * (width - 1)) if width > 1 else 0

    def value_at(self, x: int) -> float:
        """The snapped value at column `x` of the track (content coordinates)."""
        width = self.size.width
        if width <= 1:
            return self._low
        fraction = min(max(x / (width - 1), 0.0), 1.0)
        return snap(
            self._low + fraction * (self._high - self._low),
            self._low,
            self._high,
            self._step,
        )

    # Mouse

    def _set_from_mouse(self, event: events.MouseEvent) -> None:
        x = event.get_content_offset_capture(self).x
        self._apply(self.value_at(x), notify=True)

    async def _on_mouse_down(self, event: events.MouseDown) -> None:
        if self.disabled or event.button != 1:
            return
        event.stop()
        self._dragging = True
        self.capture_mouse()
        self._set_from_mouse(event)

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            event.stop()
            self._set_from_mouse(event)

    async def _on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            event.stop()
            self._dragging = False
            self.release_mouse()

    def _on_mouse_release(self, event: events.MouseRelease) -> None:
        self._dragging = False

    # Rendering

    def render_line(self, y: int) -> Strip:
        """Render the track, the saved mark and the thumb on the first line."""
        width = self.size.width
        if y != 0 or width <= 0:
            return Strip.blank(width, self.visual_style.rich_style)

        style = self.get_component_rich_style
        thumb = self._cell_of(self.value, width)
        marks: list[tuple[int, str, Style]] = [(thumb, self.THUMB_CHAR, style("slider--thumb"))]
        saved = self.saved
        if saved is not None and saved != self.value:
            saved_cell = self._cell_of(saved, width)
            if saved_cell != thumb:
                marks.append((saved_cell, self.SAVED_CHAR, style("slider--saved")))
                marks.sort(key=lambda mark: mark[0])

        filled_style = style("slider--filled")
        track_style = style("slider--track")
        segments: list[Segment] = []
        cursor = 0
        for cell, char, mark_style in [*marks, (width, "", Style())]:
            gap = cell - cursor
            if gap > 0:
                if cursor < thumb:
                    segments.append(Segment(self.FILLED_CHAR * gap, filled_style))
                else:
                    segments.append(Segment(self.TRACK_CHAR * gap, track_style))
            if char:
                segments.append(Segment(char, mark_style))
            cursor = cell + 1
        return Strip(segments, width)
