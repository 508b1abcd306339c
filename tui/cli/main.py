"""The ``ammoflow`` command: the explorer, and headless commands that answer the same questions.

Headless commands never import Textual, and import Polars and Rich only when they
need them, so a script that calls ``ammoflow run`` many times starts quickly.
"""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.entry import parse_count
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.text import excerpt, visible

if TYPE_CHECKING:
    import polars as pl
    from ammoflow.scenarios.model.scenario import Scenario

TABLE_COLUMNS = (
    "month",
    "rounds_shipped",
    "cumulative_containers",
    "nk_stock",
    "ru_supply",
    "ru_fired",
    "ru_shortfall",
    "ru_stock",
)
FORMATS = ("table", "csv", "json")


class _Main(click.Group):
    """``ammoflow SCENARIO`` opens the explorer: a first word that is no command is a scenario.

    An operating-system error no command foresaw (a name too long for the file system, a
    disk full while writing) ends the command with one line that names the file, not a
    traceback.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["open", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # a reader that stopped early (| head): click ends quietly
                raise
            fail(os_error_message(exc))


def os_error_message(exc: OSError, path: str | os.PathLike[str] | None = None) -> str:
    """``path: File name too long``: what the system said, about the file it concerns."""
    name = path if path is not None else exc.filename
    reason = exc.strerror or str(exc)
    return f"{excerpt(os.fspath(name), 80)}: {reason}" if name is not None else reason


class Count(click.ParamType):
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


@click.group(cls=_Main, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ammoflow", prog_name="ammoflow")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Explore the flow of North Korean artillery rounds to Russia.

    With no command, opens the explorer on the baseline; `ammoflow SCENARIO` opens a
    scenario file or a preset. SCENARIO is everywhere a path to a .toml file or the name
    of a preset (`ammoflow presets`).
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(open_command, scenario=None)


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


def apply_settings(scenario: Scenario, settings: Sequence[str]) -> Scenario:
    """``--set KEY=VALUE`` options, each checked against the registry."""
    values: dict[str, float] = {}
    problems = []
    for setting in settings:
        key, sep, text = setting.partition("=")
        key = key.strip()
        if not sep:
            problems.append(f"--set {setting}: write it as KEY=VALUE, e.g. --set ru_fire_rate=30000")
            continue
        if key not in registry.BY_KEY:
            problems.append(f"--set {setting}: {registry.unknown_key_message('parameter', key, registry.KEYS)}")
            continue
        try:
            values[key] = registry.BY_KEY[key].parse(text)
        except ValueError as exc:
            problems.append(f"--set {setting}: {exc}")
    if problems:
        raise ScenarioError(problems)
    return scenario.with_values(values) if values else scenario


_set_option = click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="KEY=VALUE",
    help="Change a parameter's starting value (repeatable); see `ammoflow params`.",
)
_start_option = click.option("--start", metavar="YYYY-MM", help="First month of the projection.")
_months_option = click.option(
    "--months", type=Count("the number of months", 1, 240), metavar="N", help="Months to project (1-240)."
)


# -- the explorer ------------------------------------------------------------------


@main.command("open", hidden=True)
@click.argument("scenario", required=False)
def open_command(scenario: str | None) -> None:
    """Open the explorer on SCENARIO (the baseline when none is given)."""
    from ammoflow.scenarios.files import presets

    path = None
    try:
        if scenario is not None:
            _, path = presets.resolve(scenario)
    except ScenarioError as exc:
        fail(exc.lines())
    # Let a frame go out as soon as it is ready (Textual's default caps at 60 a second, so a
    # slider step's results could wait up to 17 ms for their frame). Textual only paints
    # what changed, so this sends no more bytes. TEXTUAL_FPS set by the user still wins.
    os.environ.setdefault("TEXTUAL_FPS", "240")
    from ammoflow.tui.app import run_app

    sys.exit(run_app(scenario or "baseline", path))


# -- run ------------------------------------------------------------------------


@main.command()
@click.argument("scenario")
@_set_option
@_start_option
@_months_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    help="Output format [default: table, or from --output's ending].",
)
@click.option("--columns", metavar="A,B,...", help="Only these output columns (default: all; a few for table).")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to this file instead of the screen.")
@click.option("--force", is_flag=True, help="Overwrite --output if it exists.")
def run(
    scenario: str,
    settings: tuple[str, ...],
    start: str | None,
    months: int | None,
    output_format: str | None,
    columns: str | None,
    output: Path | None,
    force: bool,
) -> None:
    """Project SCENARIO month by month and print the projection."""
    from ammoflow.scenarios.engine.projection import COLUMNS

    if output_format is None:
        output_format = output.suffix.lstrip(".").lower() if output is not None else "table"
        if output_format not in FORMATS:
            output_format = "csv"
    chosen = (
        chosen_columns(columns, COLUMNS)
        if columns is not None
        else list(TABLE_COLUMNS if output_format == "table" else COLUMNS)
    )
    if output is not None:
        check_output(output, force)
    loaded = load(scenario, settings, start, months)
    from ammoflow.scenarios.engine.projection import project

    frame = project(loaded).select(chosen)
    if output_format != "table":
        frame = without_dust(frame)
    if output_format == "csv":
        text = frame.write_csv()
    elif output_format == "json":
        text = frame.write_json() + "\n"
    else:
        text = render(projection_table(frame, loaded), width=None if output is None else 200)
    emit(text, output)


def chosen_columns(text: str, allowed: Sequence[str]) -> list[str]:
    """The columns of a ``--columns A,B,...`` option.

    An unknown one ends the command with a hint; so do none at all and one named twice,
    which would give an empty file or no file.
    """
    chosen = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in allowed]
    if unknown:
        fail(f"--columns: {registry.unknown_key_message('column', excerpt(unknown[0]), allowed)}")
    if not chosen:
        fail(f"--columns: name at least one column, e.g. {','.join(allowed[:2])}")
    twice = next((name for i, name in enumerate(chosen) if name in chosen[:i]), None)
    if twice is not None:
        fail(f'--columns: "{twice}" is named twice; name each column once')
    return chosen


def without_dust(frame: Any) -> Any:
    """Float columns to six decimals: hides floating-point dust (410740.00000000006), loses nothing real."""
    import polars.selectors as cs

    return frame.with_columns(cs.float().round(6))


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


def emit(text: str | bytes, output: Path | None) -> None:
    """Print ``text``, or write it to ``output`` where that leads (``-``: standard output)."""
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        return
    from ammoflow.scenarios.files.scenario_toml import write_atomic

    try:
        write_atomic(output, text)
    except ScenarioError as exc:
        fail(exc.lines())
    click.echo(f"wrote {visible(str(output))}", err=True)


# -- summary and diff --------------------------------------------------------------


@main.command()
@click.argument("scenario")
@_set_option
@_start_option
@_months_option
@click.option(
    "--observations",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Your own observations CSV (default: the shipped one).",
)
@click.option("--format", "output_format", type=click.Choice(("table", "json")), default="table", show_default=True)
def summary(
    scenario: str,
    settings: tuple[str, ...],
    start: str | None,
    months: int | None,
    observations: Path | None,
    output_format: str,
) -> None:
    """Key figures of SCENARIO, and the projection against what was observed."""
    summary_report(load(scenario, settings, start, months), observations, output_format)


def summary_report(scenario: Scenario, observations: Path | None, output_format: str = "table") -> None:
    figures = compute_figures(scenario, observations)
    if output_format == "json":
        click.echo(json.dumps({"scenario": scenario_header(scenario), **figures.as_dict()}, indent=2))
        return
    from rich.console import Group
    from rich.text import Text

    title = Text.assemble((visible(scenario.name), "bold"), f"  {scenario.start} to {scenario.end}")
    parts: list[Any] = [title]
    if scenario.description:
        parts.append(Text(visible(scenario.description), style="dim"))
    parts += [figures_table([figures], [scenario.name]), observations_table(figures)]
    click.echo(render(Group(*parts)), nl=False)


def compute_figures(scenario: Scenario, observations: Path | None) -> Any:
    from ammoflow.scenarios.engine.projection import project
    from ammoflow.scenarios.files.observation_csv import read_observations
    from ammoflow.scenarios.model.figures import key_figures

    try:
        observed = read_observations(observations)
    except ScenarioError as exc:
        fail(exc.lines())
    return key_figures(project(scenario), scenario, observed)


@main.command()
@click.argument("first")
@click.argument("second")
@click.option("--format", "output_format", type=click.Choice(("table", "json")), default="table", show_default=True)
def diff(first: str, second: str, output_format: str) -> None:
    """Key figures of FIRST and SECOND side by side, with the differences."""
    from ammoflow.scenarios.model.figures import FIGURES, format_difference

    a, b = load(first), load(second)
    fa, fb = compute_figures(a, None), compute_figures(b, None)
    changed = b.changed_from(a)
    if output_format == "json":
        out = {
            "first": scenario_header(a),
            "second": scenario_header(b),
            "figures": {
                f.key: {
                    "first": fa.value(f.key),
                    "second": fb.value(f.key),
                    "difference": format_difference(f.key, fa.value(f.key), fb.value(f.key)),
                }
                for f in FIGURES
            },
            "parameters": {key: {"first": a.values[key], "second": b.values[key]} for key in changed},
            "changes": {"first": changes_json(a), "second": changes_json(b)},
        }
        click.echo(json.dumps(out, indent=2))
        return
    from rich.console import Group
    from rich.table import Table

    parts: list[Any] = [figures_table([fa, fb], [a.name, b.name], difference=True)]
    if changed or a.changes != b.changes or (a.start, a.months) != (b.start, b.months):
        table = Table(title="Assumptions that differ", title_justify="left", box=None, pad_edge=False)
        table.add_column("parameter")
        table.add_column(plain(a.name), justify="right")
        table.add_column(plain(b.name), justify="right")
        if (a.start, a.months) != (b.start, b.months):
            table.add_row("horizon", f"{a.start} to {a.end}", f"{b.start} to {b.end}")
        for key in changed:
            p = registry.BY_KEY[key]
            table.add_row(key, p.format(a.values[key]), p.format(b.values[key]))
        if a.changes != b.changes:
            table.add_row("changes over time", describe_changes(a), describe_changes(b))
        parts.append(table)
    click.echo(render(Group(*parts)), nl=False)


def describe_changes(scenario: Scenario) -> str:
    if not scenario.changes:
        return "none"
    return "\n".join(
        f"{ch.parameter} = {registry.format_number(ch.value)} from {visible(ch.month)}" for ch in scenario.changes
    )


def changes_json(scenario: Scenario) -> list[dict[str, Any]]:
    return [{"from": ch.month, "parameter": ch.parameter, "value": ch.value} for ch in scenario.changes]


def scenario_header(scenario: Scenario) -> dict[str, Any]:
    return {"name": scenario.name, "start": scenario.start, "months": scenario.months}


# -- params, presets, validate ---------------------------------------------------------


@main.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("table", "csv", "json", "markdown")),
    default="table",
    show_default=True,
)
def params(output_format: str) -> None:
    """Every parameter: unit, default, slider range, uncertainty range and source."""
    from ammoflow.tui.cli.params_doc import parameters_csv, parameters_json, parameters_markdown, parameters_table

    if output_format == "markdown":
        click.echo(parameters_markdown(), nl=False)
    elif output_format == "json":
        click.echo(parameters_json())
    elif output_format == "csv":
        click.echo(parameters_csv(), nl=False)
    else:
        click.echo(render(parameters_table()), nl=False)


@main.command()
def presets() -> None:
    """The shipped scenarios; pass a name wherever a SCENARIO is asked for."""
    from ammoflow.scenarios.files import presets as shipped

    for name in shipped.names():
        try:
            scenario = shipped.load(name)
        except ScenarioError as exc:  # a broken preset is a bug, but it still must not hide the others
            click.echo(f"{name:<18} (cannot be read: {exc.lines()[0]})")
            continue
        click.echo(f"{name:<18} {visible(scenario.description)}")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check scenario FILES; print `file:line: message` for each problem, exit 1 if any."""
    from ammoflow.scenarios.files.scenario_toml import read_scenario

    bad = 0
    for path in files:
        try:
            read_scenario(path)
        except ScenarioError as exc:
            bad += 1
            for line in exc.lines():
                click.echo(line)
            continue
        click.echo(f"{visible(str(path))}: ok")
    if bad:
        click.echo(f"{bad} of {len(files)} file(s) have problems", err=True)
        sys.exit(1)


