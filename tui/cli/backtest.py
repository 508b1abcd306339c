"""``ammoflow backtest``: how well a forecast made at a cut matched what was reported after it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.numbers import format_compact_table, format_count, format_whole
from ammoflow.scenarios.model.scenario import MAX_RUNS, MAX_SEED
from ammoflow.scenarios.model.text import visible
from ammoflow.tui.cli.common import Count, fail, load, months_option, plain, render, set_option, start_option

if TYPE_CHECKING:
    from ammoflow.scenarios.analysis.backtest import Backtest, Score

CSV_COLUMNS = (
    "date",
    "metric",
    "qualifier",
    "observed",
    "p5",
    "p25",
    "p50",
    "p75",
    "p95",
    "percentile",
    "in_50",
    "in_90",
)
METRIC_NAMES = {"cumulative_containers": "containers", "cumulative_rounds": "rounds"}

HELP = """Backtest: forecast from the observations dated up to the end of the --until month, then
score every later observation within the projection.

\b
The runs are conditioned on what was known at the cut and projected over the horizon; the
forecast of what a source will report is the projection times that source's scale (as the
known observations imply it, or its prior for a source first heard after the cut), with the
reporting error of an "about" or exact figure.

\b
percentile: for a bound, the chance the forecast satisfies it; for a range, the chance it
falls inside; for an "about" or exact figure, the share of the forecast below it.
in_50 / in_90: whether the observation is consistent with the 25-75% / 5-95% band (a lower
bound when the band's top reaches it, an upper bound when its bottom is at or under it, a
range when they overlap, a figure when it lies inside).
The table ends with the coverage of both bands and proper scores (see the README)."""


@click.command("backtest", help=HELP)
@click.argument("scenario")
@click.option("--until", required=True, metavar="YYYY-MM", help="The cut: what was known by the end of this month.")
@click.option("--observations", type=click.Path(dir_okay=False, path_type=Path), help="Your own observations CSV.")
@click.option(
    "--runs",
    type=Count("the number of runs", 1, MAX_RUNS),
    metavar="N",
    help="Runs to condition, 1 to 100,000 (default: the scenario's, 1,000).",
)
@click.option("--seed", type=Count("the seed", 0, MAX_SEED), metavar="N", help="Random seed (default: the scenario's).")
@set_option
@start_option
@months_option
@click.option(
    "--format", "output_format", type=click.Choice(("table", "csv", "json")), default="table", show_default=True
)
def backtest_command(
    scenario: str,
    until: str,
    observations: Path | None,
    runs: int | None,
    seed: int | None,
    settings: tuple[str, ...],
    start: str | None,
    months: int | None,
    output_format: str,
) -> None:
    import attrs

    from ammoflow.scenarios.analysis.backtest import BacktestError, backtest
    from ammoflow.scenarios.files.observation_csv import read_observations

    loaded = load(scenario, settings, start, months)
    if seed is not None:
        loaded = attrs.evolve(loaded, uncertainty=attrs.evolve(loaded.uncertainty, seed=seed))
    try:
        observed = read_observations(observations)
        result = backtest(loaded, observed, until, runs)
    except ScenarioError as exc:
        fail(exc.lines())
    except BacktestError as exc:
        fail(f"--until {until}: {exc}")
    if not result.enough and output_format == "csv":  # the table and json say so themselves
        click.echo(f"ammoflow: {_rough(result)}", err=True)
    if output_format == "csv":
        import polars as pl

        frame = pl.DataFrame([_row(s) for s in result.scores], schema=_schema(), orient="row")
        click.echo(frame.write_csv(), nl=False)
    elif output_format == "json":
        click.echo(json.dumps(_json(result), indent=2))
    else:
        click.echo(render(_table(result)), nl=False)


def _rough(result: Backtest) -> str:
    return f"given the observations at the cut: only {format_whole(result.ess)} effective runs; the bands are rough"


def _schema() -> dict[str, Any]:
    import polars as pl

    types: dict[str, Any] = dict.fromkeys(CSV_COLUMNS, pl.Float64)
    types.update(date=pl.String, metric=pl.String, qualifier=pl.String, in_50=pl.Boolean, in_90=pl.Boolean)
    return types


def _row(score: Score) -> tuple[Any, ...]:
    o = score.observation
    return (
        o.day.isoformat(),
        o.metric,
        o.qualifier,
        o.value,
        *(round(q, 6) for q in score.quantiles),
        round(score.percentile, 6),
        score.in_50,
        score.in_90,
    )


def _observed(score: Score) -> str:
    o = score.observation
    if o.kind == "range" and o.high is not None:
        return f"{o.qualifier} {format_whole(o.value)} and {format_whole(o.high)}"
    return f"{o.qualifier + ' ' if o.qualifier else ''}{format_whole(o.value)}"


def _mean(result: Backtest, name: str) -> dict[str, Any]:
    value, count = result.mean(name)
    return {"mean": value, "observations": count}


def _json(result: Backtest) -> dict[str, Any]:
    rows = []
    for score in result.scores:
        o = score.observation
        row = dict(zip(CSV_COLUMNS, _row(score), strict=True))
        row.update(
            kind=o.kind,
            high=o.high if o.kind == "range" else None,
            claimant=o.claimant,
            interval_score=score.interval_score,
            crps=score.crps,
            brier=score.brier,
        )
        rows.append(row)
    hit50, scored = result.coverage(50)
    hit90, _ = result.coverage(90)
    return {
        "scenario": result.scenario.name,
        "until": result.until,
        "known": len(result.known),
        "runs": result.runs,
        "ess": result.ess,
        "enough": result.enough,
        "scored": rows,
        "skipped": [{"date": o.day.isoformat(), "metric": o.metric, "why": why} for o, why in result.skipped],
        "coverage": {"50": {"in": hit50, "of": scored}, "90": {"in": hit90, "of": scored}},
        "scores": {name: _mean(result, name) for name in ("interval_score", "crps", "brier")},
    }


def _table(result: Backtest) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    head = Text(
        f"{visible(result.scenario.name)}: forecast at the end of {result.until} from "
        f"{format_count(len(result.known), 'observation')} ({format_count(result.runs, 'run')}, "
        f"ESS {format_whole(result.ess)})",
        style="bold",
    )
    lines: list[Any] = [head]
    if not result.enough:
        lines.append(Text(_rough(result)))
    table = Table(title="Later observations against the forecast", title_justify="left", box=None, pad_edge=False)
    table.add_column("date")
    table.add_column("metric")
    table.add_column("observed", justify="right", overflow="fold")
    for name in ("p5", "p25", "p50", "p75", "p95", "pct", "50%", "90%"):
        table.add_column(name, justify="right")
    for score in result.scores:
        o = score.observation
        table.add_row(
            o.day.isoformat(),
            METRIC_NAMES.get(o.metric, o.metric),
            plain(_observed(score)),
            *(format_compact_table(q) for q in score.quantiles),
            f"{score.percentile:.0f}",
            "yes" if score.in_50 else "no",
            "yes" if score.in_90 else "no",
        )
    lines.append(table)
    hit50, scored = result.coverage(50)
    hit90, _ = result.coverage(90)
    lines.append(Text(f"coverage: 50% band {hit50} of {scored}, 90% band {hit90} of {scored}"))
    interval, points = result.mean("interval_score")
    crps, _ = result.mean("crps")
    if interval is not None and crps is not None:
        lines.append(
            Text(
                f"about/exact figures ({points}): interval score (90%) {interval:.3f}, CRPS {crps:.3f}"
                " (log scale; lower is better)"
            )
        )
    brier, bounds = result.mean("brier")
    if brier is not None:
        lines.append(Text(f"bounds and ranges ({bounds}): Brier score {brier:.3f} (0 best, 1 worst)"))
    for o, why in result.skipped:
        lines.append(Text(f"not scored {o.day.isoformat()} {METRIC_NAMES.get(o.metric, o.metric)}: {why}", style="dim"))
    return Group(*lines)
