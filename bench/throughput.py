"""A burst through the whole local pipeline (rules backend): webhook to sent reply, order kept."""

from __future__ import annotations

import time
from typing import Any

from bench.calls import post_sms


def phone(conversation: int) -> str:
    """A distinct US test number per conversation."""
    return f"+1415600{conversation:04d}"


def burst(pipeline: Any, twilio: Any, messages: int, conversations: int) -> dict[str, Any]:
    """Post the burst, drain the queue; wall time and CPU (handlers' thread vs moto's threads)."""
    wall, cpu, mine = time.perf_counter(), time.process_time(), time.thread_time()
    for n in range(messages):
        who = n % conversations
        post_sms(
            pipeline, f"SM{n:032d}", f"question {n // conversations} about my order", phone(who)
        )
    pipeline.drain(rounds=100_000)
    wall, cpu, mine = (
        time.perf_counter() - wall,
        time.process_time() - cpu,
        time.thread_time() - mine,
    )
    order_kept, answered = check_order(pipeline, conversations)
    return {
        "messages": messages,
        "conversations": conversations,
        "seconds": round(wall, 2),
        "messages_per_second": round(messages / wall, 1),
        "handler_cpu_ms_per_message": round(mine * 1000 / messages, 2),
        "moto_cpu_ms_per_message": round((cpu - mine) * 1000 / messages, 2),
        "replies_sent": len(twilio.messages),
        "order_kept": order_kept,
        "all_answered": answered,
    }


def check_order(pipeline: Any, conversations: int) -> tuple[bool, bool]:
    """Every conversation's messages stored in the order sent; each one answered or handed off."""
    from chalicelib.domain.messages import Author

    order_kept = answered = True
    customers = pipeline.services.customers
    for who in range(conversations):
        customer_id = customers.resolve("phone", phone(who))
        thread = customers.load(customer_id).threads[f"sms#{phone(who)}"]
        conversation = pipeline.services.conversations.load(thread)
        texts = [m.text for m in conversation.messages if m.author is Author.CUSTOMER]
        order_kept &= texts == sorted(texts, key=lambda text: int(text.split()[1]))
        replied = {i for m in conversation.messages for i in m.in_reply_to}
        inbound = {m.message_id for m in conversation.messages if m.author is Author.CUSTOMER}
        forwarded = {m.message_id for m in conversation.messages if m.forwarded_at}
        answered &= inbound <= replied | forwarded
    return order_kept, answered
