"""Headless analyses: sensitivity (tornado), goal seek, fit to observations, Monte Carlo sweeps."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.figures import BY_KEY as FIGURES_BY_KEY
from ammoflow.scenarios.model.figures import FIGURE_KEYS
from ammoflow.scenarios.model.numbers import (
    format_compact,
    format_compact_figure,
    format_count,
    format_number,
    format_tenths,
    format_whole,
)
from ammoflow.scenarios.model.scenario import DISTRIBUTIONS, MAX_RUNS, MAX_SEED, SAMPLINGS
from ammoflow.scenarios.model.text import visible
from ammoflow.tui.cli.backtest import backtest_command
from ammoflow.tui.cli.common import (
    Count,
    as_of_month,
    as_of_option,
    check_output,
    chosen_columns,
    emit,
    fail,
    load,
    looks_like_fraction,
    months_option,
    output_format_for,
    plain,
    render,
    scales_table,
    set_option,
    start_option,
    warn,
    without_dust,
)

if TYPE_CHECKING:
    from rich.console import JustifyMethod

_figure_option = click.option(
    "--figure",
    "figure_key",
    required=True,
    metavar="KEY",
    help=f"A key figure: {', '.join(FIGURE_KEYS)}.",
)


def _bar(value: float, scale: float, width: int) -> str:
    cells = 0 if scale <= 0 else round(abs(value) / scale * width)
    return "█" * cells


@click.command()
@click.argument("scenario")
@_figure_option
@set_option
@start_option
@months_option
@click.option(
    "--format", "output_format", type=click.Choice(("table", "csv", "json")), default="table", show_default=True
)
def sensitivity(
    scenario: str,
    figure_key: str,
    settings: tuple[str, ...],
    start: str | None,
    months: int | None,
    output_format: str,
) -> None:
    """Tornado: each parameter at the low and the high of its uncertainty range, the others held."""
    from ammoflow.scenarios.analysis.sensitivity import format_value, tornado

    loaded = load(scenario, settings, start, months)
    try:
        result = tornado(loaded, figure_key)
    except ScenarioError as exc:
        fail(exc.lines())
    rows = [
        {
            "parameter": bar.key,
            "low": bar.low,
            "high": bar.high,
            "figure_at_low": bar.at_low,
            "figure_at_high": bar.at_high,
            "swing": bar.swing,
        }
        for bar in result.bars
    ]
    if output_format == "json":
        click.echo(
            json.dumps({"figure": figure_key, "base": result.base, "bars": rows, "fixed": list(result.fixed)}, indent=2)
        )
        return
    if output_format == "csv":
        import polars as pl

        click.echo(pl.DataFrame(rows).write_csv(), nl=False)
        return
    from rich.table import Table

    table = Table(
        title=plain(f"{figure_key} for {loaded.name}: {format_value(figure_key, result.base, loaded)} as it is"),
        title_justify="left",
        box=None,
        pad_edge=False,
    )
    # One line a parameter at 80 columns: counts in short form (the title gives the unit), the
    # parameter's low and high in short form too, in brackets; the bar takes what is left.
    kind = FIGURES_BY_KEY[figure_key].kind
    counted = kind in ("rounds", "containers", "tonnes")

    def shown(value: float) -> str:
        return format_compact_figure(value) if counted and value == value else format_value(figure_key, value, loaded)

    headings: tuple[tuple[str, JustifyMethod], ...] = (
        ("parameter", "left"),
        ("at low", "right"),
        ("at high", "right"),
        ("swing", "left"),
    )
    for name, justify in headings:
        table.add_column(name, justify=justify, no_wrap=True)
    widest = max((bar.swing for bar in result.bars if bar.swing == bar.swing), default=0.0)
    for bar in result.bars:
        parameter = registry.BY_KEY[bar.key]
        low = f"{shown(bar.at_low)} ({format_compact(bar.low)})"
        high = f"{shown(bar.at_high)} ({format_compact(bar.high)})"
        table.add_row(parameter.key, low, high, _bar(bar.swing, widest, 16))
    click.echo(render(table), nl=False)


@click.command()
@click.argument("scenario")
@click.option("--parameter", "parameter_key", required=True, metavar="KEY", help="The parameter to move.")
@_figure_option
@click.option(
    "--target",
    required=True,
    metavar="VALUE",
    help="The figure to reach: a number (15000, 2M; a share in percent, 40 or 40%), "
    'or for month figures YYYY-MM or "never".',
)
@set_option
@start_option
@months_option
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text", show_default=True)
def seek(
    scenario: str,
    parameter_key: str,
    figure_key: str,
    target: str,
    settings: tuple[str, ...],
    start: str | None,
    months: int | None,
    output_format: str,
) -> None:
    """Goal seek: the value of one parameter at which a key figure reaches a target.

    Exits 0 when the target is reached, 3 when it cannot be within the parameter's range.
    """
    from ammoflow.scenarios.analysis.seek import goal_seek

    loaded = load(scenario, settings, start, months)
    target = _share_in_percent(figure_key, target)
    try:
        result = goal_seek(loaded, parameter_key, figure_key, target)
    except ScenarioError as exc:
        fail(exc.lines())
    if output_format == "json":
        shown = _figure_in_json(loaded, figure_key)
        out = {
            "parameter": parameter_key,
            "figure": figure_key,
            "target": shown(result.target),
            "found": result.found,
            "value": result.value,
            "achieved": shown(result.achieved),
            "others": list(result.others),
            "figure_range": [shown(end) for end in result.figure_range],
            "message": result.message,
        }
        click.echo(json.dumps(out, indent=2))
    else:
        click.echo(result.message)
    if not result.found:
        raise SystemExit(3)


def _share_in_percent(figure_key: str, target: str) -> str:
    """A share figure's target read as `--set` reads a percentage: a plain number is percent.

    ``--target 40`` and ``--target 40%`` are both 40%, as ``--set nk_utilisation_russia=40``
    is; a value that looks like a fraction (0.4) is taken as typed, with a note saying so.
    """
    from ammoflow.scenarios.model.figures import BY_KEY
    from ammoflow.scenarios.model.numbers import parse_number

    text = target.strip()
    if BY_KEY[figure_key].kind != "share" or text.endswith("%"):
        return target
    try:
        number = parse_number(text)
    except ValueError:
        return target  # the search says what is wrong with it
    if looks_like_fraction(number):
        warn(f"--target {text} is read as {text}%; shares are in percent, so write {format_number(number * 100)}")
    return f"{text}%"


def _figure_in_json(scenario: Any, figure_key: str) -> Callable[[Any], Any]:
    """How seek's figures go into JSON: a month figure as ``"2027-03"`` as `summary` writes it.

    The search counts months from the start (the horizon's length meaning "not within the
    horizon", written ``null`` as `summary` does); other figures are numbers already.
    """
    from ammoflow.scenarios.model.figures import BY_KEY
    from ammoflow.scenarios.model.months import format_month

    if BY_KEY[figure_key].kind != "month":
        return lambda value: value

    def month(value: Any) -> str | None:
        if value is None or value >= scenario.months:
            return None
        return format_month(scenario.start_index + round(value))

    return month


@click.command(name="fit")
@click.argument("scenario")
@click.option(
    "--parameter",
    "parameter_keys",
    required=True,
    multiple=True,
    metavar="KEY",
    help="A parameter to fit (one to three; repeat the option; one with --per or --from).",
)
@click.option(
    "--per",
    type=click.Choice(("year",)),
    help="Fit the parameter as a pace per calendar year, from the start to the last observation.",
)
@click.option(
    "--from",
    "steps_from",
    metavar="YYYY-MM,...",
    help="Fit the parameter as steps: a value from the start and one from each month listed.",
)
@click.option("--observations", type=click.Path(dir_okay=False, path_type=Path), help="Your own observations CSV.")
@set_option
@start_option
@months_option
@click.option(
    "--output", "-o", type=click.Path(path_type=Path), help="Save the fitted scenario here (- for standard output)."
)
@click.option("--force", is_flag=True, help="Overwrite --output if it exists.")
@click.option("--format", "output_format", type=click.Choice(("table", "json")), default="table", show_default=True)
def fit_command(
    scenario: str,
    parameter_keys: tuple[str, ...],
    per: str | None,
    steps_from: str | None,
    observations: Path | None,
    settings: tuple[str, ...],
    start: str | None,
    months: int | None,
    output: Path | None,
    force: bool,
    output_format: str,
) -> None:
    """Fit one to three parameters, or one parameter's pace per period, to the dated observations.

    Observations count as what they say (a lower bound is met by anything above it) and
    each claimant's systematic scale is estimated alongside (docs/model.md).
    """
    from ammoflow.scenarios.analysis.fit import fit
    from ammoflow.scenarios.files.observation_csv import read_observations

    if output is not None:
        check_output(output, force)
    listed: list[str] = []
    if steps_from is not None:
        listed = [month.strip() for month in steps_from.split(",") if month.strip()]
        if not listed:
            fail("--from needs at least one month, e.g. --from 2024-01,2024-07")
    loaded = load(scenario, settings, start, months)
    try:
        observed = read_observations(observations)
        result = fit(loaded, list(parameter_keys), observed, per=per, steps_from=listed)
    except ScenarioError as exc:
        fail(exc.lines())
    if output is not None:
        from ammoflow.scenarios.files.scenario_toml import scenario_text

        try:
            text = scenario_text(result.scenario, _source_text(scenario, start, months), source=str(output))
        except ScenarioError as exc:
            fail(exc.lines())
        emit(text, output)
    # With the scenario on standard output (--output -), the report goes beside it, to stderr.
    aside = output is not None and str(output) == "-"
    if output_format == "json":
        click.echo(json.dumps(_fit_json(result), indent=2), err=aside)
        return
    click.echo(render(_fit_report(result, loaded)), nl=False, err=aside)


def _source_text(argument: str, start: str | None, months: int | None) -> str | None:
    """The text of the file the scenario came from, so a saved fit keeps its comments (None: write afresh).

    A scenario moved to another horizon is written afresh: its file's months no longer say what it is.
    """
    from ammoflow.scenarios.files import presets
    from ammoflow.scenarios.files.scenario_toml import read_text

    if start is not None or months is not None:
        return None
    try:
        _, path = presets.resolve(argument)
        return read_text(path if path is not None else presets.path_of(argument))
    except (ScenarioError, OSError):
        return None


def _fit_report(result: Any, loaded: Any) -> Any:
    """The fit as a user reads it: values old -> new, the score, notes, verdicts and the claimants' scales."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from ammoflow.scenarios.model.figures import describe_observed

    lines: list[Any] = []
    if result.steps:
        (key,) = result.keys
        parameter = registry.BY_KEY[key]
        for step in result.steps:
            shown = f"{key} from {step.month} = {parameter.format(step.value)}  (was {parameter.format(step.before)})"
            lines.append(Text(shown))
    else:
        for key, value in result.values.items():
            parameter = registry.BY_KEY[key]
            lines.append(Text(f"{key} = {parameter.format(value)}  (was {parameter.format(loaded.values[key])})"))
    consistent = len(result.rows) - len(result.inconsistent)
    summary = (
        f"negative log-likelihood: {result.score:.2f} (was {result.score_before:.2f}; lower fits better); "
        f"{consistent} of {format_count(len(result.rows), 'observation')} consistent"
    )
    lines.append(Text(summary, style="dim"))
    for label in result.at_edge:
        lines.append(
            Text(f"note: {label} ended at an end of its range; the best fit may lie beyond it", style="italic")
        )
    for label in result.uninformed:
        lines.append(Text(f"note: the observations do not depend on {label}; it was left as it was", style="italic"))
    if not result.met:
        note = "note: no value meets every bound observed; the fit comes as near to them as it can"
        lines.append(Text(note, style="italic"))
    if not result.converged:
        lines.append(Text(f"note: the steps still moved after {result.sweeps} sweeps; try fewer steps", style="italic"))
    table = Table(title="Observations beside the fit", title_justify="left", box=None, pad_edge=False)
    headings: tuple[tuple[str, JustifyMethod], ...] = (
        ("date", "left"),
        ("metric", "left"),
        ("observed", "right"),
        ("fitted", "right"),
        ("verdict", "left"),
        ("claimed by", "left"),
    )
    for name, justify in headings:
        table.add_column(name, justify=justify, overflow="fold")
    for row in result.rows:
        table.add_row(
            row.day.isoformat(),
            "containers" if row.metric == "cumulative_containers" else "rounds",
            plain(describe_observed(row.observation)),
            format_whole(row.fitted),
            Text(("✓ " if row.consistent else "✗ ") + row.verdict),
            plain(row.claimant),
        )
    scales = Table(title="Each claimant's scale (reported / true)", title_justify="left", box=None, pad_edge=False)
    for name, justify in (("claimant", "left"), ("scale", "right"), ("90% interval", "right")):
        scales.add_column(name, justify=justify, overflow="fold")
    for claimant, estimate in result.scales.items():
        scales.add_row(
            plain(claimant or "(unnamed)"), f"{estimate.mean:.2f}", f"{estimate.p5:.2f} to {estimate.p95:.2f}"
        )
    skipped = [Text(f"skipped {o.day.isoformat()} {o.metric}: {why}", style="dim") for o, why in result.skipped]
    return Group(*lines, table, Text(""), scales, *skipped)


def _fit_json(result: Any) -> dict[str, Any]:
    return {
        "fitted": dict(result.values),
        "steps": [{"from": s.month, "value": s.value, "before": s.before} for s in result.steps],
        "score": result.score,
        "score_before": result.score_before,
        "at_edge": list(result.at_edge),
        "uninformed": list(result.uninformed),
        "sweeps": result.sweeps,
        "converged": result.converged,
        "met_every_bound": result.met,
        "observations": [
            {
                "date": row.day.isoformat(),
                "metric": row.metric,
                "qualifier": row.qualifier,
                "observed": row.observed,
                "high": row.observation.high,
                "since": row.observation.since.isoformat() if row.observation.since else None,
                "claimant": row.claimant,
                "fitted": row.fitted,
                "consistent": row.consistent,
                "verdict": row.verdict,
            }
            for row in result.rows
        ],
        "scales": {claimant: {"mean": e.mean, "p5": e.p5, "p95": e.p95} for claimant, e in result.scales.items()},
        "skipped": [{"date": o.day.isoformat(), "metric": o.metric, "why": why} for o, why in result.skipped],
    }


_runs_option = click.option(
    "--runs",
    type=Count("the number of runs", 1, MAX_RUNS),
    metavar="N",
    help="Monte Carlo runs, 1 to 100,000 (default: the scenario's, 1,000).",
)
_seed_option = click.option(
    "--seed", type=Count("the seed", 0, MAX_SEED), metavar="N", help="Random seed, 0 or more (default: the scenario's)."
)
_distribution_option = click.option(
    "--distribution",
    type=click.Choice(DISTRIBUTIONS),
    help="How values are drawn from each range (default: the scenario's, triangular).",
)
_sampling_option = click.option(
    "--sampling",
    type=click.Choice(SAMPLINGS),
    help="Each run drawn on its own, or every part of each range covered evenly (default: the scenario's, random).",
)


def _monte_carlo_options(command: Any) -> Any:
    """--runs, --seed, --distribution and --sampling: the scenario's [uncertainty] settings, overridden."""
    for option in (_sampling_option, _distribution_option, _seed_option, _runs_option):
        command = option(command)
    return command


def _with_settings(scenario: Any, **settings: Any) -> Any:
    """``scenario`` with the Monte Carlo settings given on the command line (None: the scenario's own)."""
    import attrs

    changes = {key: value for key, value in settings.items() if value is not None}
    return attrs.evolve(scenario, uncertainty=attrs.evolve(scenario.uncertainty, **changes)) if changes else scenario


SHIPPED_OBSERVATIONS = "shipped"
"""What ``--given`` with no file stands for: the observations that come with ammoflow."""

_given_option = click.option(
    "--given",
    metavar="[FILE]",
    is_flag=False,
    flag_value=SHIPPED_OBSERVATIONS,
    default=None,
    help="Only the runs consistent with the observations: the shipped ones, or your own CSV.",
)


def _conditioned(loaded: Any, given: str, **simulate: Any) -> Any:
    """The runs of ``loaded`` given the observations ``--given`` names (a clear message for a bad file)."""
    from ammoflow.scenarios.analysis.conditioning import condition
    from ammoflow.scenarios.analysis.likelihood import Evidence
    from ammoflow.scenarios.files.observation_csv import read_observations

    try:
        observed = read_observations(None if given == SHIPPED_OBSERVATIONS else given)
        return condition(loaded, Evidence.prepare(loaded, observed), **simulate)
    except ScenarioError as exc:
        fail(exc.lines())


def _given_json(conditioned: Any, given: str) -> dict[str, Any]:
    """What the runs were conditioned on and how well they rest on it, for --format json."""
    from ammoflow.scenarios.analysis.conditioning import describe

    return {
        "observations": given,
        "used": len(conditioned.used),
        "ess": conditioned.ess,
        "runs_drawn": conditioned.runs_drawn,
        "enough": conditioned.enough,
        "warning": conditioned.warning(),
        "scales": {
            claimant: {"mean": scale.mean, "p5": scale.p5, "p95": scale.p95}
            for claimant, scale in conditioned.scales.items()
        },
        "skipped": [{"observation": describe(o), "why": why} for o, why in conditioned.skipped],
    }


def _given_lines(conditioned: Any) -> list[Any]:
    """The head of a table given the observations: what, how many effective runs, each claimant's scale."""
    from rich.text import Text

    from ammoflow.scenarios.analysis.conditioning import describe

    lines: list[Any] = [Text(conditioned.summary())]
    warning = conditioned.warning()
    if warning:
        lines.append(Text(f"note: {warning}", style="bold"))
    if conditioned.scales:
        lines.append(scales_table(conditioned.scales, "Each claimant's scale (what it reports per true count)"))
    lines.extend(Text(f"skipped {describe(o)}: {why}", style="dim") for o, why in conditioned.skipped)
    return lines


@click.command()
@click.argument("scenario")
@_monte_carlo_options
@set_option
@start_option
@months_option
@click.option("--before", metavar="YYYY-MM", help="Month for the probabilities (default: the end of the horizon).")
@as_of_option
@_given_option
@click.option("--format", "output_format", type=click.Choice(("table", "json")), default="table", show_default=True)
def uncertainty(
    scenario: str,
    runs: int | None,
    seed: int | None,
    distribution: str | None,
    sampling: str | None,
    settings: tuple[str, ...],
    start: str | None,
    months: int | None,
    before: str | None,
    as_of: str | None,
    given: str | None,
    output_format: str,
) -> None:
    """Monte Carlo: key figures as percentiles, and how likely shortfall and exhaustion are.

    Rates the scenario lets drift ([uncertainty] drift) wander month to month in each run.
    With --given, the runs are those consistent with the observations (docs/model.md,
    "Conditioning"), and the chances are shown both ways: given them and on all assumptions.
    """
    from ammoflow.scenarios.analysis.montecarlo import MONTH_FIGURES, QUANTILES, simulate
    from ammoflow.scenarios.model.figures import BY_KEY as FIGURES_BY_KEY
    from ammoflow.scenarios.model.figures import as_of_offset
    from ammoflow.scenarios.model.months import format_month, parse_month
    from ammoflow.scenarios.model.scenario import format_drift

    loaded = _with_settings(
        load(scenario, settings, start, months), runs=runs, seed=seed, distribution=distribution, sampling=sampling
    )
    month = before or format_month(loaded.start_index + loaded.months)
    try:
        index = parse_month(month)
    except ValueError as exc:
        fail(f"--before: {exc}")
    if not loaded.start_index < index <= loaded.start_index + loaded.months:
        first, last = format_month(loaded.start_index + 1), format_month(loaded.start_index + loaded.months)
        fail(f"--before: {month} is outside the projection; give a month from {first} to {last}")
    read_at = as_of_offset(loaded, as_of_month(as_of))  # the "as of" figures' month, within the horizon
    at = loaded.start_index + read_at
    everything = simulate(loaded, columns=(), as_of=at)  # key figures only: no month-by-month column is kept
    conditioned = None if given is None else _conditioned(loaded, given, columns=(), as_of=at)
    simulation = everything if conditioned is None else conditioned.simulation
    probabilities = {key: simulation.probability_before(key, month) for key in MONTH_FIGURES}
    unconditioned = {key: everything.probability_before(key, month) for key in MONTH_FIGURES}
    numeric = [key for key in FIGURE_KEYS if key not in MONTH_FIGURES]
    percentiles = {key: simulation.figure_percentiles(key) for key in numeric}
    if output_format == "json":
        out: dict[str, Any] = {
            "scenario": loaded.name,
            "runs": simulation.runs,
            "seed": loaded.uncertainty.seed,
            "drift": loaded.uncertainty.volatilities(),
            "before": month,
            "as_of": format_month(at),
            "probability_before": probabilities,
            "percentiles": {key: {f"p{q:g}": v for q, v in values.items()} for key, values in percentiles.items()},
        }
        if conditioned is not None and given is not None:
            out["given"] = _given_json(conditioned, given)
            out["probability_before_all_assumptions"] = unconditioned
        click.echo(json.dumps(out, indent=2))
        return
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    u = loaded.uncertainty
    head = Text(
        f"{visible(loaded.name)}: {format_count(simulation.runs, 'run')} "
        f"({u.distribution}, {u.sampling}, seed {u.seed})"
        + (f"; drifting, % a month: {format_drift(u.volatilities())}" if u.drift else ""),
        style="bold",
    )
    chances = Table(title=f"Chance before {month}", title_justify="left", box=None, pad_edge=False)
    chances.add_column("event")
    events = (
        ("Russian shortfall begins", "first_shortfall_month"),
        ("North Korean stock at its reserve", "nk_reserve_month"),
    )
    if conditioned is None:
        chances.add_column("probability", justify="right")
        for label, key in events:
            chances.add_row(label, f"{probabilities[key]:.0%}")
    else:
        chances.add_column("given the observations", justify="right")
        chances.add_column("on all assumptions", justify="right")
        for label, key in events:
            chances.add_row(label, f"{probabilities[key]:.0%}", f"{unconditioned[key]:.0%}")
    title = f"Key figures across runs (as of {format_month(at)})" + (
        "" if conditioned is None else " given the observations"
    )
    table = Table(title=title, title_justify="left", box=None, pad_edge=False)
    table.add_column("figure")
    for q in QUANTILES:
        table.add_column(f"p{q:g}", justify="right")
    for key in numeric:
        kind = FIGURES_BY_KEY[key].kind
        shown = format_tenths if kind == "months" else format_whole  # months of fire to a tenth, as the explorer
        cells = [f"{v:.1%}" if kind == "share" else shown(v) for v in percentiles[key].values()]
        table.add_row(f"{FIGURES_BY_KEY[key].label}, {kind}" if kind != "share" else FIGURES_BY_KEY[key].label, *cells)
    given_lines = [] if conditioned is None else _given_lines(conditioned)
    click.echo(render(Group(head, *given_lines, chances, table)), nl=False)


@click.command()
@click.argument("scenario")
@_monte_carlo_options
@set_option
@start_option
@months_option
@click.option(
    "--columns", metavar="A,B,...", help="Only these output columns (default: all), as `ammoflow run` names them."
)
@click.option("--all-runs", is_flag=True, help="Every run's rows instead of percentiles.")
@_given_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("csv", "parquet")),
    help="Default: from --output's ending (.csv or .parquet).",
)
@click.option(
    "--output", "-o", required=True, type=click.Path(path_type=Path), help="File to write (- for standard output)."
)
@click.option("--force", is_flag=True, help="Overwrite --output if it exists.")
def sweep(
    scenario: str,
    runs: int | None,
    seed: int | None,
    distribution: str | None,
    sampling: str | None,
    settings: tuple[str, ...],
    start: str | None,
    months: int | None,
    columns: str | None,
    all_runs: bool,
    given: str | None,
    output_format: str | None,
    output: Path,
    force: bool,
) -> None:
    """Monte Carlo to a file: per-month percentiles of the outputs, or every run with --all-runs.

    With --given, the runs are those consistent with the observations (docs/model.md,
    "Conditioning"); how many effective runs they rest on is said on standard error.
    """
    import io

    from ammoflow.scenarios.analysis.montecarlo import OUTPUT_COLUMNS, QUANTILES, run_frames, simulate

    chosen = chosen_columns(columns, OUTPUT_COLUMNS) if columns is not None else OUTPUT_COLUMNS
    if not all_runs:  # percentiles of a column the same in every run say nothing the month does not
        if columns is not None and CALENDAR_COLUMNS.intersection(chosen):
            fail(
                "--columns: days is the same in every run (the month's length), so it has no percentiles; "
                "leave it out, or add --all-runs"
            )
        chosen = tuple(name for name in chosen if name not in CALENDAR_COLUMNS)
    check_output(output, force)
    output_format = output_format_for(output, output_format, ("csv", "parquet"), "csv")
    loaded = _with_settings(
        load(scenario, settings, start, months), runs=runs, seed=seed, distribution=distribution, sampling=sampling
    )
    conditioned = None
    if given is not None:  # percentiles: the conditioned runs' own; every run: their values projected again
        conditioned = _conditioned(loaded, given, columns=() if all_runs else chosen, qs=QUANTILES)
        click.echo(visible(conditioned.summary()), err=True)
        warning = conditioned.warning()
        if warning:
            click.echo(f"note: {warning}", err=True)
    if all_runs:  # too many rows to hold at the largest sizes: written a piece at a time
        from ammoflow.tui.cli.streamed_output import write_frames

        if conditioned is None:
            pieces = run_frames(loaded, columns=chosen)
        else:
            drift = conditioned.drift_source()
            pieces = run_frames(loaded, columns=chosen, draws=conditioned.values, drift=drift)
        try:
            write_frames(output, map(without_dust, pieces) if output_format == "csv" else pieces, output_format)
        except ScenarioError as exc:
            fail(exc.lines())
        if str(output) != "-":
            click.echo(f"wrote {visible(str(output))}", err=True)
        return
    # Only the percentiles are kept, a few columns' runs at a time: bounded memory at every size.
    if conditioned is None:  # no key figure is written: none is worked out
        simulation = simulate(loaded, columns=chosen, qs=QUANTILES, figures=False)
    else:
        simulation = conditioned.simulation
    frame = simulation.to_frame()
    if output_format == "csv":
        emit(without_dust(frame).write_csv(), output)
    else:
        buffer = io.BytesIO()
        frame.write_parquet(buffer)
        emit(buffer.getvalue(), output)


CALENDAR_COLUMNS = frozenset({"days"})
"""Output columns set by the calendar alone: the same in every run of a sweep."""

COMMANDS: tuple[click.Command, ...] = (sensitivity, seek, fit_command, uncertainty, sweep, backtest_command)
"""The analyses, for :mod:`ammoflow.tui.cli.main` to add to the ``ammoflow`` group."""
