"""Our twenty replies, one per client and language, through SES -> SNS -> SQS -> the handlers.

Each quotes the store's mail about a refund for order #987 and asks about order #1001. The stored
customer text must be the new text only, and the agent must answer it: with the tracking of
#1001 (were the quoted refund read, the rules agent would answer about returns instead).
"""

from __future__ import annotations

import re

import pytest

from chalicelib.channels.email.html import html_to_text
from chalicelib.channels.email.mime import read_mail
from chalicelib.channels.email.reply import visible_reply
from tests.channels.email.flow import body_text, conversation_of, mail_in, sent_mail, store
from tests.channels.email.own_replies import OUT, REPLIES, mime
from tests.harness import Pipeline

__all__ = ["store"]  # the fixture

SPACES = re.compile(r"\s+")
TRACKING_1001 = "1Z999AA10123456784"


def squeezed(text: str) -> str:
    """Runs of whitespace made one space (HTML and text render line breaks differently)."""
    return SPACES.sub(" ", text).strip()


def test_the_stored_fixtures_are_what_the_builder_writes() -> None:
    for index, (name, reply) in enumerate(REPLIES.items(), start=1):
        assert (OUT / f"{name}.eml").read_bytes() == mime(reply, index), name
    assert len(REPLIES) == 20


@pytest.mark.parametrize("name", sorted(REPLIES))
def test_every_part_of_each_reply_reads_as_the_new_text(name: str) -> None:
    mail = read_mail((OUT / f"{name}.eml").read_bytes())
    reply = REPLIES[name]
    assert squeezed(visible_reply(mail.text)) == squeezed(reply.text)
    if reply.html is not None:  # the HTML part too, read by structure
        assert squeezed(visible_reply(html_to_text(reply.html))) == squeezed(reply.text)


@pytest.mark.parametrize("name", sorted(REPLIES))
def test_reply_through_ses_is_stored_and_answered_from_the_new_text_only(
    store: Pipeline, name: str
) -> None:
    raw = (OUT / f"{name}.eml").read_bytes()
    mail_in(store, raw, f"ses-own-{name}")
    message_id = read_mail(raw).headers["message-id"][0]
    conversation = conversation_of(store, message_id)
    customer = conversation.messages[0]
    assert customer.author.value == "customer"
    assert squeezed(customer.text) == squeezed(REPLIES[name].text)
    [answer] = sent_mail(store.moto_url)
    assert TRACKING_1001 in body_text(answer) and "refund" not in body_text(answer).lower()
