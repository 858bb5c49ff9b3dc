"""Conversations on moto server: each message id stored once, ownership moves by condition."""

from __future__ import annotations

import boto3
import pytest

from chalicelib.domain.conversations import Conversation, Ownership, StoredMessage
from chalicelib.domain.messages import Author, Channel
from chalicelib.store.conversations import ConversationRepository
from chalicelib.store.table import Table
from dev import resources


@pytest.fixture
def conversations(moto_clean: str) -> ConversationRepository:
    resources.create_table(moto_clean)
    dynamodb = boto3.client("dynamodb", region_name="us-east-1", endpoint_url=moto_clean)
    repository = ConversationRepository(Table(dynamodb, resources.TABLE))
    repository.create(
        Conversation(
            conversation_id="cv1",
            channel=Channel.SMS,
            address="+14155550100",
            customer_id="c1",
            created_at="2026-11-24T00:00:00.000Z",
        )
    )
    return repository


def message(message_id: str, at: str) -> StoredMessage:
    return StoredMessage(message_id=message_id, author=Author.CUSTOMER, text="hi", created_at=at)


def test_a_message_id_is_stored_once_even_with_another_timestamp(
    conversations: ConversationRepository,
) -> None:
    assert conversations.add_message("cv1", message("m1", "2026-11-24T00:00:01.000Z"))
    assert not conversations.add_message("cv1", message("m1", "2026-11-24T00:00:09.000Z"))
    loaded = conversations.load("cv1")
    assert loaded is not None and [m.message_id for m in loaded.messages] == ["m1"]


def test_an_older_message_is_still_stored(conversations: ConversationRepository) -> None:
    conversations.add_message("cv1", message("m2", "2026-11-24T00:00:05.000Z"))
    assert conversations.add_message("cv1", message("m1", "2026-11-24T00:00:01.000Z"))
    loaded = conversations.load("cv1")
    assert loaded is not None and [m.message_id for m in loaded.messages] == ["m1", "m2"]


def test_ownership_moves_only_from_an_expected_state(conversations: ConversationRepository) -> None:
    assert conversations.set_state("cv1", Ownership.HUMAN, {Ownership.AI})
    assert not conversations.set_state("cv1", Ownership.HUMAN, {Ownership.AI})
    assert conversations.set_state("cv1", Ownership.RESOLVED, {Ownership.HUMAN})
    loaded = conversations.load("cv1")
    assert loaded is not None and loaded.state is Ownership.RESOLVED


def test_creating_an_existing_conversation_is_refused(
    conversations: ConversationRepository,
) -> None:
    again = Conversation(
        conversation_id="cv1",
        channel=Channel.EMAIL,
        address="x@example.com",
        created_at="2026-11-24T00:00:00.000Z",
    )
    assert not conversations.create(again)
    loaded = conversations.load("cv1")
    assert loaded is not None and loaded.channel is Channel.SMS


def test_a_turn_reads_the_newest_messages_oldest_first_in_a_bounded_read(
    conversations: ConversationRepository,
) -> None:
    for n in range(12):
        conversations.add_message("cv1", message(f"m{n:02d}", f"2026-11-24T00:00:{n:02d}.000Z"))
    calls: list[str] = []
    client = conversations.table.client
    client.meta.events.register(
        "provide-client-params.*.*", lambda model, **_: calls.append(model.name)
    )
    recent = conversations.load_recent("cv1", last=5)
    assert recent is not None and recent.state is Ownership.AI
    assert [m.message_id for m in recent.messages] == [f"m{n:02d}" for n in range(7, 12)]
    assert all(m.sk and m.sk.startswith("MSG#") for m in recent.messages)
    assert calls == ["Query", "GetItem"]  # a full window: META by key
    assert recent.earlier
    full = conversations.load("cv1")
    assert full is not None and full.messages[-5:] == recent.messages
    calls.clear()
    for last in (13, 20):  # the whole conversation and its META fit: one Query
        whole = conversations.load_recent("cv1", last=last)
        assert whole is not None and whole.messages == full.messages and not whole.earlier
    assert calls == ["Query", "Query"]
    assert conversations.load_recent("no-such-conversation") is None
