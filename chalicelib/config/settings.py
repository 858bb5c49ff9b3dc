"""Settings: the only reader of the environment, read once per cold start.

Read without pydantic (it is a tenth of a second of every cold start, and the webhook needs no
other model): a value is taken as is only when pydantic's lax mode would take it unchanged (a
string for a string, digits for a number, a value its check accepts). Anything else goes to the
pydantic model built from the same fields (`chalicelib/config/settings_model.py`), which refuses
it with its own errors or converts it as it always did.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from chalicelib.config import settings_check as check
from chalicelib.runtime.patterns import lazy


def _split(value: object) -> list[str]:
    """A comma list from the environment as a list of non-empty strings."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return list(value) if isinstance(value, list | tuple) else []


def _public_url(value: str) -> str:
    return check.check_url(value).rstrip("/")


@dataclass(frozen=True)
class Setting:
    """One setting: its type, default, environment alias, range and check."""

    kind: str  # "str", "str?", "int", "float" or "list" (a comma list)
    default: Any = ""
    alias: str | None = None
    bounds: tuple[tuple[str, float], ...] = ()  # ("gt", 0), ("le", 20), ...
    check: Callable[[Any], Any] | None = None


S, OPTIONAL = Setting("str"), Setting("str?", None)
FIELDS: dict[str, Setting] = {
    "aws_endpoint_url": OPTIONAL,
    "aws_region": Setting("str", "us-east-1", alias="AWS_REGION"),
    "table_name": Setting("str", "tandem"),
    "inbound_queue_url": S,
    "helpdesk_queue_url": S,
    "followup_schedule_group": Setting("str", "tandem-followups"),
    "followup_target_arn": S,
    "scheduler_role_arn": S,
    "log_level": Setting("str", "INFO", check=check.check_log_level),
    "public_base_url": Setting("str", "http://127.0.0.1:8000", check=_public_url),
    "twilio_account_sid": S,
    "twilio_auth_token": S,
    "twilio_sms_from": Setting("str", check=check.check_sender),
    "twilio_whatsapp_from": Setting("str", check=check.check_whatsapp_sender),
    "twilio_api_base_url": Setting("str", "https://api.twilio.com"),
    "email_from": Setting("str", check=check.check_email),
    "inbound_email_topic_arn": S,
    "inbound_email_queue_url": S,
    "inbound_email_bucket": S,
    "chat_session_secret": S,
    "chat_identity_secret": S,
    "chat_allowed_origins": Setting("list", None),
    "chat_session_ttl_seconds": Setting("int", 86400),
    "shopify_webhook_secret": S,
    "shopify_shop_domain": S,
    "store_api_keys": Setting("list", None),
    "helpdesk_api_keys": Setting("list", None),
    "agent_backend": Setting("str", check=check.check_backend),
    "openai_api_key": S,
    "openai_base_url": OPTIONAL,
    "openai_model": Setting("str", "gpt-4o-mini"),
    "openai_timeout_seconds": Setting("float", 20, bounds=(("gt", 0), ("le", 20))),
    "openai_max_retries": Setting("int", 1, bounds=(("ge", 0), ("le", 3))),
    "openai_turn_token_budget": Setting("int", 8000, bounds=(("ge", 10),)),
    "followup_delay_seconds": Setting("int", 86400),
    "human_sla_seconds": Setting("int", 86400),
    "store_config": OPTIONAL,
    "secrets_parameter_path": S,
    "followup_dlq_arn": S,
    "ai_idle_resolve_seconds": Setting("int", 86400),
    # The inbound queue's maxReceiveCount (infra and the local stack: 5): its last try escalates.
    "inbound_max_receives": Setting("int", 5, bounds=(("ge", 1),)),
}
_INT = lazy(r"-?[0-9]{1,18}")
_FLOAT = lazy(r"-?[0-9]{1,15}(\.[0-9]{1,15})?")
_ABOVE = {"gt": float.__gt__, "ge": float.__ge__, "lt": float.__lt__, "le": float.__le__}


class _Described(type):
    """Gives `Settings.model_fields` (the docs generator reads the fields as pydantic's)."""

    @property
    def model_fields(cls) -> dict[str, Any]:
        from chalicelib.config.settings_model import SettingsModel

        return dict(SettingsModel.model_fields)


