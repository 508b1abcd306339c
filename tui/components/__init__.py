"""Reusable widgets for the ammoflow terminal interface."""
