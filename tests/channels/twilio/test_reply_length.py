"""A reply cut to the store's `max_reply_chars` is what the customer receives: never longer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from chalicelib import bootstrap
from chalicelib.agent.voice import fit_to_channel
from chalicelib.config.store_config import StoreConfig, load_store_config
from chalicelib.domain.messages import Channel
from chalicelib.domain.sms_text import split_sms
from dev.fakes.twilio_api import FakeTwilioApi
from tests.channels.twilio.twilio_client import seed_demo, sms_form, text
from tests.harness import Pipeline, seed_store, start_pipeline

LIMIT = 80


def limited_config(limit: int = LIMIT) -> StoreConfig:
    """The demo store with SMS replies limited to `limit` characters."""
    config = load_store_config()
    voice = config.brand_voice.model_copy(
        update={"max_reply_chars": {**config.brand_voice.max_reply_chars, Channel.SMS: limit}}
    )
    return config.model_copy(update={"brand_voice": voice})


@pytest.fixture
def short_sms(moto_clean: str, twilio_api: FakeTwilioApi) -> Iterator[Pipeline]:
    """The pipeline of a store whose SMS replies are at most 80 characters."""
    twilio_api.reset()
    overrides = {"store_config": limited_config()}
    yield start_pipeline(moto_clean, overrides, TWILIO_API_BASE_URL=twilio_api.base_url)
    bootstrap.reset(None)


def test_sms_reply_cut_to_max_reply_chars_arrives_within_the_limit(
    short_sms: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    seed_demo(short_sms)
    seed_store(short_sms)
    assert text(short_sms, sms_form("What is your returns policy?")).status_code == 200
    short_sms.drain()
    bodies = [sent["params"]["Body"] for sent in twilio_api.messages]
    assert bodies, "no reply was sent"
    assert all(len(body) <= LIMIT for body in bodies), [len(body) for body in bodies]
    assert bodies[0].endswith("...")  # cut, and the cut says so in GSM-7


# Typography that the SMS sender rewrites (some of it longer), among plain words and sentence ends.
WORDS = st.text(alphabet="ab\u2026\u2014\u2019\u201c\u200b\u00e9", min_size=1, max_size=30)
TYPOGRAPHY = st.lists(st.tuples(WORDS, st.sampled_from([" ", ". ", "! ", "\n"]))).map(
    lambda pairs: "".join(word + gap for word, gap in pairs)
)


@given(st.one_of(TYPOGRAPHY, st.text(max_size=400)), st.integers(min_value=20, max_value=320))
@example("Your order ships today and arrives on Friday with UPS tracking 1Z999", 20)
def test_a_fitted_sms_never_grows_past_its_limit_when_sent(body: str, limit: int) -> None:
    fitted = fit_to_channel(limited_config(limit), Channel.SMS, body)
    assert sum(len(part) for part in split_sms(fitted)) <= limit
