"""Modal screens of the ammoflow explorer: confirmations, prompts, pickers and help.

Each screen is a :class:`textual.screen.ModalScreen` that returns its answer through
``dismiss``; push it with ``app.push_screen(screen, callback)`` or
``await app.push_screen_wait(screen)`` from a worker.
"""
