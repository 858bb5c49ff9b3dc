"""`make run`'s stack receives email as AWS would: SES notification on the topic -> a reply in SES."""

from __future__ import annotations

import uuid

from dev import resources
from dev.seed import DEMO_EMAIL
from tests.channels.email.flow import body_text, customer_mail, notification, publish, sent_mail
from tests.harness import RunningStack, poll_until

TOPIC = f"arn:aws:sns:{resources.REGION}:{resources.ACCOUNT}:{resources.EMAIL_TOPIC}"


def test_mail_published_to_the_topic_is_answered_through_ses(local_stack: RunningStack) -> None:
    message_id = f"<{uuid.uuid4().hex}@mail.example.com>"
    raw = customer_mail("Hello, where is my order?", message_id=message_id)
    publish(local_stack.moto_url, TOPIC, notification(raw, f"ses-{uuid.uuid4().hex}"))
    replies = poll_until(
        lambda: [m for m in sent_mail(local_stack.moto_url) if m["In-Reply-To"] == message_id],
        lambda found: len(found) > 0,
        seconds=10,
    )
    [reply] = replies
    assert reply["To"] == DEMO_EMAIL and reply["Subject"] == "Re: Where is my order?"
    assert "1001" in body_text(reply) and "UPS" in body_text(reply)
