"""Transcript pages on moto server: every message once, in order; a cursor not ours is a 400."""

from __future__ import annotations

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.domain.conversations import Conversation, StoredMessage
from chalicelib.domain.errors import BadRequestError
from chalicelib.domain.messages import Author, Channel
from chalicelib.store.conversations import ConversationRepository
from chalicelib.store.table import Table
from chalicelib.store.transcript_pages import cursor_of, sk_of_cursor
from dev import resources

STORED = 23
FIXTURE = [HealthCheck.function_scoped_fixture]  # one stored conversation serves every example


@pytest.fixture
def conversations(moto_clean: str) -> ConversationRepository:
    resources.create_table(moto_clean)
    dynamodb = boto3.client("dynamodb", region_name="us-east-1", endpoint_url=moto_clean)
    repository = ConversationRepository(Table(dynamodb, resources.TABLE))
    at = "2026-11-24T00:00:00.000Z"
    repository.create(
        Conversation(conversation_id="cv1", channel=Channel.SMS, address="+1", created_at=at)
    )
    for n in range(STORED):
        author = Author.CUSTOMER if n % 2 == 0 else Author.AI
        created = f"2026-11-24T00:{n // 60:02d}:{n % 60:02d}.000Z"
        repository.add_message(
            "cv1",
            StoredMessage(message_id=f"m{n}", author=author, text=f"t{n}", created_at=created),
        )
    return repository


def read_all(conversations: ConversationRepository, limit: int) -> list[list[str]]:
    """Every page's message ids, following next_cursor to the end."""
    pages: list[list[str]] = []
    cursor = None
    while True:
        page = conversations.page("cv1", cursor, limit)
        pages.append([m.message_id for m in page.messages])
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor
        assert len(pages) <= STORED + 1, "paging must end"


@settings(max_examples=12, deadline=None, suppress_health_check=FIXTURE)
@given(limit=st.integers(min_value=1, max_value=STORED + 5))
def test_paging_returns_every_message_exactly_once_in_order(
    conversations: ConversationRepository, limit: int
) -> None:
    pages = read_all(conversations, limit)
    assert [mid for page in pages for mid in page] == [f"m{n}" for n in range(STORED)]
    assert all(len(page) <= limit for page in pages)
    assert all(pages[:-1])  # no empty page before the end


def test_a_message_stored_between_pages_comes_in_a_later_page(
    conversations: ConversationRepository,
) -> None:
    first = conversations.page("cv1", None, 10)
    late = StoredMessage(
        message_id="late", author=Author.CUSTOMER, text="x", created_at="2026-11-25T00:00:00.000Z"
    )
    conversations.add_message("cv1", late)
    rest = read_all_after(conversations, first.next_cursor)
    assert [m.message_id for m in first.messages] + rest == [
        *(f"m{n}" for n in range(STORED)),
        "late",
    ]


def read_all_after(conversations: ConversationRepository, cursor: str | None) -> list[str]:
    found: list[str] = []
    while cursor is not None:
        page = conversations.page("cv1", cursor, 7)
        found += [m.message_id for m in page.messages]
        cursor = page.next_cursor
    return found


@settings(max_examples=50, deadline=None)
@given(cursor=st.text(max_size=600))
def test_a_cursor_is_ours_or_a_bad_request_naming_it(cursor: str) -> None:
    try:
        sk = sk_of_cursor(cursor)
    except BadRequestError as error:
        assert error.field == "cursor"
    else:
        assert sk.startswith("MSG#")


@given(
    sk=st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=200).map(
        lambda rest: f"MSG#{rest}#id"
    )
)
def test_a_cursor_names_the_message_it_continues_after(sk: str) -> None:
    assert sk_of_cursor(cursor_of(sk)) == sk
