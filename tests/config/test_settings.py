"""Settings read without pydantic take a value only as pydantic takes it; the rest goes to pydantic."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.config.settings import FIELDS, Settings, gathered, plain_values
from chalicelib.config.settings_model import SettingsModel, validated

NUMBERS = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True).map(str),
    st.sampled_from(["007", " 5", "+5", "1_000", "1.0", "1e3", "", "20", "20.5", "0", "-0"]),
)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True),
    NUMBERS,
    st.text(max_size=12),
    st.sampled_from(["INFO", "debug", "rules", "OpenAI", "+14155550123", "https://x.example/"]),
    st.lists(st.one_of(st.text(max_size=5), st.integers()), max_size=3),
)


def outcome(build: Any) -> tuple[str, Any]:
    try:
        return "ok", build()
    except ValueError as error:
        return "refused", type(error).__name__


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(FIELDS)), VALUES, max_size=4))
def test_a_value_taken_plainly_is_the_value_pydantic_gives(given_values: dict[str, Any]) -> None:
    found = gathered(given_values)
    plain = plain_values(found)
    judged = outcome(lambda: validated(found))
    if plain is not None:
        assert judged == ("ok", plain)
        assert [type(v) for v in plain.values()] == [type(v) for v in judged[1].values()]
    assert outcome(lambda: vars(Settings(**given_values))) == judged


def test_the_defaults_are_taken_plainly_as_pydantic_gives_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, setting in FIELDS.items():
        monkeypatch.delenv((setting.alias or name).upper(), raising=False)
    assert plain_values(gathered({})) == validated(gathered({}))


def test_the_model_describes_every_field_with_its_alias_and_default() -> None:
    fields = SettingsModel.model_fields
    assert list(fields) == list(FIELDS) and Settings.model_fields.keys() == fields.keys()
    assert fields["aws_region"].alias == "AWS_REGION"
    assert fields["openai_timeout_seconds"].default == 20
    assert fields["chat_allowed_origins"].default_factory is list


def test_reading_good_settings_imports_no_pydantic() -> None:
    code = (
        "import sys\nfrom chalicelib.config.settings import get_settings\n"
        "get_settings()\nassert 'pydantic' not in sys.modules, 'pydantic imported'"
    )
    from tests.harness import ROOT, clean_environment

    env = {**clean_environment(), "TWILIO_SMS_FROM": "+15005550006", "LOG_LEVEL": "debug"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
