"""Every email we send carries the store's sign-off once: AI replies, holding replies, human replies."""

from __future__ import annotations

from tests.channels.email.flow import (
    body_text,
    conversation_of,
    customer_mail,
    mail_in,
    sent_mail,
    store,
)
from tests.handoff.support import AGENT, HELPDESK
from tests.harness import Pipeline

__all__ = ["store"]  # the fixture

SIGN_OFF = "— Northwind Threads"  # the demo store's brand_voice.sign_off


def test_ai_reply_mail_is_signed_once(store: Pipeline) -> None:
    mail_in(store, customer_mail("Hi, where is my order?"), "ses-in-1")
    [reply] = sent_mail(store.moto_url)
    text = body_text(reply)
    assert text.count(SIGN_OFF) == 1, text
    assert text.rstrip().endswith(SIGN_OFF)


def test_holding_reply_and_human_reply_mails_are_signed_once(store: Pipeline) -> None:
    mail_in(store, customer_mail("I want to talk to a person please"), "ses-in-1")
    conversation = conversation_of(store, "<ava-first@mail.example.com>")
    path = f"/conversations/{conversation.conversation_id}/replies"
    human = {"text": "Hi Ava, Sam here: your order is on its way.", "agent": AGENT}
    assert store.post_json(path, human, HELPDESK).status_code in (200, 201, 202)
    store.drain()
    mails = sent_mail(store.moto_url)
    assert len(mails) == 2, [body_text(m) for m in mails]
    for mail in mails:
        assert body_text(mail).count(SIGN_OFF) == 1, body_text(mail)
