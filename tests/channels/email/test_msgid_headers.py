"""Our References and In-Reply-To hold bare msg-ids, however long: never RFC 2047 encoded-words."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

import requests
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.channels.email.outbound import ReplyThread, compose_reply
from tests.channels.email.flow import FIRST_ID, customer_mail, mail_in, sent_mail, store
from tests.harness import Pipeline

__all__ = ["store"]  # the fixture

MSG_ID_HEADERS = ("References", "In-Reply-To", "Message-ID")
ENCODED_WORD = re.compile(r"=\?[^?]+\?[bBqQ]\?")


def raw_headers(raw: str) -> dict[str, str]:
    """The raw (unfolded, undecoded) header values of a mail, by name."""
    head = raw.split("\n\n", 1)[0].replace("\r\n", "\n")
    unfolded = re.sub(r"\n[ \t]+", " ", head)
    return dict(line.split(": ", 1) for line in unfolded.splitlines() if ": " in line)


def test_second_reply_threads_on_our_ses_message_id_without_encoded_words(store: Pipeline) -> None:
    mail_in(store, customer_mail("Hi, where is my order?"), "ses-in-1")
    ours = f"<{sent_mail(store.moto_url)[0]['X-Ses-Id']}@email.amazonses.com>"
    second = customer_mail(
        "Thanks! When will it arrive?",
        subject="Re: Where is my order?",
        message_id="<ava-second@mail.example.com>",
        in_reply_to=ours,
        references=[FIRST_ID, ours],
    )
    mail_in(store, second, "ses-in-2")
    data = requests.get(f"{store.moto_url}/moto-api/data.json", timeout=10).json()
    raw = data["ses"]["RawMessage"][1]["raw_data"]
    headers = raw_headers(raw)
    for name in MSG_ID_HEADERS:
        assert not ENCODED_WORD.search(headers[name]), f"{name}: {headers[name]}"
    assert headers["References"].split() == [FIRST_ID, ours, "<ava-second@mail.example.com>"]
    assert all(len(line) <= 998 for line in raw.splitlines())


MSG_ID = st.from_regex(r"<[a-z0-9.\-]{1,120}@[a-z0-9.\-]{1,40}>", fullmatch=True)


@given(st.lists(MSG_ID, min_size=1, max_size=12), MSG_ID)
def test_any_msg_ids_are_written_bare_and_read_back_the_same(refs: list[str], last: str) -> None:
    thread = ReplyThread(subject="Hi", in_reply_to=last, references=refs)
    mime = compose_reply(sender="s@shop.example", recipient="c@x.example", text="Hi", thread=thread)
    raw = mime.as_bytes()
    headers = raw_headers(raw.decode())
    assert not ENCODED_WORD.search(headers["References"] + headers["In-Reply-To"])
    read = message_from_bytes(raw, policy=policy.default)
    assert str(read["References"]).split() == refs + ([] if last in refs else [last])
    assert str(read["In-Reply-To"]) == last
