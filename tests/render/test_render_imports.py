"""The drawing needs no app: importing every render module loads no Textual."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import ammoflow.tui.render as render


def test_render_modules_load_without_textual() -> None:
    modules = [f"ammoflow.tui.render.{info.name}" for info in pkgutil.iter_modules(render.__path__)]
    assert "ammoflow.tui.render.chart_layout" in modules
    script = "; ".join(
        [
            "import sys",
            *(f"import {module}" for module in modules),
            "print(sorted({name.split('.')[0] for name in sys.modules} & {'textual', 'plotext'}))",
        ]
    )
    loaded = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    # plotext too is loaded only when a chart is first drawn, not on import.
    assert loaded.strip() == "[]"
