"""SES receipt notifications through SNS and SQS become customer messages, or are dropped."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from chalicelib.channels.email.inbound import (
    Dropped,
    read_inbound_email,
    s3_mail_fetcher,
)
from chalicelib.domain.errors import BadRequestError, TransientError
from chalicelib.domain.messages import Channel, InboundMessage
from tests.channels.email.events import eml, load_event, ses_notification, sqs_body

OWN = "Shop Support <support@shop.example.com>"


def receive(name: str, raw_delivery: bool = False, **options: Any) -> object:
    """The result of the inbound-email handler's parsing for one mail of the corpus."""
    body = sqs_body(ses_notification(eml(name), **options), raw_delivery=raw_delivery)
    return read_inbound_email(body, own_address=OWN)


def customer_message(name: str, **options: Any) -> InboundMessage:
    """A mail of the corpus that must become a customer message."""
    result = receive(name, **options)
    assert isinstance(result, InboundMessage), result
    return result


@pytest.mark.parametrize(
    ("name", "sender", "text"),
    [
        (
            "gmail_reply",
            "ava.jones@gmail.com",
            'Thanks! It still says "label created" though. Can you check with UPS?\n\nAva',
        ),
        (
            "apple_mail_reply",
            "noah.kim@icloud.com",
            "Perfect, I\u2019ll drop it at the UPS store tomorrow. Is the refund in euros or dollars?",
        ),
        (
            "outlook_reply",
            "liam.obrien@outlook.com",
            "Hi,\n\nI\u2019d like to exchange the linen tee "
            "(order #1002) for a size M. It cost €30.\n\nBest regards,\nLiam O\u2019Brien",
        ),
        (
            "html_only",
            "mia.rossi@yahoo.com",
            "Is the Merino sweater true to size? I'm usually an "
            "M.\n\n- Height: 170 cm\n- Chest: 92 cm\n\nThanks & regards,\nMia",
        ),
        (
            "french_iso_8859_1",
            "lea.dupre@orange.fr",
            "Bonjour,\n\nLe colis est arrivé abîmé. "
            "Pouvez-vous m'envoyer un nouveau pull ?\n\nMerci,\nLéa",
        ),
        (
            "german_windows_1252",
            "jonas.becker@web.de",
            "Hallo,\n\nich möchte die Bestellung #1005 stornieren. Geht das noch?\n\nGrüße\nJonas",
        ),
        (
            "japanese_shift_jis",
            "taro.yamada@example.jp",
            "注文番号1004の配送状況を教えてください。\nよろしくお願いします。",
        ),
        ("unknown_charset", "sam.lee@example.com", "Do you ship to Canada? Price €10 �� ok"),
    ],
)
def test_customer_mail_becomes_the_reply_they_just_wrote(name: str, sender: str, text: str) -> None:
    message = customer_message(name)
    assert (message.channel, message.source, message.sender) == (Channel.EMAIL, "ses", sender)
    assert message.text == text
    assert message.external_id == "o3f9v2kq0k8e1r2t3y4u5i6o7p8a9s0d1f2g3h4"


def test_full_original_text_with_quoted_history_is_kept_in_meta() -> None:
    message = customer_message("gmail_reply")
    assert "Your order #1001 shipped with UPS" in message.meta["full_text"]
    assert message.meta["subject"] == "Re: Where is my order #1001?"
    assert message.meta["full_text_truncated"] is False


def test_threading_headers_and_reply_address_are_read() -> None:
    meta = customer_message("gmail_reply").meta
    ses_id = (
        "<0100018f2a9b3c4d-5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9-000000@us-east-1.amazonses.com>"
    )
    assert meta["message_id"] == "<CAB1x-second-reply@mail.gmail.com>"
    assert meta["in_reply_to"] == ses_id
    assert meta["references"] == ["<CAB1x-first@mail.gmail.com>", ses_id]
    assert meta["reply_to_conversation"] == "conv_01HZX9"


def test_reply_address_is_found_among_ses_recipients() -> None:
    message = customer_message("french_iso_8859_1", recipients=["reply+conv_42@shop.example.com"])
    assert message.meta["reply_to_conversation"] == "conv_42"
    assert customer_message("french_iso_8859_1").meta["reply_to_conversation"] == ""


def test_attachments_are_listed_not_processed() -> None:
    message = customer_message("attachments")
    listed = [(a.name, a.content_type, a.size) for a in message.attachments]
    assert listed == [("IMG_2041.jpg", "image/jpeg", 160), ("reçu 1006.pdf", "application/pdf", 72)]
    assert message.text == "The mug arrived broken, photos and the receipt attached."


@pytest.mark.parametrize(
    ("verdicts", "verified"),
    [
        ({"spf": "PASS", "dkim": "PASS", "dmarc": "PASS"}, True),
        ({"spf": "FAIL", "dkim": "PASS", "dmarc": "GRAY"}, True),
        ({"spf": "PASS", "dkim": "FAIL", "dmarc": "PASS"}, True),
        ({"spf": "FAIL", "dkim": "FAIL", "dmarc": "FAIL"}, False),
        ({"spf": "GRAY", "dkim": "PROCESSING_FAILED", "dmarc": "GRAY"}, False),
        ({"spf": "PASS", "dkim": "PASS", "dmarc": "FAIL"}, False),
        ({"spf": "PASS", "dkim": "PASS", "dmarc": "PROCESSING_FAILED"}, False),
        ({"spf": "PASS", "dkim": "PASS"}, True),  # the fixture's dmarc PASS
        ({"spf": "PASS", "dkim": "PASS", "dmarc": "GRAY"}, True),  # aligned with gmail.com
    ],
)
def test_sender_is_verified_only_when_an_aligned_pass_and_dmarc_pass_or_no_policy(
    verdicts: dict[str, str], verified: bool
) -> None:
    assert customer_message("gmail_reply", verdicts=verdicts).verified is verified