# -- rendering ------------------------------------------------------------------------


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


def human(value: float) -> str:
    """Short numbers for tables: 1,234 / 12.3k / 1.23M."""
    size = abs(value)
    if size < 10_000:
        return f"{value:,.0f}"
    if size < 1_000_000:
        return f"{value / 1_000:,.1f}k"
    return f"{value / 1_000_000:,.2f}M"


def projection_table(frame: pl.DataFrame, scenario: Scenario) -> Any:
    from rich.table import Table

    table = Table(
        title=plain(f"{scenario.name}: {scenario.start} to {scenario.end}"),
        title_justify="left",
        pad_edge=False,
        box=None,
    )
    for name in frame.columns:
        table.add_column(name.replace("_", " "), justify="left" if name == "month" else "right", overflow="fold")
    for row in frame.iter_rows():
        table.add_row(*(cell if isinstance(cell, str) else human(cell) for cell in row))
    return table


def figures_table(figures: Sequence[Any], names: Sequence[str], difference: bool = False) -> Any:
    from ammoflow.scenarios.model.figures import FIGURES, format_difference, format_figure
    from rich.table import Table

    table = Table(title="Key figures", title_justify="left", box=None, pad_edge=False)
    table.add_column("figure")
    for name in names:
        table.add_column(plain(name), justify="right")
    if difference:
        table.add_column("difference", justify="right")
    for figure in FIGURES:
        cells = [format_figure(figure.key, f.value(figure.key)) for f in figures]
        if difference:
            cells.append(format_difference(figure.key, figures[0].value(figure.key), figures[1].value(figure.key)))
        table.add_row(figure.label, *cells)
    return table


def observations_table(figures: Any) -> Any:
    from rich.table import Table

    table = Table(title="Projected against observed", title_justify="left", box=None, pad_edge=False)
    for name, justify in (
        ("date", "left"),
        ("metric", "left"),
        ("observed", "right"),
        ("projected", "right"),
        ("difference", "right"),
        ("claimed by", "left"),
    ):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for check in figures.observations:
        o = check.observation
        metric = "containers" if o.metric == "cumulative_containers" else "rounds"
        observed = f"{o.qualifier + ' ' if o.qualifier else ''}{o.value:,.0f}"
        if check.projected is None:
            projected, delta = check.why_missing, ""
        else:
            projected = f"{check.projected:,.0f}"
            delta = (
                f"{check.difference:+,.0f} ({check.difference / o.value:+.0%})"
                if o.value
                else f"{check.difference:+,.0f}"
            )
        table.add_row(o.day.isoformat(), metric, plain(observed), projected, delta, plain(o.claimant))
    return table


def _register_analyses() -> None:
    """The analysis commands live in their own module; importing it adds them to ``main``."""
    import ammoflow.tui.cli.analysis  # noqa: F401


_register_analyses()
