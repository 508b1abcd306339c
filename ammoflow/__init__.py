"""ammoflow: a terminal what-if explorer for the flow of North Korean artillery rounds to Russia.

Two subpackages, one layer each:

- :mod:`ammoflow.scenarios`: the domain (parameters, scenarios, the projection engines,
  scenario files, the analyses). It imports neither Textual nor click.
- :mod:`ammoflow.tui`: the terminal interfaces, the headless command line and the explorer.
"""


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed package's metadata when asked for, not at every start.

    Reading it scans the installed distributions: a few milliseconds that every command and
    the explorer's first screen would pay for a number none of them shows.
    """
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ammoflow")
    except PackageNotFoundError:  # pragma: no cover - running from a tree that was never installed
        return "0+unknown"
