"""The running summary a turn folds onto META: bounded, each message once, the latest order kept."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.agent.base import TurnContext
from chalicelib.agent.dialogue import SUMMARY_CHARS, earlier_note, fold_summary
from chalicelib.agent.tools import ToolBox
from chalicelib.domain.conversations import Conversation, StoredMessage
from chalicelib.domain.messages import Author, Channel
from chalicelib.domain.profiles import CustomerBundle

AT = "2026-12-01T00:00:00.000Z"


def said(n: int, text: str, author: Author = Author.CUSTOMER) -> StoredMessage:
    return StoredMessage(message_id=f"m{n}", author=author, text=text, created_at=AT)


def test_an_order_named_long_ago_stays_in_talk_until_another_is_named() -> None:
    summary = fold_summary({}, [said(1, "where is my order #1001?")])
    for n in range(2, 40):
        summary = fold_summary(summary, [said(n, f"question {n} about shipping")])
    assert summary["order_number"] == "1001" and summary["messages"] == 39
    summary = fold_summary(summary, [said(40, "and order number 2002?")])
    assert summary["order_number"] == "2002" and summary["orders"] == ["1001", "2002"]


def test_a_message_folded_again_counts_once() -> None:
    first = [said(1, "order #1001"), said(2, "Your order #1001 shipped.", Author.AI)]
    summary = fold_summary({}, first)
    assert fold_summary(summary, first) == summary
    again = fold_summary(summary, [*first, said(3, "thanks")])
    assert again["messages"] == 3 and again["asked"] == ["order #1001", "thanks"]


def test_an_offer_stays_open_until_the_next_reply() -> None:
    offered = said(2, "Want a reminder?", Author.AI)
    offered.meta["offer"] = {"kind": "reminder", "sku": "TEE"}
    summary = fold_summary({}, [said(1, "a tee?"), offered])
    assert summary["offer"] == {"kind": "reminder", "sku": "TEE"}
    summary = fold_summary(summary, [said(3, "hm"), said(4, "Anything else?", Author.AI)])
    assert summary["offer"] is None


@settings(max_examples=60)
@given(st.lists(st.tuples(st.booleans(), st.text(max_size=400)), max_size=60))
def test_the_summary_stays_small_whatever_was_said(turns: list[tuple[bool, str]]) -> None:
    summary: dict[str, object] = {}
    for n, (customer, text) in enumerate(turns):
        author = Author.CUSTOMER if customer else Author.AI
        summary = fold_summary(summary, [said(n, text, author)])
    assert summary.get("messages", 0) == len(turns)
    # Three questions and three answers of SUMMARY_CHARS characters (4 UTF-8 bytes at most
    # each), ids and order numbers: about 5 KB at worst, 1 KB in plain English.
    size = len(json.dumps(summary, ensure_ascii=False).encode())
    assert size < 2 * 3 * SUMMARY_CHARS * 4 + 1000


def context(conversation: Conversation) -> TurnContext:
    bundle = CustomerBundle(customer_id="c1")
    return TurnContext(conversation, bundle, True, [], ToolBox(bundle, True))


def test_a_prompt_hears_of_earlier_messages_only_when_the_window_left_some_out() -> None:
    conversation = Conversation(
        conversation_id="cv", channel=Channel.SMS, address="+1", created_at=AT
    )
    conversation.summary = fold_summary({}, [said(1, "where is order #1001?")])
    assert earlier_note(context(conversation)) == ""
    conversation.earlier = True
    note = earlier_note(context(conversation))
    assert "where is order #1001?" in note and "#1001" in note
