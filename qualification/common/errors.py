"""Every error the product reports: one base, a stable code for programs, a message for people.

:class:`DieetveilingError` is the base of all of them (the exceptions of the pure rules, the journal, access, the
web protocol and the organiser's steps included). Its ``code`` is stable (programs and the docs refer to it), the
message says what was wrong, where, and what to do, and ``exit_status`` is what the CLI exits with when the error
ends a command (docs/cli.md, "Exit status"):

====  ====================  =====================================================================
 1    verification_failed   a journal, receipt or contract does not verify
 2    bad_input             a file, option or argument is wrong (also click's own usage errors)
 3    refused               the rules or the order of the steps refuse what was asked
 4    not_found             no such database, tender, auction, supplier or contract
 5    server_unreachable    no auction server answers where one was expected
====  ====================  =====================================================================
"""

from __future__ import annotations

from typing import ClassVar

VERIFICATION_FAILED = 1
USAGE = 2
REFUSED = 3
NOT_FOUND = 4
SERVER_UNREACHABLE = 5
INTERNAL = 70  # a bug: the CLI prints the traceback and asks for a report (EX_SOFTWARE of sysexits.h)


class DieetveilingError(Exception):
    """The base of the product's errors. Subclasses set ``code`` and ``exit_status``; an instance may carry a more
    precise ``code`` (e.g. ``invitation_expired``) of its own."""

    code: str = "error"
    exit_status: ClassVar[int] = REFUSED

    def __init__(self, message: str = "", *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self)


class InputError(DieetveilingError):
    """A file or argument the user supplied is wrong.

    ``where`` names the place (file, record, field, or line) so the message can point at it.
    """

    code = "bad_input"
    exit_status = USAGE

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


class NotFound(DieetveilingError):
    """Something named by the user does not exist (tender, auction, supplier)."""

    code = "not_found"
    exit_status = NOT_FOUND


class StepOutOfOrder(DieetveilingError):
    """An organiser step was asked for before the step it depends on, or after the data was frozen."""

    code = "step_out_of_order"
    exit_status = REFUSED


class Refused(DieetveilingError):
    """The auction's rules refused a command (the core's rejection, with its own code)."""

    code = "refused"
    exit_status = REFUSED


class ServerUnreachable(DieetveilingError):
    """No auction server answers at the address the database records (or the one given)."""

    code = "server_unreachable"
    exit_status = SERVER_UNREACHABLE


class VerificationFailed(DieetveilingError):
    """A journal, a receipt or a stored contract does not verify."""

    code = "verification_failed"
    exit_status = VERIFICATION_FAILED
