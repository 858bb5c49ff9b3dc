"""A burst through the whole local pipeline (rules backend): webhook to sent reply, order kept.

The webhook and the worker run at once, as their two Lambdas do: one thread posts the burst through
the API handler as fast as it can, this thread polls the FIFO inbound queue into the worker handler
(one poller, as the local stack runs it) until the burst is posted and the queue is empty.
"""

from __future__ import annotations

import itertools
import os
import resource
import statistics
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from bench.calls import post_sms
from bench.world import MotoProcess, TimedTwilioApi

QUESTION = "question {number}: how long does shipping take?"


@dataclass
class Thread:
    """One conversation as it ended: its questions' numbers as stored, and its replies as sent."""

    stored: list[int] = field(default_factory=list)
    # (Twilio's SID, the question numbers it answers), in the order Twilio received them
    replies: list[tuple[str, list[int]]] = field(default_factory=list)


def phone(conversation: int) -> str:
    """A distinct US test number per conversation."""
    return f"+1415600{conversation:04d}"


def sid(n: int) -> str:
    """The MessageSid of the burst's message number `n`."""
    return f"SM{n:032d}"


def burst(
    pipeline: Any, twilio: TimedTwilioApi, moto: MotoProcess, messages: int, conversations: int
) -> dict[str, Any]:
    """Post the burst while the worker drains it; wall time, latency, order and CPU by process."""
    from tests.harness import seed_store

    seed_store(pipeline)  # the store's articles: shipping questions get answers, not hand-offs
    twilio.reset()
    posted: dict[str, float] = {}
    cpu: dict[str, float] = {}
    moto_start, app_start, wall = moto.cpu_seconds(), time.process_time(), time.perf_counter()
    poster = threading.Thread(
        target=post_burst, args=(pipeline, messages, conversations, posted, cpu)
    )
    poster.start()
    cpu["worker"] = work_until_posted_and_empty(pipeline, poster)
    wall = time.perf_counter() - wall
    load = os.getloadavg()[0]  # others' work on the machine stretches the wall clock, not the CPU
    moto_cpu, app_cpu = moto.cpu_seconds() - moto_start, time.process_time() - app_start
    threads = replies_by_conversation(pipeline, twilio, conversations)
    verdict = check_order(threads, messages, conversations)
    latencies = latencies_ms(threads, twilio, posted, conversations)
    handler = cpu["webhook"] + cpu["worker"]
    per_message = 1000 / messages
    return {
        "messages": messages,
        "conversations": conversations,
        "seconds": round(wall, 2),
        "messages_per_second": round(messages / wall, 1),
        "latency_ms_p50": round(statistics.median(latencies), 1) if latencies else None,
        "latency_ms_p95": round(percentile(latencies, 95), 1) if latencies else None,
        "replies_sent": len(twilio.messages),
        **verdict,
        "handler_cpu_ms_per_message": round(handler * per_message, 2),
        "webhook_cpu_ms_per_message": round(cpu["webhook"] * per_message, 2),
        "worker_cpu_ms_per_message": round(cpu["worker"] * per_message, 2),
        "fake_twilio_cpu_ms_per_message": round((app_cpu - handler) * per_message, 2),
        "moto_cpu_ms_per_message": round(moto_cpu * per_message, 2),
        "moto_peak_rss_mb": moto.peak_rss_mb(),
        "app_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "cores": os.cpu_count(),
        "load_average_1m_at_end": round(load, 2),
    }


def post_burst(
    pipeline: Any,
    messages: int,
    conversations: int,
    posted: dict[str, float],
    cpu: dict[str, float],
) -> None:
    """The webhook's side: every message, round-robin over the conversations; its thread's CPU."""
    start = time.thread_time()
    for n in range(messages):
        posted[sid(n)] = time.perf_counter()
        text = QUESTION.format(number=n // conversations)
        post_sms(pipeline, sid(n), text, phone(n % conversations))
    cpu["webhook"] = time.thread_time() - start


def work_until_posted_and_empty(pipeline: Any, poster: threading.Thread) -> float:
    """The worker's side: poll until a poll begun after the last post finds nothing; its CPU."""
    import app
    from dev.emulators import SqsEventSource

    url = pipeline.env["INBOUND_QUEUE_URL"]
    source = SqsEventSource(pipeline.sqs(), url, app.inbound_worker, "inbound_worker")
    start = time.thread_time()
    while True:
        posting = poster.is_alive()
        if source.poll_once(wait_seconds=1 if posting else 0) == 0 and not posting:
            break
    poster.join()
    return time.thread_time() - start


def replies_by_conversation(
    pipeline: Any, twilio: TimedTwilioApi, conversations: int
) -> list[Thread]:
    """Each conversation's questions and replies.

    A question's number is in its text; a reply is found from Twilio's SID through the stored
    provider-id reference, and what it answers from its stored `in_reply_to`.
    """
    from chalicelib.domain.messages import Author
    from chalicelib.store import keys

    services, found = pipeline.services, []
    for who in range(conversations):
        customer = services.customers.load(services.customers.resolve("phone", phone(who)))
        conversation = services.conversations.load(customer.threads[f"sms#{phone(who)}"])
        number = {
            m.message_id: int(m.text.split()[1].rstrip(":"))
            for m in conversation.messages
            if m.author is Author.CUSTOMER
        }
        by_sk = {m.sk: m for m in conversation.messages}
        thread = Thread(stored=list(number.values()))
        for sent in (m for m in twilio.messages if m["to"] == phone(who)):
            ref = services.table.get(keys.sent_ref_pk(sent["sid"]), keys.SENT_REF) or {}
            reply = by_sk.get(str(ref.get("sk")))
            answers = [number[i] for i in reply.in_reply_to if i in number] if reply else []
            thread.replies.append((str(sent["sid"]), sorted(answers)))
        found.append(thread)
    return found


def check_order(threads: list[Thread], messages: int, conversations: int) -> dict[str, Any]:
    """Order kept: each conversation's questions stored in the order sent, and its replies, in the
    order Twilio received them, answer disjoint runs of questions that only move forward (every
    question a reply answers comes after every question an earlier reply answered). All answered:
    every question is answered by a sent reply (a hand-off to a human is not an answer here).
    """
    out_of_order: list[int] = []
    unanswered = 0
    for who, thread in enumerate(threads):
        expected = [q for q in range(messages) if q * conversations + who < messages]
        runs = [answers for _, answers in thread.replies if answers]
        forward = all(max(a) < min(b) for a, b in itertools.pairwise(runs))
        if thread.stored != expected or not forward:
            out_of_order.append(who)
        unanswered += len(set(expected) - {q for run in runs for q in run})
    return {
        "order_kept": not out_of_order,
        "conversations_out_of_order": out_of_order[:10],
        "all_answered": unanswered == 0,
        "unanswered": unanswered,
    }


def latencies_ms(
    threads: list[Thread],
    twilio: TimedTwilioApi,
    posted: dict[str, float],
    conversations: int,
) -> list[float]:
    """For each answered message: from its webhook call to Twilio receiving its (first) reply."""
    found = []
    for who, thread in enumerate(threads):
        first: dict[int, float] = {}
        for reply_sid, answers in thread.replies:
            for question in answers:
                first.setdefault(question, twilio.received_at[reply_sid])
        for question, at in first.items():
            found.append((at - posted[sid(question * conversations + who)]) * 1000)
    return found


def percentile(values: list[float], p: int) -> float:
    """The p-th percentile (inclusive method; the single value for one)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]
