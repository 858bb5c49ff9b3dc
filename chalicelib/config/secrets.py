"""Secrets and operator settings from SSM Parameter Store, copied into the environment at cold start."""

from __future__ import annotations

import os
from collections.abc import MutableMapping

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
        "SHOPIFY_SHOP_DOMAIN",
        "CHAT_ALLOWED_ORIGINS",
        "AGENT_BACKEND",
        "OPENAI_BASE_URL",
        "OPENAI_MODEL",
        "FOLLOWUP_DELAY_SECONDS",
        "HUMAN_SLA_SECONDS",
    }
)
PARAMETER_SETTINGS = SECRET_SETTINGS | OPERATOR_SETTINGS


def setting_name(parameter: str) -> str | None:
    """The setting a parameter name stands for (`twilio-auth-token` -> `TWILIO_AUTH_TOKEN`), or None."""
    name = parameter.strip("/").rsplit("/", 1)[-1].upper().replace("-", "_")
    return name if name in PARAMETER_SETTINGS else None


def load_secrets_into_environ(
    path: str,
    environ: MutableMapping[str, str] | None = None,
    *,
    region: str = "us-east-1",
    endpoint_url: str | None = None,
) -> None:
    """Copy the known settings under an SSM path into the environment; a value already set wins.

    Read once per cold start (the settings are): GetParametersByPath, a signed request per ten
    parameters, with the credentials of the process's one boto3 session and no SSM client
    (chalicelib/runtime/parameters.py says why).
    """
    if not path:
        return
    from chalicelib.runtime.parameters import parameters_by_path
    from chalicelib.runtime.session import boto3_session

    target = os.environ if environ is None else environ
    for parameter, value in parameters_by_path(boto3_session(), path, region, endpoint_url).items():
        name = setting_name(parameter)
        if name is not None:
            target.setdefault(name, value)
