"""Ask for a file path: save as, export, open by name."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static
from textual.widgets.input import Selection

from ammoflow.scenarios.model.text import excerpt, visible
from ammoflow.tui.dialogs.base import Dialog
from ammoflow.tui.dialogs.errors import InlineError
from ammoflow.tui.keys import FieldInput

__all__ = ["PathPrompt", "resolve_path"]


def resolve_path(text: str, *, suffix: str = ".toml", must_exist: bool = False, cwd: Path | None = None) -> Path:
    """The absolute path a person meant by ``text``.

    ``~`` is expanded, a relative path is taken from ``cwd`` (the current working
    directory by default) and ``suffix`` is added to a name that has none. As in many
    file prompts, ``//`` or ``/~/`` inside the text starts the path afresh, so typing an
    absolute path over the selected name of a prefilled one does what was meant
    (``/home/me/plans//tmp/x`` is ``/tmp/x``).

    Raises:
        ValueError: with a message to show that person, when the text is empty, names
            a folder, lies in a folder that does not exist, or (with ``must_exist``)
            names a file that does not exist.
    """
    typed = text.strip()
    restart = max(typed.rfind("//"), typed.rfind("/~/"))
    if restart > 0:
        typed = typed[restart + 1 :]
    if not typed:
        raise ValueError("type a file name")
    path = Path(typed).expanduser()
    if not path.is_absolute():
        path = (cwd or Path.cwd()) / path
    path = Path(os.path.normpath(path))
    try:
        if path.is_dir() or typed.endswith(("/", os.sep)):
            raise ValueError(f"{visible(str(path))} is a folder; type a file name")
        if suffix and not path.suffix:
            path = path.with_name(path.name + suffix)
        if not path.parent.is_dir():
            raise ValueError(f"folder {visible(str(path.parent))} does not exist")
        if path.is_dir():
            raise ValueError(f"{visible(str(path))} is a folder; type a file name")
        if must_exist and not path.is_file():
            raise ValueError(f"no file {visible(str(path))}")
    except OSError as exc:  # a name too long for the file system, a folder that cannot be searched
        raise ValueError(f"cannot use {excerpt(str(path), 80)}: {exc.strerror or exc}") from None
    return path


class PathPrompt(InlineError, Dialog[Path | None]):
    """An input prefilled with ``default``; dismisses with the chosen path, or None.

    Enter accepts, escape cancels. The file name's stem is selected at the start, so
    typing replaces the name and keeps the folder and suffix. A path that cannot be
    used keeps the prompt open with the reason under the input; ``error`` opens it with one
    (the path could not be written: asked again). Overwriting is not asked about here.
    """

    DEFAULT_CSS = """
    PathPrompt {
        & > #dialog {
            min-width: 50;
            padding: 1 2;
        }
        & #title { text-style: bold; margin-bottom: 1; }
        & #path { width: 72; max-width: 100%; }
        & #error { color: $error; text-style: bold; display: none; max-width: 100%; }
        & #error.-shown { display: block; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="path_prompt.cancel"),
        Binding("enter", "accept", "Accept", id="path_prompt.accept"),
    ]

    AUTO_FOCUS = "#path"

    def __init__(
        self,
        title: str,
        default: str,
        *,
        must_exist: bool = False,
        suffix: str = ".toml",
        check: Callable[[Path], object] | None = None,
        error: str = "",
    ) -> None:
        """``check`` may refuse a path the caller cannot use, by raising ValueError with the reason."""
        super().__init__()
        self.first_error = error  # why the last path given could not be used (asked again)
        self.title_text = title
        self.default = default
        self.must_exist = must_exist
        self.suffix = suffix
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="title", markup=False)
            yield FieldInput(self.default, id="path", select_on_focus=False, placeholder="file name or path")
            yield Static("", id="error", markup=False)
            yield Static(
                f"{self.keys_of('path_prompt.accept')} accept · {self.keys_of('path_prompt.cancel')} cancel",
                id="keys",
                markup=False,
            )

    def on_mount(self) -> None:
        field = self.query_one("#path", Input)
        value = field.value
        name_at = max(value.rfind("/"), value.rfind(os.sep)) + 1
        stem = Path(value[name_at:]).stem if value[name_at:] not in ("", ".", "..") else ""
        if stem and value[name_at:].startswith(stem):
            field.selection = Selection(name_at, name_at + len(stem))
        else:
            field.selection = Selection.cursor(len(value))
        if self.first_error:
            self.call_after_refresh(self.show_error, self.first_error)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_error("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_accept()

    def action_accept(self) -> None:
        if self.answered:
            return
        try:
            path = resolve_path(self.query_one("#path", Input).value, suffix=self.suffix, must_exist=self.must_exist)
            if self.check is not None:
                self.check(path)
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self.answer(path)

    def action_cancel(self) -> None:
        self.answer(None)
