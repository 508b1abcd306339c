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
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.numbers import format_compact_table, format_count, format_number, format_whole
from ammoflow.scenarios.model.text import excerpt, visible
from ammoflow.tui.cli import analysis
from ammoflow.tui.cli.common import (
    as_of_month,
    as_of_option,
    check_output,
    chosen_columns,
    emit,
    fail,
    load,
    months_option,
    os_error_message,
    output_format_for,
    plain,
    render,
    scales_table,
    set_option,
    start_option,
    without_dust,
)

if TYPE_CHECKING:
    import polars as pl
    from rich.console import JustifyMethod

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
FORMATS = ("table", "csv", "json", "parquet")


class _Main(click.Group):
    """``ammoflow SCENARIO`` opens the explorer: a first word that is no command is a scenario.

    An operating-system error no command foresaw (a name too long for the file system, a
    disk full while writing) ends the command with one line that names the file, not a
    traceback.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            self._refuse_mistyped_command(args)
            args = ["open", *args]
        return super().parse_args(ctx, args)

    def _refuse_mistyped_command(self, args: list[str]) -> None:
        """``ammoflow summry baseline`` is a mistyped command, not a scenario called "summry".

        The explorer takes one scenario, so a first word followed by more words, or one close
        to a command's name that is neither a file nor a preset, is taken for a command and
        answered with a did-you-mean rather than the hidden ``open`` command's usage.
        """
        from ammoflow.scenarios.files import presets

        word = args[0]
        commands = [name for name, command in self.commands.items() if not command.hidden]
        guess = registry.nearest(word.casefold(), commands)
        is_scenario = word in presets.names() or Path(word).exists()
        if not is_scenario and (len(args) > 1 or guess is not None):
            hint = f'did you mean "{guess}"?' if guess else f"the commands are {', '.join(sorted(commands))}"
            fail(f'no command "{excerpt(word, 60)}"; {hint} (`ammoflow --help` lists them)')

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # a reader that stopped early (| head): click ends quietly
                raise
            fail(os_error_message(exc))


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
        assert scenario is not None  # only a scenario named can fail to resolve
        # A .toml file not there yet, in a folder that is: a new scenario, saved there by ctrl+s.
        wanted = Path(scenario).expanduser()
        if not (scenario.endswith(".toml") and not os.path.lexists(wanted) and wanted.parent.is_dir()):
            fail(exc.lines())
        path = wanted
    # Let a frame go out as soon as it is ready (Textual's default caps at 60 a second, so a
    # slider step's results could wait up to 17 ms for their frame; at 240, 4 ms, a sixth of a
    # step worked out ahead). Textual only paints what changed, so this sends no more bytes at
    # 500 (benchmarks/wire_bytes.py); at 1,000, closing help took two frames, 9 KB more.
    # TEXTUAL_FPS set by the user still wins.
    os.environ.setdefault("TEXTUAL_FPS", "500")
    from ammoflow.tui import collector

    collector.hold()  # until the explorer's first frame is out: see tui/collector.py
    from ammoflow.tui.app import run_app

    sys.exit(run_app(scenario or "baseline", path))


# -- run ------------------------------------------------------------------------


@main.command()
@click.argument("scenario")
@set_option
@start_option
@months_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    help="Output format [default: table, or from --output's ending: .csv, .json, .parquet, .txt].",
)
@click.option("--columns", metavar="A,B,...", help="Only these output columns (default: all; a few for table).")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="Write to this file instead of the screen (- for standard output).",
)
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
    from ammoflow.scenarios.model.columns import COLUMNS

    if output is not None:
        check_output(output, force)
    output_format = output_format_for(output, output_format, FORMATS, "table" if output is None else "csv")
    chosen = (
        chosen_columns(columns, COLUMNS)
        if columns is not None
        else list(TABLE_COLUMNS if output_format == "table" else COLUMNS)
    )
    loaded = load(scenario, settings, start, months)
    from ammoflow.scenarios.engine.projection import project

    frame = project(loaded).select(chosen)
    text: str | bytes
    if output_format in ("csv", "json"):
        frame = without_dust(frame)
    if output_format == "csv":
        text = frame.write_csv()
    elif output_format == "json":
        text = frame.write_json() + "\n"
    elif output_format == "parquet":  # as `sweep` writes it: the same library, the same call
        buffer = io.BytesIO()
        frame.write_parquet(buffer)
        text = buffer.getvalue()
    else:
        text = render(projection_table(frame, loaded), width=None if output is None else 200)
    emit(text, output)


# -- summary and diff --------------------------------------------------------------


@main.command()
@click.argument("scenario")
@set_option
@start_option
@months_option
@click.option(
    "--observations",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Your own observations CSV (default: the shipped one).",
)
@as_of_option
@click.option("--format", "output_format", type=click.Choice(("table", "json")), default="table", show_default=True)
def summary(
    scenario: str,
    settings: tuple[str, ...],
    start: str | None,
    months: int | None,
    observations: Path | None,
    as_of: str | None,
    output_format: str,
) -> None:
    """Key figures of SCENARIO, and the projection against what was observed."""
    loaded = load(scenario, settings, start, months)
    written_for = load(scenario) if start is not None or months is not None else loaded
    summary_report(loaded, observations, output_format, written_for, as_of=as_of_month(as_of))


def summary_report(
    scenario: Scenario,
    observations: Path | None,
    output_format: str = "table",
    written_for: Scenario | None = None,
    *,
    as_of: int | None = None,
) -> None:
    """The key figures, the observations held against them, and each claimant's scale.

    The description stays, since it says what the assumptions are; but when --start or
    --months moved the scenario off the window its description was written for, a line
    under it says so, since the description may speak of that window.
    """
    figures, scales = compute_summary(scenario, observations, as_of)
    if output_format == "json":
        scale_rows = [{"claimant": name, "mean": s.mean, "p5": s.p5, "p95": s.p95} for name, s in scales.items()]
        click.echo(
            json.dumps(
                {"scenario": scenario_header(scenario), **figures.as_dict(), "claimant_scales": scale_rows}, indent=2
            )
        )
        return
    from rich.console import Group
    from rich.text import Text

    title = Text.assemble((visible(scenario.name), "bold"), f"  {scenario.start} to {scenario.end}")
    parts: list[Any] = [title]
    if scenario.description:
        parts.append(Text(visible(scenario.description), style="dim"))
        if written_for is not None and (written_for.start, written_for.months) != (scenario.start, scenario.months):
            parts.append(
                Text(
                    f"(described for {written_for.start} to {written_for.end}; "
                    f"these figures are for {scenario.start} to {scenario.end})",
                    style="dim",
                )
            )
    parts += [figures_table([figures], [scenario.name]), observations_table(figures)]
    if scales:
        parts.append(scales_table(scales, "Claimant scales (reported / projected; prior centred on 1)"))
    click.echo(render(Group(*parts)), nl=False)


def compute_figures(scenario: Scenario, observations: Path | None, as_of: int | None = None) -> Any:
    """The key figures of one projection, with the observations held against it."""
    return compute_summary(scenario, observations, as_of)[0]


def compute_summary(
    scenario: Scenario, observations: Path | None, as_of: int | None = None
) -> tuple[Any, dict[str, Any]]:
    """Key figures, and each claimant's scale as its observations imply against this projection.

    With a single projection the posterior of a claimant's scale s_c rests on that claimant's
    rows alone (docs/model.md, "Observations"): how far its counts run above or below this
    projection, shrunk towards 1 by the prior.
    """
    from ammoflow.scenarios.analysis.likelihood import Evidence
    from ammoflow.scenarios.engine.projection import project
    from ammoflow.scenarios.files.observation_csv import read_observations
    from ammoflow.scenarios.model.figures import key_figures

    try:
        observed = read_observations(observations)
    except ScenarioError as exc:
        fail(exc.lines())
    frame = project(scenario)
    evidence = Evidence.prepare(scenario, observed)
    values = evidence.projected(frame["containers_shipped"].to_numpy(), frame["rounds_shipped"].to_numpy())
    return key_figures(frame, scenario, observed, as_of), evidence.scale_posterior(values)


@main.command()
@click.argument("first")
@click.argument("second")
@as_of_option
@click.option("--format", "output_format", type=click.Choice(("table", "json")), default="table", show_default=True)
def diff(first: str, second: str, as_of: str | None, output_format: str) -> None:
    """Key figures of FIRST and SECOND side by side, with the differences."""
    from ammoflow.scenarios.model.figures import FIGURES, format_difference

    a, b = load(first), load(second)
    month = as_of_month(as_of)
    fa, fb = compute_figures(a, None, month), compute_figures(b, None, month)
    changed = b.changed_from(a)
    if output_format == "json":
        out = {
            "first": scenario_header(a),
            "second": scenario_header(b),
            "as_of": {"first": fa.as_of, "second": fb.as_of},
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
        f"{ch.parameter} = {format_number(ch.value)} from {visible(ch.month)}"
        + (f" over {format_count(ch.over, 'month')}" if ch.over else "")
        for ch in scenario.changes
    )


def changes_json(scenario: Scenario) -> list[dict[str, Any]]:
    return [
        {"from": ch.month, "parameter": ch.parameter, "value": ch.value, "over": ch.over} for ch in scenario.changes
    ]


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
@click.option("--sources", is_flag=True, help="Each parameter's source in full, wrapped to 80 columns.")
def params(output_format: str, sources: bool) -> None:
    """Every parameter: unit, default, slider range, uncertainty range and source.

    The table leaves the sources out (they are sentences); --sources shows them, as do
    the csv, json and markdown formats.
    """
    from ammoflow.tui.cli.params_doc import (
        parameters_csv,
        parameters_json,
        parameters_markdown,
        parameters_sources,
        parameters_table,
    )

    if sources:
        if output_format != "table":
            fail("--sources is a view of its own; the csv, json and markdown formats already hold the sources")
        click.echo(render(parameters_sources(), width=min(shutil.get_terminal_size((80, 24)).columns, 80)), nl=False)
        return
    if output_format == "markdown":
        click.echo(parameters_markdown(), nl=False)
    elif output_format == "json":
        click.echo(parameters_json())
    elif output_format == "csv":
        click.echo(parameters_csv(), nl=False)
    else:
        click.echo(render(parameters_table()), nl=False)
        click.echo("Sources: ammoflow params --sources")


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
        table.add_row(*(cell if isinstance(cell, str) else format_compact_table(cell) for cell in row))
    return table


def figures_table(figures: Sequence[Any], names: Sequence[str], difference: bool = False) -> Any:
    from rich.table import Table

    from ammoflow.scenarios.model.figures import FIGURES, format_difference, format_figure

    as_of = " / ".join(dict.fromkeys(f.as_of for f in figures))
    table = Table(title=f"Key figures (as of {as_of})", title_justify="left", box=None, pad_edge=False)
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

    from ammoflow.scenarios.model.figures import describe_observed

    table = Table(title="Projected against observed", title_justify="left", box=None, pad_edge=False)
    headings: tuple[tuple[str, JustifyMethod], ...] = (
        ("date", "left"),
        ("metric", "left"),
        ("observed", "right"),
        ("projected", "right"),
        ("reads as", "left"),
        ("claimed by", "left"),
    )
    for name, justify in headings:
        table.add_column(name, justify=justify, overflow="fold")
    for check in figures.observations:
        o = check.observation
        metric = "containers" if o.metric == "cumulative_containers" else "rounds"
        verdict = check.verdict
        if check.projected is None or verdict is None:
            projected, reading = check.why_missing, ""
        else:
            projected = format_whole(check.projected)
            reading = f"{'consistent' if verdict.consistent else 'inconsistent'}: {verdict.text}"
        table.add_row(o.day.isoformat(), metric, plain(describe_observed(o)), projected, reading, plain(o.claimant))
    return table


# The analyses (sensitivity, seek, fit, uncertainty, sweep) are commands of their own module.
for _command in analysis.COMMANDS:
    main.add_command(_command)
