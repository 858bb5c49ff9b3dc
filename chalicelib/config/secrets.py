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
CACHE_SECONDS = 300


def setting_name(parameter: str) -> str | None:
    """The setting a parameter name stands for (`twilio-auth-token` -> `TWILIO_AUTH_TOKEN`), or None."""
    name = parameter.strip("/").rsplit("/", 1)[-1].upper().replace("-", "_")
    return name if name in PARAMETER_SETTINGS else None


def load_secrets_into_environ(path: str, environ: MutableMapping[str, str] | None = None) -> None:
    """Copy the known settings under an SSM path into the environment; a value already set wins."""
    if not path:
        return
    from aws_lambda_powertools.utilities import parameters

    target = os.environ if environ is None else environ
    values = parameters.get_parameters(path, decrypt=True, max_age=CACHE_SECONDS)
    for parameter, value in values.items():
        name = setting_name(parameter)
        if name is not None and isinstance(value, str):
            target.setdefault(name, value)
