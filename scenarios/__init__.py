"""ammoflow's domain: parameters, scenarios, the projection engine, scenario files and presets.

Nothing here imports Textual: the headless CLI and the tests use it without a screen.
"""
