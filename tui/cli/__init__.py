"""The headless command line: the same answers as the explorer, for scripts. Never imports Textual."""
