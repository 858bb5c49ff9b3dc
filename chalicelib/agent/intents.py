"""What a customer's message is about, by keyword rules: the offline rules backend's first step."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel

FLAGS = re.IGNORECASE


class IntentKind(StrEnum):
    """The kinds of question the rules backend knows how to answer."""

    ORDER_STATUS = "order_status"
    SHIPPING = "shipping"
    RETURNS = "returns"
    SIZING = "sizing"
    PRODUCT_QUESTION = "product_question"
    RECOMMENDATION = "recommendation"
    DISCOUNT = "discount"
    FOLLOW_UP_REQUEST = "follow_up_request"
    GREETING = "greeting"
    THANKS = "thanks"
    OTHER = "other"


class Intent(BaseModel):
    """A message's intent, with the order number it names, if any."""

    kind: IntentKind
    order_number: str | None = None


ORDER_NUMBER = re.compile(
    r"#\s?(\d{3,})\b|\border\s*(?:number|num|no\.?)?\s*(?:is\s+)?#?\s*(\d{3,})\b", FLAGS
)

# First match wins: the more specific request before the broader topic.
RULES: list[tuple[IntentKind, str]] = [
    (
        IntentKind.FOLLOW_UP_REQUEST,
        r"\bremind\s+me\b|\breminder\b|\bfollow\s+up\s+with\s+me\b|\bnotify\s+me\b"
        r"|\blet\s+me\s+know\s+(?:when|if)\b|\b(?:email|text|message)\s+me\s+(?:later|about|when)\b",
    ),
    (
        IntentKind.ORDER_STATUS,
        r"\bwhere(?:'s|\s+is|\s+are)\s+my\s+(?:order|parcel|package|delivery|stuff)\b"
        r"|\border\s+status\b|\bstatus\s+of\s+my\b|\btrack(?:ing)?\s+(?:my|the|number)\b"
        r"|\b(?:has|did)\s+my\s+(?:order|parcel|package)\b|\bwhen\s+will\s+my\s+(?:order|parcel)\b"
        r"|\bwhen\s+(?:does|will|should)\s+(?:it|they|my\s+\w+)\s+(?:arrive|get\s+here|come)\b",
    ),
    (
        IntentKind.RETURNS,
        r"\breturn(?:s|ing|ed)?\b|\brefund(?:s|ed)?\b|\bexchang(?:e|es|ing)\b|\bsend\s+(?:it\s+)?back\b",
    ),
    (IntentKind.DISCOUNT, r"\bdiscount|\bpromo\b|\bcoupon|\bvoucher|\bcode\b|%\s*off\b|\bsale\b"),
    (
        IntentKind.SIZING,
        r"\bsiz(?:e|es|ing)\b|\bfits?\b|\bfitting\b|\bmeasurements?\b"
        r"|\btoo\s+(?:small|big|large|tight|loose|long|short)\b",
    ),
    (
        IntentKind.SHIPPING,
        r"\bship(?:s|ping|ped)?\b|\bdeliver(?:y|ies|ed)?\b|\bexpress\b|\binternational\b|\bpostage\b",
    ),
    (
        IntentKind.RECOMMENDATION,
        r"\brecommend|\bsuggest|\bgift\b|\blooking\s+for\b|\bsimilar\b|\bgoes\s+with\b"
        r"|\bwhat\s+(?:else|should\s+i)\b|\bideas?\b",
    ),
    (
        IntentKind.PRODUCT_QUESTION,
        r"\bin\s+stock\b|\bavailable\b|\bmaterial\b|\bmade\s+of\b|\bfabric\b|\bdo\s+you\s+(?:have|sell)\b"
        r"|\bhow\s+much\b|\bprice\b|\bcolou?rs?\b|\bwash\b|\bcare\b",
    ),
    (IntentKind.THANKS, r"\bthank|\bthanks\b|\bthx\b|\bcheers\b|\bappreciate"),
    (IntentKind.GREETING, r"^\W*(?:hi|hello|hey|hiya|good\s+(?:morning|afternoon|evening))\b"),
]
SMALL_TALK = frozenset({IntentKind.THANKS, IntentKind.GREETING})
COMPILED = [(kind, re.compile(pattern, FLAGS)) for kind, pattern in RULES]


def order_number(text: str) -> str | None:
    """The order number a message names ('#1001', 'order 1001'), if any."""
    match = ORDER_NUMBER.search(text)
    return (match.group(1) or match.group(2)) if match else None


def classify_intent(text: str) -> Intent:
    """The intent of one message; a bare order number means the customer asks about that order."""
    number = order_number(text)
    for kind, pattern in COMPILED:
        if kind in SMALL_TALK and (number or "?" in text):
            break  # "Thanks! And when can I expect it?" asks something: small talk is no answer
        if pattern.search(text):
            return Intent(kind=kind, order_number=number)
    kind = IntentKind.ORDER_STATUS if number else IntentKind.OTHER
    return Intent(kind=kind, order_number=number)
