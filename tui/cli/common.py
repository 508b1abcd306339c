"""What every headless command shares: loading a scenario, the common options, errors and output.

The commands in :mod:`ammoflow.tui.cli.main` and :mod:`ammoflow.tui.cli.analysis` both
import from here, and neither reaches into the other (``main`` adds the analyses'
commands to its group). Like every headless module it never imports Textual.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.numbers import format_number, format_scale, parse_count
from ammoflow.scenarios.model.text import excerpt, visible

if TYPE_CHECKING:
    from ammoflow.scenarios.model.scenario import Scenario

    # Click's types are generic from 8.2 on; at run time the plain class serves any version.
    _IntType = click.ParamType[int, Any]
else:
    _IntType = click.ParamType


def os_error_message(exc: OSError, path: str | os.PathLike[str] | None = None) -> str:
    """``path: File name too long``: what the system said, about the file it concerns."""
    name = path if path is not None else exc.filename
    reason = exc.strerror or str(exc)
    return f"{excerpt(os.fspath(name), 80)}: {reason}" if name is not None else reason


class Count(_IntType):
    """A whole number option read as people type it (``10,000``, ``10k``), by the one number parser.

    A value out of range or too large is a usage error, said in one short line however long
    the value typed.
    """

    name = "integer"

    def __init__(self, what: str, low: int, high: int | None = None) -> None:
        self.what, self.low, self.high = what, low, high

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return parse_count(str(value), self.what, self.low, self.high)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def fail(message: str | Iterable[str]) -> NoReturn:
    """Print a user's error on stderr and exit 1."""
    lines = [message] if isinstance(message, str) else list(message)
    for line in lines:
        click.echo(f"ammoflow: {visible(line)}", err=True)
    sys.exit(1)


def load(argument: str, settings: Sequence[str] = (), start: str | None = None, months: int | None = None) -> Scenario:
    from ammoflow.scenarios.files import presets

    try:
        scenario, _ = presets.resolve(argument)
        if start is not None or months is not None:
            scenario = scenario.with_horizon(start, months)
        return apply_settings(scenario, settings)
    except ScenarioError as exc:
        fail(exc.lines())


def unknown_name(what: str, name: str, choices: Sequence[str]) -> str:
    """The registry's did-you-mean message, which also catches a name typed in the wrong case.

    ``RU_FIRE_RATE`` is far from ``ru_fire_rate`` by letters but plainly the same name; with
    no close name at all, a short list of the choices says what would do.
    """
    folded = [choice for choice in choices if choice.casefold() == name.strip().casefold()]
    if folded:
        return f'unknown {what} "{excerpt(name, 60)}"; did you mean "{folded[0]}"?'
    message = registry.unknown_key_message(what, name, choices)
    if "did you mean" not in message and len(choices) <= 40:
        message += f"; choose from {', '.join(choices)}"
    return message


def warn(message: str) -> None:
    """A note on stderr that does not stop the command."""
    click.echo(f"ammoflow: {visible(message)}", err=True)


def looks_like_fraction(value: float) -> bool:
    """0.5 typed for a percentage is more likely a half (50%) than half a percent."""
    return 0 < value <= 1


def apply_settings(scenario: Scenario, settings: Sequence[str]) -> Scenario:
    """``--set KEY=VALUE`` options, each checked against the registry.

    A key set twice is refused rather than silently taking the last value: one of the two
    is a mistake and only the user knows which. A percentage parameter reads a plain number
    as percent, as its slider does (``0.5`` is 0.5%, ``50`` or ``50%`` is a half); a value
    that looks like a fraction is taken as typed, with a note saying so.
    """
    values: dict[str, float] = {}
    problems = []
    for setting in settings:
        key, sep, text = setting.partition("=")
        key = key.strip()
        if not sep:
            problems.append(f"--set {setting}: write it as KEY=VALUE, e.g. --set ru_fire_rate=30000")
            continue
        if key not in registry.BY_KEY:
            problems.append(f"--set {setting}: {unknown_name('parameter', key, registry.KEYS)}")
            continue
        if key in values:
            problems.append(f"--set {key} is given twice; give each parameter once")
            continue
        parameter = registry.BY_KEY[key]
        try:
            values[key] = parameter.parse(text)
        except ValueError as exc:
            problems.append(f"--set {setting}: {exc}")
            continue
        if parameter.unit == "%" and not text.strip().endswith("%") and looks_like_fraction(values[key]):
            warn(
                f"--set {key}={text.strip()} is read as {parameter.format(values[key])}; "
                f"percentages are in percent, so write {format_number(values[key] * 100)} for that share"
            )
    if problems:
        raise ScenarioError(problems)
    return scenario.with_values(values) if values else scenario


set_option = click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="KEY=VALUE",
    help="Change a parameter's starting value (repeatable); see `ammoflow params`.",
)
start_option = click.option("--start", metavar="YYYY-MM", help="First month of the projection.")
months_option = click.option(
    "--months", type=Count("the number of months", 1, 240), metavar="N", help="Months to project (1-240)."
)
as_of_option = click.option(
    "--as-of",
    "as_of",
    metavar="YYYY-MM",
    help="The month the 'as of' figures are read at (default: this month; kept within the horizon).",
)


def as_of_month(text: str | None) -> int | None:
    """The ``--as-of`` month as an absolute month; None (today's) when not given."""
    if text is None:
        return None
    from ammoflow.scenarios.model.months import parse_month

    try:
        return parse_month(text)
    except ValueError as exc:
        fail(f"--as-of: {exc}")


