"""`make run` refuses bad settings and busy ports before starting anything, one line each."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from tests.conftest import free_port
from tests.harness import ROOT, clean_environment


def start_stack(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {**clean_environment(), **env}
    command = [sys.executable, "-m", "dev.stack"]
    return subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PORT": "abc"}, "tandem: PORT='abc': not a TCP port; give a number from 1 to 65535"),
        ({"MOTO_PORT": "70000"}, "tandem: MOTO_PORT='70000': not a TCP port"),
        ({"AGENT_BACKEND": "bogus"}, "tandem: AGENT_BACKEND='bogus': not an agent backend"),
        ({"HUMAN_SLA_SECONDS": "abc"}, "tandem: HUMAN_SLA_SECONDS='abc': not a whole number"),
        ({"TWILIO_SMS_FROM": "notanumber"}, "tandem: TWILIO_SMS_FROM='notanumber': not a phone"),
        ({"AGENT_BACKEND": "openai"}, "tandem: AGENT_BACKEND='openai': OPENAI_API_KEY is not set"),
    ],
)
def test_a_bad_setting_stops_make_run_with_one_line(env: dict[str, str], expected: str) -> None:
    env = {"PORT": str(free_port()), "MOTO_PORT": str(free_port()), **env}
    started = start_stack(**env)
    assert started.returncode == 2
    assert expected in started.stderr and "Traceback" not in started.stderr, started.stderr


def test_a_port_in_use_is_named_with_a_fix() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = start_stack(PORT=str(port), MOTO_PORT=str(free_port()))
    assert started.returncode == 2
    assert f"tandem: PORT={port}: the port is already in use" in started.stderr, started.stderr
    assert "Traceback" not in started.stderr
