"""Triage guardrails: every reason code fires on its trigger and stays quiet on near misses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.agent.triage import PriorMessage, TriageResult, triage
from chalicelib.config.store_config import EscalationRules, Triggers

RULES = EscalationRules(competitors=["Amazon", "H&M", "Zara"])


def check(text: str, recent: list[PriorMessage] | None = None) -> TriageResult:
    return triage([text], recent or [], RULES)


@pytest.mark.parametrize(
    ("text", "code", "evidence"),
    [
        ("I want to talk to a human please", "human_requested", "talk to a human"),
        ("Can I speak with someone real?", "human_requested", "speak with someone"),
        ("representative", "human_requested", "representative"),
        ("agent", "human_requested", "agent"),
        ("I'm so angry, this is terrible service", "frustration", "sentiment"),
        ("This is RIDICULOUS. Third time asking!!!", "frustration", "third time"),
        ("Worst store ever.", "frustration", "Worst"),
        ("What the f*ck is going on", "profanity", "f*ck"),
        ("this is sh1t", "profanity", "sh1t"),
        ("FUUUCK", "profanity", "FUUUCK"),
        ("Amazon sells it for less", "competitor_mention", "Amazon"),
        ("I saw it at H&M yesterday", "competitor_mention", "H&M"),
        ("My lamp arrived broken", "damaged_item", "broken"),
        ("The box was damaged", "damaged_item", "damaged"),
        ("The wrong size was sent", "damaged_item", "wrong size was sent"),
        ("You sent me the wrong item", "damaged_item", "wrong"),
        ("you sent me a blue shirt but I ordered the white tee", "damaged_item", "but I ordered"),
        ("got the bowls instead of the mugs", "damaged_item", "instead of"),
        ("the new shirt has a tiny hole by the pocket", "damaged_item", "has a tiny hole"),
        ("there's a stain on the cushion cover", "damaged_item", "there's a stain"),
        ("I'm calling my lawyer", "legal_or_chargeback", "lawyer"),
        ("I will sue you", "legal_or_chargeback", "sue"),
        ("I'll file a chargeback", "legal_or_chargeback", "chargeback"),
        ("I'm opening a dispute with my bank", "legal_or_chargeback", "dispute with my bank"),
        ("Reporting you to the BBB", "legal_or_chargeback", "BBB"),
        ("My attorney will be in touch", "legal_or_chargeback", "attorney"),
        ("I'll go to the ombudsman", "legal_or_chargeback", "ombudsman"),
        ("this is the third email I've sent, sort it out", "frustration", "third email"),
        ("I've been waiting two weeks and no one cares", "frustration", "no one cares"),
        ("nobody answered my emails, not good enough", "frustration", "nobody answered"),
        ("another shop sells it for less", "competitor_mention", "another shop"),
        ("other stores do free shipping, why don't you", "competitor_mention", "other stores"),
        ("I can get it cheaper elsewhere", "competitor_mention", "cheaper elsewhere"),
        ("scam, reporting you to the authorities", "legal_or_chargeback", "to the authorities"),
        ("I want my money back, this is a joke", "frustration", "this is a joke"),
        (
            "honestly pretty annoyed, the tee took ages to ship and nobody answered my email",
            "frustration",
            "annoyed",
        ),
    ],
)
def test_trigger_escalates_with_its_reason_and_evidence(
    text: str, code: str, evidence: str
) -> None:
    result = check(text)
    assert result.escalate
    reason = next(reason for reason in result.reasons if reason.code == code)
    assert evidence.lower() in reason.evidence.lower()


def test_several_distinct_issues_in_one_message_is_multi_issue() -> None:
    text = "My order is late, I was charged twice, and I want to return the jeans."
    result = check(text)
    assert result.codes == ["multi_issue"]
    assert "delivery" in result.reasons[0].evidence and "billing" in result.reasons[0].evidence


def test_two_issues_are_not_multi_issue_by_default() -> None:
    assert not check("Where is my order, and can I return the tee?").escalate


@pytest.mark.parametrize(
    "text",
    [
        "Love it!!! Thanks so much!",
        "No rush and I'm not upset, just wondering where my parcel is",
        "Can I talk about sizing?",
        "end",
        "cancel my order",
        "I live in Scunthorpe",
        "Do you have the shiitake print? And a cocktail dress? I need to assess the class of fabric.",
        "What if I pick the wrong size?",
        "I don't need to talk to a person, just the tracking link",
        "No need for a human, thanks, that answers it",
        "My friend Sue loves the dress",
        "Is the tennis court skirt in stock?",
        "Where is my order #1001?",
        "AMAZING service, THANK YOU!!",
        "Is this bizarre print by Zaragoza designers?",
        "My UPS tracking number says delivered",
        "Do you have other colours?",
        "Can I order another one?",
        "I'd like to report a problem with my order",
        "Tell me a joke",
        "Does the jacket have marks and spencer style buttons",
        "what holes does the belt have",
    ],
)
def test_near_misses_do_not_escalate(text: str) -> None:
    assert check(text) == TriageResult()


def test_disabled_trigger_does_not_escalate() -> None:
    rules = EscalationRules(triggers=Triggers(profanity=False))
    assert not triage(["this is sh1t"], [], rules).escalate


def test_frustration_threshold_is_configurable() -> None:
    strict = EscalationRules(frustration_threshold=-0.1)
    assert triage(["I'm a bit disappointed"], [], strict).codes == ["frustration"]
    assert not check("I'm a bit disappointed").escalate


def test_new_messages_are_triaged_together() -> None:
    result = triage(["hi", "it arrived broken", "I want a human"], [], RULES)
    assert set(result.codes) == {"damaged_item", "human_requested"}


def fallback(text: str = "Sorry, I couldn't find an answer to that.") -> PriorMessage:
    return PriorMessage(author="ai", text=text, fallback=True)


def test_same_question_after_a_fallback_is_repeated_failure() -> None:
    recent = [PriorMessage("customer", "Do you price match gift wrap fees?"), fallback()]
    result = check("Do you price match the gift wrap fee?", recent)
    assert result.codes == ["repeated_failure"]
    assert "gift wrap" in result.reasons[0].evidence


def test_two_fallbacks_in_a_row_is_repeated_failure() -> None:
    recent = [PriorMessage("customer", "a"), fallback(), PriorMessage("customer", "b"), fallback()]
    assert check("something else entirely", recent).codes == ["repeated_failure"]


def test_new_question_after_one_fallback_is_not_repeated_failure() -> None:
    recent = [PriorMessage("customer", "Do you price match gift wrap fees?"), fallback()]
    assert not check("Where is my order?", recent).escalate


def test_fallback_followed_by_a_good_answer_resets() -> None:
    recent = [
        PriorMessage("customer", "q"),
        fallback(),
        PriorMessage("customer", "q"),
        PriorMessage("ai", "Here you go"),
    ]
    assert not check("q", recent).escalate


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.text(max_size=400), max_size=3))
def test_triage_never_raises_on_arbitrary_text(texts: list[str]) -> None:
    result = triage(texts, [PriorMessage("customer", "x"), fallback()], RULES)
    assert result.escalate == bool(result.reasons)
