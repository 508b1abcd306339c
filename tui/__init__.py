"""Terminal user interface for ammoflow."""
