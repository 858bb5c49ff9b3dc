"""Cost per 1,000 conversations on AWS from the counted calls (us-east-1 list prices, no free tier)."""

from __future__ import annotations

from typing import Any

# Public us-east-1 list prices (USD), checked against the AWS price pages; excluding LLM and Twilio.
PRICES = {
    "api_gateway_request": 3.50 / 1e6,  # REST API
    "lambda_request": 0.20 / 1e6,
    "lambda_gb_second": 0.0000166667,  # x86
    "dynamodb_write": 0.625 / 1e6,  # on demand, per write request unit
    "dynamodb_read": 0.125 / 1e6,  # per read request unit
    "sqs_fifo_request": 0.50 / 1e6,
    "scheduler_invocation": 1.00 / 1e6,
}
# A conversation: 3 customer SMS, 3 replies, 2 status callbacks per reply, 30% a follow-up.
TURNS, CALLBACKS, FOLLOWUPS = 3, 6, 0.3
READS = ("GetItem", "Query")


def per_conversation(calls: dict[str, Any], worker_ms: float, api_ms: float) -> dict[str, float]:
    """Request counts of one conversation from the measured calls of a first and a later turn."""
    turns = [calls["first"]] + [calls["follow_up"]] * (TURNS - 1)
    ops = [op for turn in turns for op, n in turn["worker_calls"].items() for _ in range(n)]
    ops += [op for turn in turns for op, n in turn["webhook_calls"].items() for _ in range(n)]
    # A transaction costs 2 write units per item it writes (counted as the worker made them).
    plain = sum(1 for op in ops if _write(op) and not op.endswith("TransactWriteItems"))
    writes = plain + sum(2 * items for turn in turns for items in turn["transaction_items"])
    return {
        "api_gateway_requests": TURNS + CALLBACKS,
        "lambda_requests": TURNS * 2 + CALLBACKS + FOLLOWUPS,
        "lambda_gb_seconds": (TURNS + CALLBACKS) * 0.5 * api_ms / 1000
        + TURNS * 1.0 * worker_ms / 1000,
        "dynamodb_writes": writes + CALLBACKS * 2,
        "dynamodb_reads": sum(1 for op in ops if op.endswith(READS)) + CALLBACKS,
        "sqs_requests": sum(1 for op in ops if op.startswith("sqs.")) + TURNS * 2,
        "scheduler_invocations": FOLLOWUPS,
    }


def _write(op: str) -> bool:
    return op.startswith("dynamodb.") and not op.endswith(READS)


def per_thousand(counts: dict[str, float]) -> dict[str, float]:
    """USD per 1,000 conversations, by item."""
    price_of = {
        "api_gateway_requests": "api_gateway_request",
        "lambda_requests": "lambda_request",
        "lambda_gb_seconds": "lambda_gb_second",
        "dynamodb_writes": "dynamodb_write",
        "dynamodb_reads": "dynamodb_read",
        "sqs_requests": "sqs_fifo_request",
        "scheduler_invocations": "scheduler_invocation",
    }
    costs = {
        item: round(counts[item] * PRICES[price] * 1000, 4) for item, price in price_of.items()
    }
    return {**costs, "total": round(sum(costs.values()), 3)}
