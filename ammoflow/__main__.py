"""`python -m ammoflow` runs the `ammoflow` command."""

from ammoflow.tui.cli.main import main

main()
