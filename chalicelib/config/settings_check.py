"""Settings checked once at start: each problem is one line naming the setting, what is wrong
with its value and how to fix it (`make run`, a Lambda's first event and the CLI alike)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from chalicelib.runtime.patterns import lazy

if TYPE_CHECKING:
    from pydantic import ValidationError

    from chalicelib.config.settings import Settings

BACKENDS = ("rules", "openai")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
E164 = lazy(r"^\+[1-9]\d{6,14}$")
MESSAGING_SERVICE = lazy(r"^MG[0-9a-fA-F]{32}$")
EMAIL = lazy(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Values never echoed back: a line names the setting and the problem, not the secret.
SECRET_ENDINGS = ("_secret", "_token", "_key", "_keys", "password")
# What is wrong and how to fix it, by the kind of problem pydantic found.
FIXES = {
    "int_parsing": ("not a whole number", "give a number of {unit} (e.g. {example})"),
    "int_from_float": ("not a whole number", "give a number of {unit} (e.g. {example})"),
    "float_parsing": ("not a number", "give a number of {unit} (e.g. {example})"),
}


REFERENCE = "see docs/reference/settings.md"
# Range problems by pydantic's type: the word for the allowed end and its key in the error's ctx.
BOUNDS = {
    "greater_than": ("above", "gt"),
    "greater_than_equal": ("at least", "ge"),
    "less_than": ("below", "lt"),
    "less_than_equal": ("at most", "le"),
}


class SettingsError(ValueError):
    """One or more settings are unusable; `lines` holds one line per problem."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def shown(name: str, value: object) -> str:
    """The value as a line may show it: secrets are never echoed."""
    if name.lower().endswith(SECRET_ENDINGS):
        return "(hidden)"
    return repr(value)


def line(name: str, value: object, problem: str, fix: str) -> str:
    """One problem: `SETTING='value': problem; fix`."""
    return f"{name.upper()}={shown(name, value)}: {problem}; {fix}"


def from_validation(error: ValidationError) -> SettingsError:
    """Pydantic's refusal as one line per setting."""
    lines = []
    for problem in error.errors():
        name = str(problem["loc"][0]) if problem["loc"] else "settings"
        value = problem.get("input")
        if problem["type"] == "value_error":  # our own checks: the message has problem; fix
            lines.append(f"{name.upper()}={shown(name, value)}: {problem['msg'][13:]}")
            continue
        what, fix = FIXES.get(problem["type"], (_lowered(problem["msg"]), REFERENCE))
        if problem["type"] in BOUNDS:
            what, fix = _bound(problem["type"], problem.get("ctx") or {})
        unit, example = ("seconds", 86400) if name.endswith("seconds") else ("units", 10)
        lines.append(line(name, value, what, fix.format(unit=unit, example=example)))
    return SettingsError(lines)


def _bound(kind: str, ctx: dict[str, Any]) -> tuple[str, str]:
    """A range problem: what is wrong and the allowed end (`at most 20`)."""
    word, key = BOUNDS[kind]
    limit = f"{ctx[key]:g}" if isinstance(ctx.get(key), int | float) else "?"
    return f"out of range ({word} {limit} allowed)", f"give a value {word} {limit}"


def _lowered(message: str) -> str:
    return message[:1].lower() + message[1:]


def check_backend(value: str) -> str:
    """AGENT_BACKEND: empty (automatic), `rules` or `openai`."""
    cleaned = value.strip().lower()
    if cleaned and cleaned not in BACKENDS:
        raise ValueError("not an agent backend; use rules or openai, or leave it unset")
    return cleaned


def check_sender(value: str) -> str:
    """TWILIO_SMS_FROM: an E.164 number (+15005550006) or a Messaging Service SID (MG...)."""
    if value and not (E164.match(value) or MESSAGING_SERVICE.match(value)):
        raise ValueError(
            "not a phone number; give it in E.164 form (+15005550006) or a Messaging Service SID"
        )
    return value


def check_whatsapp_sender(value: str) -> str:
    """TWILIO_WHATSAPP_FROM: `whatsapp:` then an E.164 number."""
    if value and not E164.match(value.removeprefix("whatsapp:")):
        raise ValueError("not a WhatsApp sender; give it as whatsapp:+14155238886")
    return value if not value or value.startswith("whatsapp:") else f"whatsapp:{value}"


def check_email(value: str) -> str:
    """EMAIL_FROM: an address SES can send from."""
    if value and not EMAIL.match(value):
        raise ValueError("not an email address; give it as support@yourstore.example")
    return value


def check_log_level(value: str) -> str:
    """LOG_LEVEL: one of Python's level names."""
    if value.upper() not in LOG_LEVELS:
        raise ValueError(f"not a log level; use one of {', '.join(LOG_LEVELS)}")
    return value.upper()


def check_url(value: str) -> str:
    """PUBLIC_BASE_URL and other base URLs: http(s)://host."""
    if not re.match(r"^https?://[^/\s]+", value):
        raise ValueError("not a URL; give it as https://host (no trailing slash)")
    return value


def consistency(settings: Settings) -> Iterable[str]:
    """Problems between settings, found once every value is known (secrets included)."""
    if settings.agent_backend == "openai" and not settings.openai_api_key:
        yield (
            "AGENT_BACKEND='openai': OPENAI_API_KEY is not set, so every message would be "
            "escalated as ai_unavailable; set OPENAI_API_KEY (or put it under "
            "SECRETS_PARAMETER_PATH), or use AGENT_BACKEND=rules"
        )


def ensure_consistent(settings: Settings) -> Settings:
    """The settings, or a SettingsError naming every problem between them."""
    lines = list(consistency(settings))
    if lines:
        raise SettingsError(lines)
    return settings


def agent_summary(settings: Settings) -> str:
    """Which agent answers: `openai (gpt-4o-mini at https://...)` or `rules (offline)`."""
    if settings.backend != "openai":
        return "rules (offline, no LLM)"
    where = settings.openai_base_url or "https://api.openai.com/v1"
    return f"openai (model {settings.openai_model} at {where})"


def checked_settings(given: dict[str, Any] | None = None) -> Settings:
    """Settings from the environment (and `given`), or a SettingsError with one line a problem."""
    from chalicelib.config.settings import Settings, refused_as_lines

    return ensure_consistent(refused_as_lines(lambda: Settings(**(given or {}))))


def check_at_init() -> None:
    """Each value's own checks when a Lambda's code loads (its init), before any event.

    The checks between settings wait for the first event (`get_settings`): secrets such as
    OPENAI_API_KEY are read from SSM then. Nothing is cached here.
    """
    from chalicelib.config.settings import Settings, refused_as_lines

    refused_as_lines(Settings)
