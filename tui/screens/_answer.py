"""A dialog answers once: keys queued behind the answering one change nothing."""

from __future__ import annotations

from typing import Any


class AnswersOnce:
    """Mixed into a modal screen (before ModalScreen): only its first answer counts.

    Keys that arrive together (a double press, a slow link) would otherwise dismiss the
    dialog twice, and the second dismissal would close the screen beneath it.
    """

    _answered = False

    @property
    def answered(self) -> bool:
        """Whether the dialog has given its answer (it is closing)."""
        return self._answered

    def answer(self, result: Any) -> None:
        """Dismiss with ``result``, unless an answer was given already."""
        if self._answered:
            return
        self._answered = True
        self.dismiss(result)  # type: ignore[attr-defined]
