"""The From identity: the address SES authenticated, or unverified, whatever the header holds."""

from __future__ import annotations

import base64
import json
import quopri

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.channels.email.identity import (
    MailAuth,
    aligned,
    from_address,
    sender_identity,
)
from chalicelib.channels.email.inbound import read_inbound_email
from chalicelib.channels.email.outbound import ReplyThread, compose_reply
from chalicelib.domain.messages import InboundMessage
from tests.channels.email.events import ses_notification

ATTACKER = "attacker@attacker.example"
VICTIMS = ["ava@example.com", "Ava@Example.COM", "ava@mail.example.com", "ava@example.co.uk"]
ADDRESSES = [ATTACKER, "x@mail.attacker.example", *VICTIMS]
SAFE = frozenset(("attacker.example",))


def encoded_word(text: str, kind: str) -> str:
    """text as an RFC 2047 encoded word (b or q)."""
    data = text.encode("utf-8")
    if kind == "b":
        return f"=?utf-8?b?{base64.b64encode(data).decode()}?="
    return f"=?utf-8?q?{quopri.encodestring(data, header=True).decode().replace(chr(10), '')}?="


tricky_text = st.one_of(
    st.sampled_from(
        [
            "ava@example.com",
            "ava@example.com <ava@example.com>",
            "Ava\r\nBcc: evil@attacker.example",
            "Ava\nTo: ava@example.com",
            '"ava@example.com"',
            "<ava@example.com>",
            "Ava, ava@example.com",
            "group: ava@example.com;",
        ]
    ),
    st.text(max_size=30),
)
display_names = st.one_of(
    st.builds(encoded_word, tricky_text, st.sampled_from(["b", "q"])),
    tricky_text.map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    tricky_text.filter(lambda t: "\r" not in t and "\n" not in t),
)
comments = st.builds(lambda t: f"({t.replace('(', '').replace(')', '')})", tricky_text)
addresses = st.sampled_from(ADDRESSES)
mailbox = st.one_of(
    st.builds(lambda n, a: f"{n} <{a}>", display_names, addresses),
    addresses,
    st.builds(lambda a, c: f"{a} {c}", addresses, comments),
    st.builds(lambda c, a: f"{c} <{a}>", comments, addresses),
    st.builds(lambda n, a: f"{n} {a}", display_names, addresses),
)
from_headers = st.one_of(
    mailbox,
    st.builds(lambda a, b: f"{a}, {b}", mailbox, mailbox),
    st.builds(lambda g, a: f"{g}: {a};", st.sampled_from(["Team", "ava@example.com"]), mailbox),
    st.builds(lambda a, b: f"{a}{b}", mailbox, mailbox),
)
auths = st.builds(
    lambda dmarc, spf, dkim, signers: MailAuth(
        verdict=lambda name: {"dmarc": dmarc, "spf": spf, "dkim": dkim}.get(name, "PASS"),
        envelope_sender=ATTACKER,
        dkim_domains=tuple(signers),
    ),
    st.sampled_from(["PASS", "GRAY", "FAIL", "PROCESSING_FAILED", ""]),
    st.sampled_from(["PASS", "FAIL", "GRAY"]),
    st.sampled_from(["PASS", "FAIL", "GRAY"]),
    st.lists(st.sampled_from(["attacker.example", "mail.attacker.example"]), max_size=2),
)


def is_authenticated_address(address: str) -> bool:
    """The address belongs to what SES authenticated in these tests: attacker.example."""
    return any(aligned(address.rpartition("@")[2], domain) for domain in SAFE)


@given(from_headers, auths)
def test_identity_is_the_authenticated_address_or_unverified(header: str, auth: MailAuth) -> None:
    identity = sender_identity([header], auth)
    if identity.verified:
        assert is_authenticated_address(identity.address), (header, identity)
    assert "\r" not in identity.address and "\n" not in identity.address


@given(display_names, addresses)
def test_the_address_is_the_angle_address_never_the_display_name(name: str, address: str) -> None:
    found = from_address([f"{name} <{address}>"])
    assert found in (None, address.lower())


@given(from_headers)
def test_identity_through_the_ses_pipeline_is_authenticated_or_unverified(header: str) -> None:
    raw = (
        f"From: {header}\r\nTo: support@shop.example.com\r\nSubject: hi\r\n"
        "Message-ID: <m1@attacker.example>\r\n\r\nWhere is my order?\r\n"
    ).encode("utf-8", "surrogateescape")
    received = ses_notification(raw, source=ATTACKER)  # every verdict PASS, for attacker.example
    message = read_inbound_email(json.dumps(received), own_address="support@shop.example.com")
    if isinstance(message, InboundMessage) and message.verified:
        assert is_authenticated_address(message.sender), (header, message.sender)


@pytest.mark.parametrize(
    "header",
    ["Ava <ava@example.com>, Bob <bob@example.com>", "Team: ava@example.com;", "undisclosed:;", ""],
)
def test_no_single_author_is_unverified(header: str) -> None:
    auth = MailAuth(verdict=lambda name: "PASS", envelope_sender="ava@example.com")
    assert sender_identity([header], auth).verified is False
    assert sender_identity(["Ava <ava@example.com>", "ava@example.com"], auth).verified is False


@pytest.mark.parametrize(
    "recipient", ["ava@example.com\r\nBcc: evil@attacker.example", "ava@example.com\nBcc: e@x"]
)
def test_composer_refuses_a_recipient_with_a_line_break(recipient: str) -> None:
    with pytest.raises(ValueError):
        compose_reply(
            sender="support@shop.example.com", recipient=recipient, text="hi", thread=ReplyThread()
        )


def test_composer_keeps_a_subject_with_line_breaks_on_one_header() -> None:
    thread = ReplyThread(subject="Hi\r\nBcc: evil@attacker.example")
    mime = compose_reply(
        sender="s@shop.example.com", recipient="a@b.example", text="x", thread=thread
    )
    assert mime["Bcc"] is None and b"\r\nBcc:" not in mime.as_bytes()
