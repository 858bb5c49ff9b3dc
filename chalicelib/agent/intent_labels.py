"""The intents the understanding step tells apart (the classifier's labels)."""

from __future__ import annotations

from enum import StrEnum


class Label(StrEnum):
    """What a customer's message is about."""

    ORDER_STATUS = "order_status"
    DELIVERY_TIME = "delivery_time"
    RETURNS_POLICY = "returns_policy"
    REFUND_STATUS = "refund_status"
    CANCEL_OR_CHANGE = "cancel_or_change"
    ADDRESS_CHANGE = "address_change"
    SHIPPING_OPTIONS = "shipping_options"
    PAYMENT = "payment"
    PRODUCT_QUESTION = "product_question"
    RECOMMENDATION = "recommendation"
    DISCOUNT = "discount"
    INTEREST = "interest"
    REMINDER = "reminder"
    SMALL_TALK = "small_talk"
    STORE_HOURS = "store_hours"
    HUMAN_REQUEST = "human_request"
    COMPLAINT = "complaint"
    DAMAGED_ITEM = "damaged_item"
    COMPETITOR = "competitor"
    LEGAL_OR_CHARGEBACK = "legal_or_chargeback"
    MULTI_ISSUE = "multi_issue"
    OUT_OF_SCOPE = "out_of_scope"


# A person should take these over: the escalation reason code each one gives.
ESCALATING: dict[Label, str] = {
    Label.HUMAN_REQUEST: "human_requested",
    Label.COMPLAINT: "frustration",
    Label.DAMAGED_ITEM: "damaged_item",
    Label.COMPETITOR: "competitor_mention",
    Label.LEGAL_OR_CHARGEBACK: "legal_or_chargeback",
    Label.MULTI_ISSUE: "multi_issue",
}
