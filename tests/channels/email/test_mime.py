"""Raw MIME and HTML bodies become readable text; no input ever makes the parser raise."""

from __future__ import annotations

import base64
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.channels.email.html import html_to_text
from chalicelib.channels.email.inbound import Dropped, read_inbound_email
from chalicelib.channels.email.mime import MailContent, read_mail
from chalicelib.domain.messages import InboundMessage
from tests.channels.email.events import eml, ses_notification

HEADER_NAMES = st.sampled_from(
    [
        "From",
        "To",
        "Subject",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Content-Disposition",
        "Message-ID",
        "In-Reply-To",
        "References",
        "Auto-Submitted",
        "Precedence",
        "X-Custom",
    ]
)
HEADER_VALUES = st.text(
    alphabet=st.characters(codec="latin-1", exclude_characters="\r\n"), max_size=80
) | st.sampled_from(
    [
        "multipart/mixed; boundary=x",
        "multipart/report; report-type=delivery-status",
        "text/plain; charset=x-nope",
        "base64",
        "quoted-printable",
        "=?utf-8?b?!!?=",
        "attachment; filename*=bad''%ZZ",
        "<a@b> <c@d",
        "text/html; charset=shift_jis",
    ]
)


def test_html_body_is_readable_text_with_quotes_marked() -> None:
    html = (
        "<html><head><style>p{}</style></head><body><p>Hello&nbsp;there,</p><p>Is it <b>in</b> "
        "stock?</p><blockquote><p>Old &amp; quoted</p></blockquote><pre>a  b\nc</pre></body></html>"
    )
    assert html_to_text(html) == "Hello there,\n\nIs it in stock?\n\n> Old & quoted\n\na  b\nc"


def test_html_tables_and_lists_keep_their_rows() -> None:
    html = "<table><tr><td>Order</td><td>#1001</td></tr></table><ol><li>one</li><li>two</li></ol>"
    assert html_to_text(html) == "Order #1001\n\n- one\n- two"


def test_an_attached_email_is_listed_not_read_as_the_body() -> None:
    raw = (
        b"From: a@example.com\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
        b"Content-Type: text/plain\r\n\r\nSee the forwarded mail.\r\n--b\r\n"
        b"Content-Type: message/rfc822\r\n\r\nFrom: x@example.com\r\nSubject: old\r\n\r\nOld body\r\n"
        b"--b--\r\n"
    )
    mail = read_mail(raw)
    assert mail.text.strip() == "See the forwarded mail."
    assert [a.content_type for a in mail.attachments] == ["message/rfc822"]


def test_html_only_mail_says_it_came_from_html() -> None:
    assert read_mail(eml("html_only")).from_html is True
    assert read_mail(eml("gmail_reply")).from_html is False


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_always_give_a_mail_content(raw: bytes) -> None:
    assert isinstance(read_mail(raw), MailContent)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=8),
    st.binary(max_size=500),
)
def test_arbitrary_headers_and_body_always_give_a_mail_content(
    headers: list[tuple[str, str]], body: bytes
) -> None:
    raw = b"".join(f"{n}: {v}\r\n".encode("latin-1") for n, v in headers) + b"\r\n" + body
    assert isinstance(read_mail(raw), MailContent)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=1500), st.sampled_from(["PASS", "FAIL", "GRAY", "PROCESSING_FAILED"]))
def test_any_ses_content_becomes_a_message_or_a_drop(raw: bytes, verdict: str) -> None:
    notification = ses_notification(eml("gmail_reply"), verdicts={"spf": verdict})
    notification["content"] = base64.b64encode(raw).decode()
    result = read_inbound_email(json.dumps(notification), own_address="support@shop.example.com")
    assert isinstance(result, InboundMessage | Dropped)