class Settings(metaclass=_Described):
    """Every setting of the contract (DESIGN.md), by its environment name.

    Each field from the arguments, else the environment (names in any case), else its default.
    A value refused raises pydantic's ValidationError (`get_settings` turns it into lines).
    """

    aws_endpoint_url: str | None
    aws_region: str
    table_name: str
    inbound_queue_url: str
    helpdesk_queue_url: str
    followup_schedule_group: str
    followup_target_arn: str
    scheduler_role_arn: str
    log_level: str
    public_base_url: str
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_sms_from: str
    twilio_whatsapp_from: str
    twilio_api_base_url: str
    email_from: str
    inbound_email_topic_arn: str
    inbound_email_queue_url: str
    inbound_email_bucket: str
    chat_session_secret: str
    chat_identity_secret: str
    chat_allowed_origins: list[str]
    chat_session_ttl_seconds: int
    shopify_webhook_secret: str
    shopify_shop_domain: str
    store_api_keys: list[str]
    helpdesk_api_keys: list[str]
    agent_backend: str
    openai_api_key: str
    openai_base_url: str | None
    openai_model: str
    openai_timeout_seconds: float
    openai_max_retries: int
    openai_turn_token_budget: int
    followup_delay_seconds: int
    human_sla_seconds: int
    store_config: str | None
    secrets_parameter_path: str
    followup_dlq_arn: str
    ai_idle_resolve_seconds: int
    inbound_max_receives: int

    def __init__(self, **given: Any) -> None:
        found = gathered(given)
        values = plain_values(found)
        if values is None:  # not plainly valid: pydantic refuses it or converts it
            from chalicelib.config.settings_model import validated

            values = validated(found)
        self.__dict__.update(values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and vars(self) == vars(other)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={check.shown(k, v)}" for k, v in vars(self).items())
        return f"Settings({shown})"

    @property
    def backend(self) -> str:
        """The agent backend: explicit, else `openai` when a key is set, else `rules`."""
        return self.agent_backend or ("openai" if self.openai_api_key else "rules")


def gathered(given: dict[str, Any]) -> dict[str, Any]:
    """The given values by field name: the environment's (names in any case), then the arguments
    (a field's name or alias, any case); unknown names kept (ignored later)."""
    names = {(s.alias or name).lower(): name for name, s in FIELDS.items()}
    environ = {key.lower(): value for key, value in os.environ.items()}
    found = {name: environ[key] for key, name in names.items() if key in environ}
    names |= {name.lower(): name for name in FIELDS}
    return found | {names.get(key.lower(), key): value for key, value in given.items()}


def plain_values(found: dict[str, Any]) -> dict[str, Any] | None:
    """Every field's value when each is plainly valid (as pydantic would take it); else None."""
    values: dict[str, Any] = {}
    for name, setting in FIELDS.items():
        value = found.get(name, setting.default)
        value = _plain(setting, [] if value is None and setting.kind == "list" else value)
        if value is _REFUSED:
            return None
        values[name] = value
    return values


_REFUSED = object()


def _plain(setting: Setting, value: Any) -> Any:
    """The value as its field takes it, or _REFUSED when pydantic must judge it."""
    kind = setting.kind
    if kind == "list":
        value = _split(value)
        ok = all(type(item) is str for item in value)
    elif kind == "int" and type(value) is str and _INT.fullmatch(value):
        value, ok = int(value), True
    elif kind == "float" and type(value) is str and _FLOAT.fullmatch(value):
        value, ok = float(value), True
    elif kind == "float" and type(value) in (int, float):
        value, ok = float(value), value == value  # NaN to pydantic
    else:
        wanted = {"str": (str,), "str?": (str, type(None)), "int": (int,), "float": ()}[kind]
        ok = type(value) in wanted
    within = ok and all(_ABOVE[k](float(value), float(limit)) for k, limit in setting.bounds)
    if not within:
        return _REFUSED
    try:
        return setting.check(value) if setting.check else value
    except ValueError:
        return _REFUSED


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once: the environment, then secrets from SSM if set.

    Raises `SettingsError` (one line per unusable setting) rather than starting with bad values.
    """
    settings = refused_as_lines(Settings)
    if settings.secrets_parameter_path:
        from chalicelib.config.secrets import load_secrets_into_environ

        load_secrets_into_environ(
            settings.secrets_parameter_path,
            region=settings.aws_region,
            endpoint_url=settings.aws_endpoint_url,
        )
        settings = refused_as_lines(Settings)
    return check.ensure_consistent(settings)


def refused_as_lines(build: Callable[[], Settings]) -> Settings:
    """`build()`, its ValidationError (a refused value) raised as SettingsError."""
    try:
        return build()
    except ValueError as error:
        from pydantic import ValidationError  # imported already when a value was refused

        if isinstance(error, ValidationError):
            raise check.from_validation(error) from None
        raise