def chosen_columns(text: str, allowed: Sequence[str]) -> list[str]:
    """The columns of a ``--columns A,B,...`` option.

    An unknown one ends the command with a hint; so do none at all and one named twice,
    which would give an empty file or no file.
    """
    chosen = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in allowed]
    if unknown:
        fail(f"--columns: {unknown_name('column', excerpt(unknown[0]), allowed)}")
    if not chosen:
        fail(f"--columns: name at least one column, e.g. {','.join(allowed[:2])}")
    twice = next((name for i, name in enumerate(chosen) if name in chosen[:i]), None)
    if twice is not None:
        fail(f'--columns: "{twice}" is named twice; name each column once')
    return chosen


def without_dust(frame: Any) -> Any:
    """Float columns to six decimals (see files.projection_file): what every CSV the commands write shows."""
    from ammoflow.scenarios.files.projection_file import without_dust as rounded

    return rounded(frame)


def check_output(output: Path, force: bool) -> None:
    """Refuse an --output that cannot or may not be written before any work is done.

    ``-`` is standard output. Anything already at the path, a symbolic link to nowhere
    included, is overwritten only with ``--force``.
    """
    from ammoflow.scenarios.files.safe_write import exists, inherited_descriptor, output_problem

    if str(output) == "-" or inherited_descriptor(output) is not None:
        return  # standard output, or another descriptor this command was given: nothing to overwrite
    shown = excerpt(str(output), 80)
    try:
        problem = output_problem(output)
        if problem is not None:
            fail(f"--output {shown}: {visible(problem)}")
        if exists(output) and not force:
            fail(f"{shown} exists; add --force to overwrite it")
    except OSError as exc:  # a name too long for the file system, a folder that cannot be searched
        fail(f"--output {os_error_message(exc, output)}")


KNOWN_ENDINGS = {".csv": "csv", ".json": "json", ".parquet": "parquet", ".txt": "table"}
"""The file endings the commands read a format from; any other is refused, never guessed."""


BINARY_FORMATS = frozenset({"parquet"})
"""Formats that are bytes, not text: never written to a terminal."""


def _device(path: Path) -> bool:
    """A device or a pipe already there (``/dev/null``, a FIFO): a stream, whose name says no format."""
    try:
        return path.exists() and not path.is_file() and not path.is_dir()
    except OSError:
        return False


def output_format_for(output: Path | None, chosen: str | None, formats: Sequence[str], default: str) -> str:
    """The format to write: ``--format`` if given, else the one ``--output``'s ending names.

    An ending no format of this command has (``.xlsx``, none at all) is refused with the
    endings that work, and so is an ending that says another format than ``--format``:
    either would leave a file whose name misleads about what is in it. Standard output
    (``-``, an inherited descriptor, a device or a pipe) has no name to mislead and takes
    ``default``. Call it after :func:`check_output`, whose complaints come first.
    """
    from ammoflow.scenarios.files.safe_write import inherited_descriptor

    if output is None or str(output) == "-" or inherited_descriptor(output) is not None or _device(output):
        streamed = chosen or default
        if streamed in BINARY_FORMATS and (output is None or str(output) == "-") and sys.stdout.isatty():
            fail(
                f"{streamed} is binary and would garble the terminal; "
                f"send it to a file (--output NAME.{streamed}) or into a pipe (--output - | ...)"
            )
        return streamed
    shown = excerpt(str(output), 80)
    ending = output.suffix.lower()
    named = KNOWN_ENDINGS.get(ending)
    endings = ", ".join(e for e, f in KNOWN_ENDINGS.items() if f in formats)
    if chosen is not None:
        if named is not None and named != chosen:
            fail(f"--output {shown}: its ending says {named}, but --format is {chosen}; end the name to match")
        if named is None and ending:
            fail(f"--output {shown}: {ending} is not a format this command writes; use one of {endings}")
        return chosen
    if named is None or named not in formats:
        what = f"{ending} is not a format this command writes" if ending else "the name has no ending to say"
        fail(f"--output {shown}: {what}; use one of {endings}, or give --format")
    return named


def emit(text: str | bytes, output: Path | None) -> None:
    """Print ``text``, or write it to ``output`` where that leads (``-``: standard output)."""
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        return
    from ammoflow.scenarios.files.safe_write import write_atomic

    try:
        write_atomic(output, text)
    except ScenarioError as exc:
        fail(exc.lines())
    click.echo(f"wrote {visible(str(output))}", err=True)


def render(renderable: Any, width: int | None = None) -> str:
    """Rich output as text, coloured only when stdout is a terminal."""
    from rich.console import Console

    buffer = io.StringIO()
    terminal = sys.stdout.isatty()
    if width is None:
        width = shutil.get_terminal_size((100, 24)).columns if terminal else 100
    console = Console(file=buffer, width=width, force_terminal=terminal, no_color=not terminal, highlight=False)
    console.print(renderable)
    return buffer.getvalue()


def plain(text: str) -> Any:
    """Text from a file or an argument for a Rich table: control characters visible, ``[...]`` not markup."""
    from rich.text import Text

    return Text(visible(text))


def scales_table(scales: Mapping[str, Any], title: str) -> Any:
    """Each claimant's scale (what it reports per true count), its mean and 90% interval, as a table."""
    from rich.table import Table

    table = Table(title=title, title_justify="left", box=None, pad_edge=False)
    table.add_column("claimant", overflow="fold")
    table.add_column("scale", justify="right")
    table.add_column("90% interval", justify="right")
    for name, estimate in scales.items():
        table.add_row(
            plain(name), format_scale(estimate.mean), f"{format_scale(estimate.p5)} to {format_scale(estimate.p95)}"
        )
    return table
