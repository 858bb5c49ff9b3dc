"""Bad settings are refused once, at start, with one line naming the setting, the problem and the fix."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.config.settings import Settings, get_settings
from chalicelib.config.settings_check import SettingsError, agent_summary, checked_settings

CASES = {
    "AGENT_BACKEND": ("bogus", "AGENT_BACKEND='bogus': not an agent backend; use rules or openai"),
    "TWILIO_SMS_FROM": (
        "notanumber",
        "TWILIO_SMS_FROM='notanumber': not a phone number; give it in E.164",
    ),
    "TWILIO_WHATSAPP_FROM": (
        "whatsapp:hello",
        "TWILIO_WHATSAPP_FROM='whatsapp:hello': not a WhatsApp sender",
    ),
    "HUMAN_SLA_SECONDS": (
        "abc",
        "HUMAN_SLA_SECONDS='abc': not a whole number; give a number of seconds",
    ),
    "LOG_LEVEL": ("loud", "LOG_LEVEL='loud': not a log level; use one of DEBUG"),
    "EMAIL_FROM": ("support", "EMAIL_FROM='support': not an email address"),
    "PUBLIC_BASE_URL": (
        "example.com",
        "PUBLIC_BASE_URL='example.com': not a URL; give it as https://host",
    ),
}


def problem_lines(**env: str) -> list[str]:
    with pytest.raises(SettingsError) as refused:
        checked_settings(env)
    return refused.value.lines


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_bad_value_gets_one_line_naming_setting_problem_and_fix(name: str) -> None:
    value, expected = CASES[name]
    lines = problem_lines(**{name: value})
    assert len(lines) == 1 and lines[0].startswith(expected), lines


def test_openai_without_a_key_says_the_key_is_missing() -> None:
    lines = problem_lines(AGENT_BACKEND="openai", OPENAI_API_KEY="")
    assert lines == [line for line in lines if "OPENAI_API_KEY is not set" in line] and lines


def test_every_problem_is_reported_at_once() -> None:
    lines = problem_lines(AGENT_BACKEND="bogus", HUMAN_SLA_SECONDS="abc", TWILIO_SMS_FROM="x")
    assert sorted(line.split("=")[0] for line in lines) == [
        "AGENT_BACKEND",
        "HUMAN_SLA_SECONDS",
        "TWILIO_SMS_FROM",
    ]


def test_a_secret_value_is_never_echoed() -> None:
    with pytest.raises(SettingsError) as refused:
        checked_settings({"OPENAI_API_KEY": ["sk-very-secret"], "STORE_API_KEYS": 42})
    text = " ".join(refused.value.lines)
    assert "sk-very-secret" not in text and "42" not in text
    assert text.startswith("OPENAI_API_KEY=(hidden): ")


def test_good_values_pass_and_are_normalized() -> None:
    settings = checked_settings(
        {"AGENT_BACKEND": "OpenAI", "OPENAI_API_KEY": "k", "TWILIO_WHATSAPP_FROM": "+14155238886"}
    )
    assert settings.backend == "openai"
    assert settings.twilio_whatsapp_from == "whatsapp:+14155238886"
    assert checked_settings({"TWILIO_SMS_FROM": "MG" + "a" * 32}).twilio_sms_from.startswith("MG")


def test_the_banner_line_names_backend_and_model() -> None:
    assert agent_summary(Settings(agent_backend="rules")) == "rules (offline, no LLM)"
    chosen = Settings(agent_backend="openai", openai_api_key="k", openai_model="gpt-x")
    assert agent_summary(chosen).startswith("openai (model gpt-x at ")


def test_lambda_cold_start_refuses_bad_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENT_BACKEND", "bogus")
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError, match="AGENT_BACKEND='bogus'"):
            get_settings()
    finally:
        get_settings.cache_clear()


@given(st.text(max_size=20))
def test_any_sender_text_is_accepted_or_refused_with_a_line(value: str) -> None:
    try:
        checked_settings({"TWILIO_SMS_FROM": value})
    except SettingsError as error:
        assert error.lines[0].startswith("TWILIO_SMS_FROM=")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"OPENAI_TIMEOUT_SECONDS": "60"},
            "OPENAI_TIMEOUT_SECONDS='60': out of range (at most 20 allowed); give a value at most 20",
        ),
        (
            {"OPENAI_MAX_RETRIES": "-1"},
            "OPENAI_MAX_RETRIES='-1': out of range (at least 0 allowed); give a value at least 0",
        ),
    ],
)
def test_a_value_out_of_range_names_the_allowed_end(env: dict[str, str], expected: str) -> None:
    assert problem_lines(**env) == [expected]


def test_a_lambda_init_stops_on_a_bad_value_with_its_line() -> None:
    import subprocess
    import sys

    from tests.harness import ROOT, clean_environment

    env = {**clean_environment(), "AGENT_BACKEND": "bogus", "HUMAN_SLA_SECONDS": "abc"}
    loaded = subprocess.run(
        [sys.executable, "-c", "import app"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert loaded.returncode == 1
    assert "AGENT_BACKEND='bogus': not an agent backend" in loaded.stderr
    assert "HUMAN_SLA_SECONDS='abc': not a whole number" in loaded.stderr
