"""The unbacked-claim guardrail on open-ended text: a claim is found wherever it stands."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.agent.guardrails import unbacked_claims

CLAIMS = {
    "discount_applied": "I've applied GOLD20 for you",
    "follow_up_scheduled": "I'll remind you next week",
    "interest_recorded": "I've noted your interest",
    "order_change": "I have cancelled your order",
}
# Sentences with none of the claims' verbs: what surrounds a claim in a reply.
PLAIN = st.lists(
    st.sampled_from(
        [
            "Thanks for asking",
            "Returns are free within 30 days",
            "Your order #1001 is with UPS",
            "Would you like me to remind you later?",
            "I couldn't apply that code",
            "Anything else?",
        ]
    ),
    max_size=4,
)


@given(kind=st.sampled_from(sorted(CLAIMS)), before=PLAIN, after=PLAIN)
def test_a_claim_is_found_wherever_it_stands_unless_a_tool_did_it(
    kind: str, before: list[str], after: list[str]
) -> None:
    reply = ". ".join([*before, CLAIMS[kind], *after]) + "."
    assert kind in unbacked_claims(reply, [])
    if kind != "order_change":  # no tool changes orders: never backed
        assert kind not in unbacked_claims(reply, [{"type": kind}])


@given(sentences=PLAIN)
def test_replies_without_a_claim_pass(sentences: list[str]) -> None:
    assert unbacked_claims(". ".join(sentences), []) == []


@given(st.text(max_size=400))
def test_any_text_is_checked_without_error(reply: str) -> None:
    assert isinstance(unbacked_claims(reply, [{"type": "discount_applied"}]), list)
