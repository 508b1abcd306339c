"""Messages in the explorer's words: a parameter or figure named by its label, not its key.

The analyses write their messages for the command line, where keys are what a user types
(``--parameter ru_fire_rate``); on screen the same message names the slider as it is labelled.
"""

from __future__ import annotations

import re

from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.figures import FIGURES

_LABELS = {p.key: p.label for p in registry.PARAMETERS} | {f.key: f.label for f in FIGURES}
_KEYS = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _LABELS), key=len, reverse=True)) + r")\b")


def in_words(text: str) -> str:
    """``text`` with every parameter and key-figure key replaced by its label."""
    return _KEYS.sub(lambda match: _LABELS[match.group(1)], text)


def label_of(key: str) -> str:
    """The label of a parameter or key figure (the key itself when it is neither)."""
    return _LABELS.get(key, key)
