"""Settings: the only reader of the environment, read once per cold start."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from chalicelib.config import settings_check as check

# A comma list (CHAT_ALLOWED_ORIGINS=a,b): the environment's text, split by the validator below.
CommaList = list[str]


def _split(value: object) -> list[str]:
    """A comma list from the environment as a list of non-empty strings."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return list(value) if isinstance(value, list | tuple) else []


class Settings(BaseModel):
    """Every setting of the contract (DESIGN.md), by its environment name.

    A plain pydantic model that reads the environment itself, as pydantic-settings did with
    `case_sensitive=False` (names in any case; arguments before the environment before defaults):
    pydantic-settings brings asyncio, dotenv and its CLI along, tens of ms at every cold start.
    """

    model_config = ConfigDict(extra="ignore", validate_default=True, populate_by_name=True)

    aws_endpoint_url: str | None = None
    aws_region: str = Field(default="us-east-1", alias="AWS_REGION")
    table_name: str = "tandem"
    inbound_queue_url: str = ""
    helpdesk_queue_url: str = ""
    followup_schedule_group: str = "tandem-followups"
    followup_target_arn: str = ""
    scheduler_role_arn: str = ""
    log_level: str = "INFO"
    public_base_url: str = "http://127.0.0.1:8000"
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_sms_from: str = ""
    twilio_whatsapp_from: str = ""
    twilio_api_base_url: str = "https://api.twilio.com"
    email_from: str = ""
    inbound_email_topic_arn: str = ""
    inbound_email_queue_url: str = ""
    inbound_email_bucket: str = ""
    chat_session_secret: str = ""
    chat_identity_secret: str = ""
    chat_allowed_origins: CommaList = Field(default_factory=list)
    chat_session_ttl_seconds: int = 86400
    shopify_webhook_secret: str = ""
    shopify_shop_domain: str = ""
    store_api_keys: CommaList = Field(default_factory=list)
    helpdesk_api_keys: CommaList = Field(default_factory=list)
    agent_backend: str = ""
    openai_api_key: str = ""
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    openai_timeout_seconds: float = Field(default=20, gt=0, le=20)
    openai_max_retries: int = Field(default=1, ge=0, le=3)
    openai_turn_token_budget: int = Field(default=8000, ge=10)
    followup_delay_seconds: int = 86400
    human_sla_seconds: int = 86400
    store_config: str | None = None
    secrets_parameter_path: str = ""
    followup_dlq_arn: str = ""
    ai_idle_resolve_seconds: int = 86400
    # The inbound queue's maxReceiveCount (infra and the local stack: 5): its last try escalates.
    inbound_max_receives: int = Field(default=5, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _environment(cls, given: Any) -> Any:
        """Each field from the arguments, else from the environment (names in any case)."""
        if not isinstance(given, dict):
            return given
        names = {(f.alias or name).lower(): name for name, f in cls.model_fields.items()}
        environ = {key.lower(): value for key, value in os.environ.items()}
        found = {name: environ[key] for key, name in names.items() if key in environ}
        names |= {name.lower(): name for name in cls.model_fields}
        return found | {names.get(key.lower(), key): value for key, value in given.items()}

    @field_validator("chat_allowed_origins", "store_api_keys", "helpdesk_api_keys", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> list[str]:
        return _split(value)

    @field_validator("public_base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return check.check_url(value).rstrip("/")

    # Each value checked once, at start: the message names the problem and the fix (issue 21).
    _backend = field_validator("agent_backend")(check.check_backend)
    _sms_from = field_validator("twilio_sms_from")(check.check_sender)
    _whatsapp_from = field_validator("twilio_whatsapp_from")(check.check_whatsapp_sender)
    _email_from = field_validator("email_from")(check.check_email)
    _log_level = field_validator("log_level")(check.check_log_level)

    @property
    def backend(self) -> str:
        """The agent backend: explicit, else `openai` when a key is set, else `rules`."""
        return self.agent_backend or ("openai" if self.openai_api_key else "rules")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once: the environment, then secrets from SSM if set.

    Raises `SettingsError` (one line per unusable setting) rather than starting with bad values.
    """
    try:
        settings = Settings()
        if settings.secrets_parameter_path:
            from chalicelib.config.secrets import load_secrets_into_environ

            load_secrets_into_environ(
                settings.secrets_parameter_path,
                region=settings.aws_region,
                endpoint_url=settings.aws_endpoint_url,
            )
            settings = Settings()
    except ValidationError as error:
        raise check.from_validation(error) from None
    return check.ensure_consistent(settings)
