"""`make run`'s checks before anything starts: ports and settings, one line per problem."""

from __future__ import annotations

import socket
from collections.abc import Mapping

from chalicelib.config.settings_check import SettingsError, checked_settings

PORTS = {"PORT": 8000, "MOTO_PORT": 5000}


def port_setting(environ: Mapping[str, str], name: str) -> int:
    """A port setting as a number, or a SettingsError naming it."""
    raw = environ.get(name, "") or str(PORTS[name])
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise SettingsError([f"{name}={raw!r}: not a TCP port; give a number from 1 to 65535"])
    return int(raw)


def ensure_free(name: str, port: int) -> None:
    """A SettingsError when something already listens on 127.0.0.1:port."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except PermissionError:
            raise SettingsError(
                [f"{name}={port}: not allowed to listen there; use a port above 1023"]
            ) from None
        except OSError:
            raise SettingsError(
                [
                    f"{name}={port}: the port is already in use (another stack?); stop what "
                    f"listens there or start with another {name}, e.g. {name}={port + 100}"
                ]
            ) from None


def preflight(environ: Mapping[str, str], stack_env: Mapping[str, str]) -> tuple[int, int]:
    """The API and moto ports, once every setting and port is known good; else SettingsError."""
    lines: list[str] = []
    ports: dict[str, int] = {}
    for name in PORTS:
        try:
            ports[name] = port_setting(environ, name)
            ensure_free(name, ports[name])
        except SettingsError as error:
            lines += error.lines
    try:
        checked_settings(dict(stack_env))
    except SettingsError as error:
        lines += error.lines
    if lines:
        raise SettingsError(lines)
    return ports["PORT"], ports["MOTO_PORT"]
