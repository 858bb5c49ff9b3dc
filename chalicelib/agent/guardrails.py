"""Guardrails shared by both backends: triage before answering, checks on what goes out."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from chalicelib.agent.base import Escalation, Reason, TurnContext
from chalicelib.agent.triage import PriorMessage, triage
from chalicelib.config.store_config import EscalationRules
from chalicelib.runtime.patterns import lazy

if TYPE_CHECKING:
    from chalicelib.agent.understanding import Understanding

PROMISES_HUMAN = lazy(
    r"\b(?:a|our)\s+(?:person|human|team\s+member|colleague|specialist|support\s+team|agent)\b"
    r"[^.?!]{0,40}\b(?:will|shall|is\s+going\s+to)\b"
    r"|\b(?:escalat\w+|hand(?:ed|ing)?\s+(?:this|you)\s+over|pass(?:ed|ing)?\s+(?:this|it)\s+(?:on|to))\b"
    r"|\bsomeone\s+(?:will|from\s+our\s+team)\b",
    re.IGNORECASE,
)
SHINGLE_WORDS = 8
I_DID = (
    r"\b(?:I'?ve|I\s+have|I\s+just|I'?ll|I\s+will|I'?m\s+going\s+to)\s+"
    r"(?:now\s+|just\s+|also\s+|gone\s+ahead\s+and\s+)?"
)
IT_IS = r"\b(?:has|have|is|was|'s)\s+(?:now\s+|just\s+|successfully\s+)?(?:been\s+)?"
# What a reply may say only when a tool did it this turn (the action it recorded), by action type.
CLAIMS: dict[str, re.Pattern[str]] = {
    "discount_applied": lazy(
        rf"{I_DID}(?:applied|apply)\b"
        rf"|{I_DID}(?:added|add)\b[^.?!]{{0,50}}"
        r"(?:\b(?:code|discount|coupon|off)\b|\d+\s?%|(?-i:\b[A-Z][A-Z0-9]*\d[A-Z0-9]*\b))"
        rf"|\b(?:code|discount|coupon)\b[^.?!]{{0,40}}{IT_IS}(?:applied|added|activated)\b"
        rf"|{IT_IS}applied\b[^.?!]{{0,20}}\b(?:cart|order|checkout|total|basket)",
        re.IGNORECASE,
    ),
    "follow_up_scheduled": lazy(
        rf"{I_DID}(?:remind|follow\s+up|notify|let\s+you\s+know|message\s+you|be\s+in\s+touch"
        rf"|(?:set|scheduled|booked|created)\b[^.?!]{{0,20}}\b(?:reminder|follow[- ]?up))"
        rf"|\b(?:reminder|follow[- ]?up)\b[^.?!]{{0,20}}{IT_IS}(?:set|scheduled|booked|created)\b",
        re.IGNORECASE,
    ),
    "interest_recorded": lazy(
        rf"{I_DID}(?:noted|saved|recorded|added|logged)\b[^.?!]{{0,30}}\b(?:interest|wish\s?list)",
        re.IGNORECASE,
    ),
}
# What no tool can do: an order cancelled or changed, a refund or an address change, by the AI.
NO_TOOL_DOES = lazy(
    rf"{I_DID}(?:cancel+(?:ed)?|refunded|refund|changed|change|updated|update(?!\s+you)|issued|issue|"
    r"processed|process|modified|modify|arranged|arrange|placed|place|reserved|reserve|"
    r"added|add)\b[^.?!]{0,40}"
    r"\b(?:order|address|refund|return|replacement|exchange|label|shipping|cart|basket|size)",
    re.IGNORECASE,
)


def prior_messages(context: TurnContext) -> list[PriorMessage]:
    """The conversation before the new messages, as triage reads it (AI fallbacks marked)."""
    return [
        PriorMessage(m.author.value, m.text, bool(m.meta.get("fallback")))
        for m in context.history()
    ]


def triage_turn(
    context: TurnContext, rules: EscalationRules, understood: Understanding | None = None
) -> Escalation | None:
    """Escalate before any answer when a guardrail trips, with every reason found."""
    if understood is None:
        from chalicelib.agent.understanding import understand

        understood = understand(context.text)
    texts = [m.text for m in context.new_messages]
    verdict = triage(texts, prior_messages(context), rules, understood)
    if not verdict.escalate:
        return None
    reasons = [Reason(reason.code, reason.evidence) for reason in verdict.reasons]
    summary = f"Triage: {', '.join(verdict.codes)}. Customer wrote: {context.text[:300]}"
    return Escalation(reasons, summary, "Read the transcript and answer the customer directly.")


def promises_human(reply: str) -> bool:
    """Whether a reply tells the customer a person will follow up."""
    return bool(PROMISES_HUMAN.search(reply))


def unbacked_claims(reply: str, actions: Iterable[dict[str, Any]]) -> list[str]:
    """What a reply says was done (applied, scheduled, noted, cancelled...) that no tool did."""
    reply = reply.replace("\u2019", "'")  # a model's curly apostrophe
    done = {str(action.get("type")) for action in actions}
    found = [kind for kind, claim in CLAIMS.items() if kind not in done and claim.search(reply)]
    discount = CLAIMS["discount_applied"]
    changes = [
        claim.group(0)
        for claim in NO_TOOL_DOES.finditer(reply)
        if not ("discount_applied" in done and discount.search(claim.group(0)))
    ]
    return found + (["order_change"] if changes else [])


def _shingles(text: str) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def reveals(reply: str, secrets: Iterable[str], instructions: str) -> bool:
    """Whether a reply quotes a secret or a run of the system prompt's words."""
    if any(secret and len(secret) >= 8 and secret in reply for secret in secrets):
        return True
    return bool(_shingles(reply) & _shingles(instructions))
