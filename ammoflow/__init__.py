"""ammoflow: a terminal what-if explorer for the flow of North Korean artillery rounds to Russia.

Two subpackages, one layer each:

- :mod:`ammoflow.scenarios`: the domain (parameters, scenarios, the projection engines,
  scenario files, the analyses). It imports neither Textual nor click.
- :mod:`ammoflow.tui`: the terminal interfaces, the headless command line and the explorer.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ammoflow")
except PackageNotFoundError:  # pragma: no cover - running from a tree that was never installed
    __version__ = "0+unknown"
