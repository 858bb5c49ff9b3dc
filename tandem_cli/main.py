"""`tandem`: chat with the agent, work escalations, re-drive dead letters, check configs.

Exit codes: 0 done; 1 Tandem, AWS or a check said no (the line says what); 2 a bad argument or
setting (nothing was tried).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from tandem_cli.errors import FAILED, OK, USAGE, CliError

Handler = Callable[[argparse.Namespace], int]
EPILOG = (
    "Exit codes: 0 done, 1 refused or failed (the message says why), 2 bad argument or setting."
)


def say(text: str) -> None:
    """A line of output."""
    print(text, flush=True)


def note(text: str) -> None:
    """A progress line on stderr (stdout stays clean for pipes)."""
    print(text, file=sys.stderr, flush=True)


def tick() -> None:
    """One dot of progress while waiting."""
    sys.stderr.write(".")
    sys.stderr.flush()


def parser() -> argparse.ArgumentParser:
    """Every command and its options; `--help` works on each."""
    from tandem_cli import commands

    top = argparse.ArgumentParser(prog="tandem", description=__doc__.split("\n")[0], epilog=EPILOG)
    top.add_argument(
        "--api", help="Tandem's API URL (default: PUBLIC_BASE_URL, locally http://127.0.0.1:8000)"
    )
    top.add_argument("--key", help="a helpdesk API key (default: the first of HELPDESK_API_KEYS)")
    top.add_argument(
        "--aws-endpoint",
        help="AWS endpoint for queues (default: AWS_ENDPOINT_URL, else the local moto at http://127.0.0.1:5000; 'aws' for AWS itself)",
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_all(sub, EPILOG)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns its exit code."""
    args = parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except CliError as error:
        for line in str(error).splitlines():
            print(f"tandem: {line}", file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        return FAILED


def settings_or_exit() -> Any:
    """The checked settings, or a CliError (exit 2) with one line per bad setting."""
    from chalicelib.config.settings_check import SettingsError, checked_settings

    try:
        return checked_settings()
    except SettingsError as error:
        raise CliError(str(error), USAGE) from None


__all__ = ["OK", "main", "note", "say", "settings_or_exit", "tick"]
