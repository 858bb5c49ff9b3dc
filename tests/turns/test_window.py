"""A turn reads a bounded window plus the running summary, whatever the conversation's length."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from chalicelib import bootstrap
from chalicelib.domain.conversations import StoredMessage
from chalicelib.domain.messages import Author, Channel
from chalicelib.store import keys
from chalicelib.store.conversations import WINDOW
from chalicelib.store.table import typed
from dev.seed import DEMO_CUSTOMER_ID, demo_events
from tests.handoff.support import HELPDESK, RecordingSender, helpdesk_events, sms_from_ava
from tests.harness import Pipeline, seed_store, start_pipeline

STORE = {"X-Api-Key": "dev-store-key"}
SIDS = itertools.count(1)


@pytest.fixture
def shop(moto_clean: str) -> Iterator[tuple[Pipeline, RecordingSender]]:
    phone = RecordingSender()
    pipeline = start_pipeline(
        moto_clean, overrides={"senders": {Channel.SMS: phone}}, AGENT_BACKEND="rules"
    )
    seed_store(pipeline)
    assert pipeline.post_json("/events", {"events": demo_events()}, STORE).status_code == 202
    yield pipeline, phone
    bootstrap.reset(None)


def ask(pipeline: Pipeline, phone: RecordingSender, text: str) -> str:
    """One SMS from the demo shopper, its turn run; the reply that reached her phone."""
    sent = len(phone.sent)
    sms_from_ava(pipeline, text, f"SM{next(SIDS):032d}")
    pipeline.drain()
    assert len(phone.sent) == sent + 1, "one reply per turn"
    return phone.sent[-1].text


def conversation_id(pipeline: Pipeline) -> str:
    listed = pipeline.services.conversations.for_customer(DEMO_CUSTOMER_ID)
    return str(next(c["conversation_id"] for c in listed if c["channel"] == "sms"))


def store_history(pipeline: Pipeline, cid: str, count: int) -> None:
    """`count` answered messages stored as turns store them (each with its MSGID# marker)."""
    pk, items = keys.conversation_pk(cid), []
    for n in range(count):
        author = Author.CUSTOMER if n % 2 == 0 else Author.AI
        at = f"2026-01-01T00:{n // 60:02d}:{n % 60:02d}.000Z"
        message = StoredMessage(
            message_id=f"h{n}", author=author, text=f"earlier {n}", created_at=at
        )
        if author is Author.AI:
            message.status, message.in_reply_to = "sent", [f"h{n - 1}"]
        sk = keys.message_sk(at, message.message_id)
        items.append({"PK": pk, "SK": sk, **message.model_dump(mode="json", exclude={"sk"})})
        items.append({"PK": pk, "SK": f"MSGID#{message.message_id}", "sk": sk})
    table = pipeline.services.table
    for start in range(0, len(items), 25):
        requests = [{"PutRequest": {"Item": typed(i)}} for i in items[start : start + 25]]
        table.client.batch_write_item(RequestItems={table.name: requests})


class PartitionReads:
    """Items each GetItem and Query returned from one conversation's partition (botocore hook)."""

    def __init__(self, client: Any, pk: str) -> None:
        self.pk, self.reads = pk, []
        client.meta.events.register("after-call.dynamodb.*", self._count)

    def _count(self, model: Any, parsed: dict[str, Any], **_: Any) -> None:
        items = parsed.get("Items", []) + ([parsed["Item"]] if "Item" in parsed else [])
        mine = [i for i in items if i["PK"]["S"] == self.pk]
        if model.name in ("GetItem", "Query") and mine:
            self.reads.append((model.name, len(mine)))


def test_a_turn_reads_the_same_items_at_message_5_and_at_message_500(shop: Any) -> None:
    pipeline, phone = shop
    ask(pipeline, phone, "hello")
    ask(pipeline, phone, "do you ship to Canada?")
    cid = conversation_id(pipeline)
    reads = PartitionReads(pipeline.services.table.client, keys.conversation_pk(cid))
    assert "3 to 5 business days" in ask(pipeline, phone, "how long does shipping take?")
    at_5, reads.reads = reads.reads, []
    store_history(pipeline, cid, 500 - 1 - 6)  # the next message is the 500th
    assert "3 to 5 business days" in ask(pipeline, phone, "how long does shipping take?")
    # The window's newest messages, then META by key: never the other 495 messages.
    assert at_5 == reads.reads == [("Query", WINDOW), ("GetItem", 1)]
    whole = pipeline.services.conversations.load(cid)
    assert whole is not None and len(whole.messages) == 501


def test_the_summary_carries_an_order_named_long_ago_to_a_turn_that_refers_back(
    shop: Any,
) -> None:
    pipeline, phone = shop
    # Asked with nothing said before, the question names no order the agent could pick.
    assert "#987" not in ask(pipeline, phone, "and when will it arrive?")
    assert "#987" in ask(pipeline, phone, "where is my order 987?")
    for question in ("how long does shipping take?", "do you ship to Canada?"):
        ask(pipeline, phone, question)
    cid = conversation_id(pipeline)
    window = pipeline.services.conversations.load_recent(cid)
    assert window is not None and not any("987" in m.text for m in window.messages)
    assert window.summary["order_number"] == "987"
    assert "#987" in ask(pipeline, phone, "and when will it arrive?")


def test_a_long_conversation_s_packet_carries_the_recent_part_and_the_way_to_the_rest(
    shop: Any,
) -> None:
    pipeline, phone = shop
    ask(pipeline, phone, "hello")
    cid = conversation_id(pipeline)
    store_history(pipeline, cid, 40)
    ask(pipeline, phone, "I want to talk to a human please")
    packets = [e["data"] for e in helpdesk_events(pipeline) if e["type"] == "escalation.created"]
    assert len(packets) == 1 and packets[0]["transcript_truncated"]
    assert len(packets[0]["transcript"]) == WINDOW + 2  # the window, the message and the reply
    rest = pipeline.get(urlsplit(packets[0]["reply"]["conversation"]["url"]).path, HELPDESK)
    assert rest.status_code == 200 and len(rest.json_body["transcript"]) == 44


def test_the_helpdesk_gets_the_whole_transcript_unless_it_asks_for_a_page(shop: Any) -> None:
    pipeline, phone = shop
    ask(pipeline, phone, "hello")
    cid = conversation_id(pipeline)
    store_history(pipeline, cid, 130)  # more than a page's default of 100
    whole = pipeline.get(f"/conversations/{cid}", HELPDESK).json_body
    assert len(whole["transcript"]) == 132 and whole["next_cursor"] is None
    page = pipeline.get(f"/conversations/{cid}?limit=100", HELPDESK).json_body
    assert len(page["transcript"]) == 100 and page["next_cursor"]
