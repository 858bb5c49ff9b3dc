"""The CLI's failures and their exit codes."""

from __future__ import annotations

OK = 0
FAILED = 1  # the API, AWS or a check said no (the message says what)
USAGE = 2  # a bad argument or setting: nothing was tried


class CliError(Exception):
    """A failure the CLI reports in one line and exits with `code`."""

    def __init__(self, message: str, code: int = FAILED) -> None:
        super().__init__(message)
        self.code = code
