"""Errors that reach a user: each says what was wrong and where."""

from __future__ import annotations


class InputError(Exception):
    """A file or argument the user supplied is wrong.

    ``where`` names the place (file, record, field, or line) so the message can point at it.
    """

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


class NotFound(Exception):
    """Something named by the user does not exist (tender, auction, supplier)."""


class StepOutOfOrder(Exception):
    """An organiser step was asked for before the step it depends on, or after the data was frozen."""