@pytest.mark.parametrize(
    ("name", "options", "reason"),
    [
        ("gmail_reply", {"verdicts": {"spam": "FAIL"}}, "spam"),
        ("attachments", {"verdicts": {"virus": "FAIL"}}, "virus"),
        ("out_of_office", {}, "auto_reply:auto-submitted"),
        ("bounce", {}, "bounce"),
        ("bounce_without_auto_submitted", {}, "bounce"),
        ("newsletter_bulk", {}, "auto_reply:precedence"),
    ],
)
def test_mail_that_must_get_no_reply_is_dropped_with_a_reason(
    name: str, options: dict[str, Any], reason: str
) -> None:
    result = receive(name, **options)
    assert isinstance(result, Dropped)
    assert result.reason == reason
    assert result.external_id == "o3f9v2kq0k8e1r2t3y4u5i6o7p8a9s0d1f2g3h4"


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("Auto-Submitted: auto-generated", "auto_reply:auto-submitted"),
        ("X-Autoreply: yes", "auto_reply:x-autoreply"),
        ("X-Autorespond: Out of office", "auto_reply:x-autorespond"),
        ("X-Auto-Response-Suppress: OOF", "auto_reply:x-auto-response-suppress"),
        ("Precedence: auto_reply", "auto_reply:precedence"),
        ("Precedence: list", "auto_reply:precedence"),
        ("Precedence: junk", "auto_reply:precedence"),
    ],
)
def test_automatic_mail_headers_drop_the_mail(header: str, reason: str) -> None:
    raw = header.encode() + b"\r\n" + eml("gmail_reply")
    result = read_inbound_email(sqs_body(ses_notification(raw)), own_address=OWN)
    assert isinstance(result, Dropped) and result.reason == reason


def test_auto_submitted_no_is_a_person_writing() -> None:
    raw = b"Auto-Submitted: no\r\n" + eml("gmail_reply")
    assert isinstance(
        read_inbound_email(sqs_body(ses_notification(raw)), own_address=OWN), InboundMessage
    )


def test_mail_from_our_own_address_is_dropped_as_a_loop() -> None:
    raw = eml("gmail_reply").replace(
        b"Ava Jones <Ava.Jones@gmail.com>", b"<SUPPORT@shop.example.com>"
    )
    result = read_inbound_email(sqs_body(ses_notification(raw)), own_address=OWN)
    assert isinstance(result, Dropped) and result.reason == "own_address"


def test_raw_delivery_and_utf8_content_read_the_same_as_the_sns_envelope() -> None:
    enveloped = customer_message("gmail_reply")
    raw = customer_message("gmail_reply", raw_delivery=True, encoding="UTF8")
    assert (raw.text, raw.sender, raw.meta) == (enveloped.text, enveloped.sender, enveloped.meta)


def test_setup_notification_is_not_a_mail() -> None:
    body = sqs_body(load_event("ses/setup_notification.json"))
    assert read_inbound_email(body, own_address=OWN) is None


def test_body_that_is_not_json_is_a_bad_request() -> None:
    with pytest.raises(BadRequestError):
        read_inbound_email("<xml/>", own_address=OWN)


def test_s3_action_without_a_fetcher_is_refused_not_lost() -> None:
    body = sqs_body(ses_notification(eml("large_s3"), s3_key="mail/large"))
    with pytest.raises(BadRequestError):
        read_inbound_email(body, own_address=OWN)


def test_large_mail_stored_by_the_s3_action_is_read_from_the_bucket(moto_clean: str) -> None:
    raw = eml("large_s3")
    assert len(raw) > 150 * 1024
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="tandem-inbound-email")
    s3.put_object(Bucket="tandem-inbound-email", Key="mail/large", Body=raw)
    body = sqs_body(ses_notification(raw, s3_key="mail/large"))
    message = read_inbound_email(body, own_address=OWN, fetch_s3=s3_mail_fetcher(s3))
    assert isinstance(message, InboundMessage)
    assert message.text.startswith("I ordered the blue scarf but got a green one.")
    assert [(a.name, a.size) for a in message.attachments] == [("scarf.png", 192_000)]


def test_missing_s3_object_is_retried_through_the_queue(moto_clean: str) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="tandem-inbound-email")
    body = sqs_body(ses_notification(eml("large_s3"), s3_key="mail/not-yet"))
    with pytest.raises(TransientError):
        read_inbound_email(body, own_address=OWN, fetch_s3=s3_mail_fetcher(s3))


def test_sns_envelope_sample_is_a_real_sqs_body() -> None:
    envelope = json.loads(sqs_body(ses_notification(eml("gmail_reply"))))
    assert envelope["Type"] == "Notification"
    assert json.loads(envelope["Message"])["notificationType"] == "Received"
