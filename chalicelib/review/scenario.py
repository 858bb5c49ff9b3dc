"""A reviewed conversation and its correct answer as a simulation scenario (DESIGN.md's YAML format).

Contact details are replaced by placeholders so the file can go into `simulations/`; a reviewer
still reads it before committing (customers write personal things in their messages).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from chalicelib.domain.conversations import Conversation, StoredMessage
from chalicelib.domain.profiles import CustomerBundle
from chalicelib.domain.vocabulary import Author

PLACEHOLDER_EMAIL = "customer@example.com"
PLACEHOLDER_PHONE = "+15005550006"
PROFILE_KEYS = ("first_name", "loyalty_tier", "loyalty_points", "consent")
MAX_FACTS = 5
AMOUNT = re.compile(
    r"(?<!\w)[$€£]?\d[\d,.]*%?(?:\s+(?:business\s+)?(?:days?|hours?|weeks?|months?|years?))?"
    r"(?:\s+(?-i:[A-Z]{3}))?(?!\w)",  # `5 USD`: a currency code after the number
    re.I,
)
# Moments: a holding reply's `Mon 07 Dec, 8:56 PM EST` is not a fact the answer got wrong.
MOMENT = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+\d{1,2}\s+[a-z]{3}\w*,?"
    r"|\b\d{1,2}:\d{2}(?:\s?[ap]m)?(?:\s+[A-Z]{2,5}\b)?",
    re.I,
)
CODE = re.compile(r"\b(?:[A-Z][A-Z0-9]{2,}|(?=\w*\d)(?=\w*[A-Za-z])\w{4,})\b")
SENTENCE = re.compile(r"(?<=[.!?])\s+")


def key_facts(text: str) -> list[str]:
    """The checkable facts of an answer: amounts and durations, codes, names mid-sentence."""
    amounts = [m.group(0).rstrip(".,") for m in AMOUNT.finditer(text)]
    found = [a for a in amounts if len(a) > 1]
    found += CODE.findall(text)
    for sentence in SENTENCE.split(text):
        words = [w.strip(".,;:!?()\"'") for w in sentence.split()[1:]]
        found += [w for w in words if len(w) > 1 and w[0].isupper()]
    if not found:
        found = sorted((w.strip(".,;:!?") for w in text.split()), key=len, reverse=True)[:2]
    unique: list[str] = []
    for fact in found:
        if fact and not any(fact.lower() in u.lower() for u in unique):
            unique.append(fact)
    return unique[:MAX_FACTS]


def wrong_facts(reply: str, correct: str) -> list[str]:
    """Amounts in the bad reply that the correct answer does not contain."""
    good = correct.lower()
    bad = [m.group(0).rstrip(".,") for m in AMOUNT.finditer(MOMENT.sub(" ", reply))]
    return [fact for fact in dict.fromkeys(bad) if fact.lower() not in good][:MAX_FACTS]


def expectations(feedback: dict[str, Any], message: StoredMessage) -> dict[str, Any]:
    """What the reviewed turn must do now, built from the feedback's correct answer."""
    category, correct = feedback["category"], feedback.get("correct_answer") or ""
    if category == "should_have_escalated":
        return {"escalated": True}
    expect: dict[str, Any] = {"reply_contains": key_facts(correct)} if correct else {}
    if category == "should_not_have_escalated":
        expect["escalated"] = False
    excluded = wrong_facts(message.text, correct) if correct else []
    if excluded:
        expect["reply_excludes"] = excluded
    # No `tools`: the tools the bad answer used are not a requirement of the right one.
    return expect


def _customer(bundle: CustomerBundle) -> dict[str, Any]:
    profile = {key: bundle.profile[key] for key in PROFILE_KEYS if key in bundle.profile}
    profile.update(email=PLACEHOLDER_EMAIL, phone=PLACEHOLDER_PHONE)
    orders = [order.model_dump(mode="json") for order in bundle.orders_newest_first()]
    return {"profile": profile, "orders": orders, "cart": bundle.cart}


def _masked(text: str, bundle: CustomerBundle, address: str) -> str:
    for real, placeholder in (
        (str(bundle.profile.get("email") or ""), PLACEHOLDER_EMAIL),
        (str(bundle.profile.get("phone") or ""), PLACEHOLDER_PHONE),
        (address.removeprefix("whatsapp:"), PLACEHOLDER_PHONE),
    ):
        if len(real) > 4:
            text = text.replace(real, placeholder)
    return text


def _turns(
    conversation: Conversation, reviewed: StoredMessage, bundle: CustomerBundle
) -> list[dict[str, Any]]:
    """One turn per reply up to the reviewed one: the customer's words it answered."""
    turns: list[dict[str, Any]] = []
    for reply in conversation.messages:
        if reply.author is Author.CUSTOMER or reply.meta.get("kind") == "csat":
            continue
        asked = [conversation.message(mid) for mid in reply.in_reply_to]
        words = "\n".join(m.text for m in asked if m and m.author is Author.CUSTOMER)
        if words:
            turns.append({"customer": _masked(words, bundle, conversation.address), "expect": {}})
        if reply.message_id == reviewed.message_id:
            break
    return turns


def build_scenario(
    conversation: Conversation,
    bundle: CustomerBundle,
    feedback: dict[str, Any],
    reviewed: StoredMessage,
) -> dict[str, Any]:
    """The scenario as a dict in the contract's shape."""
    turns = _turns(conversation, reviewed, bundle)
    if turns:
        turns[-1]["expect"] = expectations(feedback, reviewed)
    suffix = conversation.conversation_id.removeprefix("conv_")[:12]
    return {
        "name": f"review-{feedback['category'].replace('_', '-')}-{suffix}",
        "channel": conversation.channel.value,
        "verified": conversation.verified,
        "customer": _customer(bundle),
        "others": [],
        "turns": turns,
    }


def scenario_yaml(scenario: dict[str, Any], conversation_id: str) -> str:
    """The scenario as YAML, with a header saying where it came from."""
    header = (
        f"# From reviewed conversation {conversation_id}: a fixed miss stays fixed.\n"
        "# Check it for personal data before committing it to simulations/.\n"
    )
    return header + yaml.safe_dump(scenario, sort_keys=False, allow_unicode=True, width=100)
