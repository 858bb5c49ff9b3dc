"""Keywords, the WhatsApp 24-hour window and delivery statuses that never move backwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.channels.twilio.channel import (
    Keyword,
    WhatsAppSendMode,
    classify_keyword,
    parse_status_callback,
    should_apply_status,
    status_rank,
    whatsapp_send_mode,
)
from chalicelib.domain.errors import BadRequestError
from tests.channels.twilio.events import load_form

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "word",
    [
        "STOP",
        "stop",
        " Stop. ",
        "STOPALL",
        "unsubscribe",
        "Cancel!",
        "END",
        "quit",
        "REVOKE",
        "optout",
    ],
)
def test_opt_out_keywords(word: str) -> None:
    assert classify_keyword(word) is Keyword.OPT_OUT


@pytest.mark.parametrize("word", ["START", "unstop", "Yes!", "\nyes\n"])
def test_opt_in_keywords(word: str) -> None:
    assert classify_keyword(word) is Keyword.OPT_IN


@pytest.mark.parametrize("word", ["HELP", "help?", "Info"])
def test_help_keywords(word: str) -> None:
    assert classify_keyword(word) is Keyword.HELP


@pytest.mark.parametrize(
    "text",
    [
        "",
        "stop sending me this",
        "Please stop",
        "STOPPED",
        "STÖP",
        "where is my order",
        "yes please",
    ],
)
def test_sentences_and_other_words_are_not_keywords(text: str) -> None:
    assert classify_keyword(text) is None


@given(st.text(max_size=50))
def test_keyword_classification_never_raises(text: str) -> None:
    assert classify_keyword(text) in {None, *Keyword}


def test_whatsapp_within_24_hours_is_free_form() -> None:
    assert whatsapp_send_mode(NOW - timedelta(hours=23), NOW) is WhatsAppSendMode.FREE_FORM


def test_whatsapp_after_24_hours_needs_a_template() -> None:
    assert (
        whatsapp_send_mode(NOW - timedelta(hours=24, seconds=1), NOW) is WhatsAppSendMode.TEMPLATE
    )


def test_whatsapp_at_the_window_edge_already_uses_a_template() -> None:
    last = NOW - timedelta(hours=23, minutes=59)
    assert whatsapp_send_mode(last, NOW) is WhatsAppSendMode.TEMPLATE


def test_whatsapp_customer_who_never_wrote_needs_a_template() -> None:
    assert whatsapp_send_mode(None, NOW) is WhatsAppSendMode.TEMPLATE


def test_naive_times_are_taken_as_utc() -> None:
    last = (NOW - timedelta(hours=1)).replace(tzinfo=None)
    assert whatsapp_send_mode(last, NOW) is WhatsAppSendMode.FREE_FORM


def test_delivered_status_callback_is_parsed() -> None:
    update = parse_status_callback(load_form("status_delivered"))
    assert (update.message_sid, update.status, update.error_code) == (
        "SMa1b2c3d4e5f60718293a4b5c6d7e8f90",
        "delivered",
        None,
    )


def test_undelivered_status_callback_keeps_the_error_code() -> None:
    update = parse_status_callback(load_form("status_undelivered"))
    assert (update.status, update.error_code) == ("undelivered", "30003")


def test_whatsapp_read_status_callback_is_parsed() -> None:
    update = parse_status_callback(load_form("status_whatsapp_read"))
    assert (update.status, update.recipient) == ("read", "whatsapp:+14155550123")


@pytest.mark.parametrize(("field", "value"), [("MessageSid", "nope"), ("MessageStatus", "")])
def test_bad_status_callback_names_the_field(field: str, value: str) -> None:
    form = load_form("status_delivered") | {field: value, "SmsSid": "", "SmsStatus": ""}
    with pytest.raises(BadRequestError) as raised:
        parse_status_callback(form)
    assert raised.value.field == field


def test_statuses_move_forward_only() -> None:
    order = ["pending", "queued", "sending", "sent", "delivered", "read"]
    assert [status_rank(s) for s in order] == sorted(status_rank(s) for s in order)
    assert should_apply_status("sent", "delivered")
    assert not should_apply_status("delivered", "sent")
    assert not should_apply_status("read", "delivered")
    assert not should_apply_status("delivered", "delivered")


@pytest.mark.parametrize("final", ["failed", "undelivered"])
def test_failures_are_terminal(final: str) -> None:
    assert should_apply_status("sent", final)
    assert not any(should_apply_status(final, s) for s in ["queued", "sent", "delivered", "read"])


def test_unknown_status_is_never_applied() -> None:
    assert not should_apply_status("queued", "partially_weird")
    assert should_apply_status(None, "queued")
