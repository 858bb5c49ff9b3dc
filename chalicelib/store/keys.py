"""The single-table key design, in one place (DESIGN.md, "Data")."""

from __future__ import annotations


def customer_pk(customer_id: str) -> str:
    """Partition of everything about one customer."""
    return f"CUSTOMER#{customer_id}"


PROFILE = "PROFILE"
CART = "CART"
META = "META"


def order_sk(placed_at: str, order_id: str) -> str:
    """An order, sorted by when it was placed."""
    return f"ORDER#{placed_at}#{order_id}"


def order_ref_pk(order_id: str) -> str:
    """Where an order id points to its customer and sort key."""
    return f"ORDERREF#{order_id}"


def event_sk(timestamp: str, event_id: str) -> str:
    """A recent customer event (TTL)."""
    return f"EVENT#{timestamp}#{event_id}"


def followup_sk(followup_id: str) -> str:
    """A follow-up of a customer."""
    return f"FOLLOWUP#{followup_id}"


def thread_sk(channel: str, address: str) -> str:
    """The customer's current conversation on one channel address."""
    return f"THREAD#{channel}#{address}"


def identity_pk(kind: str, value: str) -> str:
    """A unique identity (email, phone, whatsapp, customer, visitor) of one profile."""
    return f"IDENTITY#{kind}#{value}"


IDENTITY = "IDENTITY"


def conversation_pk(conversation_id: str) -> str:
    """Partition of a conversation: META plus its messages."""
    return f"CONV#{conversation_id}"


def message_sk(created_at: str, message_id: str) -> str:
    """A message in a conversation, in time order."""
    return f"MSG#{created_at}#{message_id}"


def flag_sk(flag: str) -> str:
    """A review flag of a conversation, written once (GSI2: `FLAG#<flag>` by time)."""
    return f"FLAG#{flag}"


def feedback_sk(created_at: str, feedback_id: str) -> str:
    """A reviewer's feedback on one message of a conversation."""
    return f"FEEDBACK#{created_at}#{feedback_id}"


def started_gsi(created_at: str) -> str:
    """GSI2 partition of conversation METAs by the UTC day they started (metrics read days)."""
    return f"DAY#{created_at[:10]}"


MISSES_GSI = "MISSES"  # GSI2 partition: every feedback item, by time
IDLE = "IDLE"  # an AI-owned conversation waiting to be resolved if the customer stays quiet
IDLE_GSI = "IDLE#ai"  # GSI2 partition of IDLE items, by when they fall due


def seen_pk(source: str, external_id: str) -> str:
    """A dedupe key of a provider's delivery id (TTL)."""
    return f"SEEN#{source}#{external_id}"


SEEN = "SEEN"


def sent_ref_pk(provider_id: str) -> str:
    """Where a provider's id of a message we sent (a Twilio Sid) points to that message."""
    return f"SENT#{provider_id}"


SENT_REF = "SENT"


def product_pk(sku: str) -> str:
    """A catalog product."""
    return f"PRODUCT#{sku}"


PRODUCT = "PRODUCT"
CATALOG_PK = "CATALOG"


def article_pk(article_id: str) -> str:
    """A knowledge article; its versions are `V#<n>`."""
    return f"KB#{article_id}"


def customer_conversations_gsi(customer_id: str) -> str:
    """GSI1 partition: a customer's conversations by time."""
    return f"CUSTOMER#{customer_id}"


def flag_gsi(flag: str) -> str:
    """GSI2 partition: conversations with a review flag, by time."""
    return f"FLAG#{flag}"


def mail_id_pk(key: str) -> str:
    """Where an email Message-ID (ours as SES names it, or a customer's) points to its conversation."""
    return f"MAILID#{key}"


MAIL_ID = "MAILID"


def escalation_sk(escalation_id: str) -> str:
    """An escalation of a conversation: its packet, written once before it is queued."""
    return f"ESCALATION#{escalation_id}"


def pending_followup_sk(sku: str) -> str:
    """The lock that allows one pending follow-up per customer and product."""
    return f"PENDING#FOLLOWUP#{sku}"
