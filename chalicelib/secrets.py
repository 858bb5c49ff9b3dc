"""Secrets and operator settings from SSM Parameter Store, copied into the environment at cold start."""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from typing import Any

# Read from SSM only: never a plain environment variable of the deployed template.
SECRET_SETTINGS = frozenset(
    {
        "TWILIO_AUTH_TOKEN",
        "OPENAI_API_KEY",
        "SHOPIFY_WEBHOOK_SECRET",
        "CHAT_SESSION_SECRET",
        "CHAT_IDENTITY_SECRET",
        "STORE_API_KEYS",
        "HELPDESK_API_KEYS",
    }
)
# Not secret, but set per installation after deploy (no redeploy to change a sender number).
OPERATOR_SETTINGS = frozenset(
    {
        "PUBLIC_BASE_URL",
        "TWILIO_ACCOUNT_SID",
        "TWILIO_SMS_FROM",
        "TWILIO_WHATSAPP_FROM",
        "EMAIL_FROM",
        "CHAT_ALLOWED_ORIGINS",
        "AGENT_BACKEND",
        "OPENAI_BASE_URL",
        "OPENAI_MODEL",
        "FOLLOWUP_DELAY_SECONDS",
        "HUMAN_SLA_SECONDS",
    }
)
PARAMETER_SETTINGS = SECRET_SETTINGS | OPERATOR_SETTINGS
PAGE = 10  # GetParametersByPath's most per page


def setting_name(parameter: str) -> str | None:
    """The setting a parameter name stands for (`twilio-auth-token` -> `TWILIO_AUTH_TOKEN`), or None."""
    name = parameter.strip("/").rsplit("/", 1)[-1].upper().replace("-", "_")
    return name if name in PARAMETER_SETTINGS else None


def load_secrets_into_environ(
    path: str,
    environ: MutableMapping[str, str] | None = None,
    *,
    region: str | None = None,
    endpoint_url: str | None = None,
) -> None:
    """Copy the known settings under an SSM path into the environment; a value already set wins.

    Read once per cold start (the settings are), through the process's one boto3 session: the
    clients made next reuse its loader, so the secrets cost their SSM requests (a page per ten
    parameters) and the SSM client, not a second session.
    """
    if not path:
        return
    from chalicelib.store.session import client

    target = os.environ if environ is None else environ
    ssm = client("ssm", region, endpoint_url)
    for parameter, value in _parameters(ssm, path).items():
        name = setting_name(parameter)
        if name is not None:
            target.setdefault(name, value)


def _parameters(ssm: Any, path: str) -> dict[str, str]:
    """Every parameter under `path` (and below), decrypted, by name."""
    found: dict[str, str] = {}
    request: dict[str, Any] = {"Path": path, "Recursive": True, "WithDecryption": True}
    while True:
        page = ssm.get_parameters_by_path(**request, MaxResults=PAGE)
        found |= {p["Name"]: p["Value"] for p in page.get("Parameters", [])}
        if not page.get("NextToken"):
            return found
        request["NextToken"] = page["NextToken"]
