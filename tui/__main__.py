"""`python -m tui` runs the `ammoflow` command."""

from tui.cli import main

main()
