"""`make deploy` passes the operator's context values to the CDK CLI (it prints, never deploys, here)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.infra.conftest import REPO_ROOT


def deploy_command(*assignments: str) -> str:
    """The CDK command `make deploy` would run (make -n: printed, not run)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    shown = subprocess.run(
        ["make", "--no-print-directory", "-n", "deploy", *assignments],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return " ".join(shown[shown.index("npx aws-cdk@") :].replace("\\\n", " ").split())


def test_make_deploy_passes_recipients_alarm_address_and_domain() -> None:
    command = deploy_command(
        "STAGE=prod",
        "EMAIL_RECIPIENTS=support.example.com,example.org",
        "ALARM_EMAIL=ops@example.com",
        "CUSTOM_DOMAIN_URL=https://support-api.example.com",
    )
    assert command == (
        "npx aws-cdk@2.1148.1 deploy -c stage=prod -c email_recipients=support.example.com,example.org"
        " -c alarm_email=ops@example.com -c public_base_url=https://support-api.example.com"
    )


def test_make_deploy_without_values_passes_only_the_stage() -> None:
    assert deploy_command() == "npx aws-cdk@2.1148.1 deploy -c stage=dev"
