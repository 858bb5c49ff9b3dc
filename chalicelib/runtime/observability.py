"""Structured JSON logs (Powertools Logger): conversation ids yes, personal data never."""

from __future__ import annotations

from aws_lambda_powertools import Logger

logger = Logger(service="tandem")

NAMESPACE = "Tandem"


def count(name: str, value: float = 1, **dimensions: str) -> None:
    """Emit one CloudWatch EMF counter (off when POWERTOOLS_METRICS_DISABLED=true, as in tests)."""
    from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit

    try:
        emf = EphemeralMetrics(namespace=NAMESPACE, service="tandem")
        for key, dimension in dimensions.items():
            emf.add_dimension(name=key, value=dimension or "none")
        emf.add_metric(name=name, unit=MetricUnit.Count, value=value)
        emf.flush_metrics()
    except Exception:  # a metric must never break the work it counts
        logger.warning("metric not emitted", extra={"metric": name})


def count_message_in(channel: str) -> None:
    """A customer message accepted on a channel."""
    count("MessagesIn", channel=channel)


def count_reply_out(channel: str, author: str, status: str) -> None:
    """An outbound message handed to its channel (AI, human, CSAT), by outcome."""
    count("RepliesOut", channel=channel, author=author, status=status)


def count_escalation(reason: str) -> None:
    """A conversation escalated, once per reason code."""
    count("Escalations", reason=reason)


def count_llm_failure(backend: str) -> None:
    """The LLM failed, timed out or answered nonsense (the customer got a holding reply)."""
    count("LlmFailures", backend=backend)


def count_followup_sent(channel: str) -> None:
    """A scheduled follow-up went out."""
    count("FollowupsSent", channel=channel)


def count_csat(score: int) -> None:
    """A CSAT answer was recorded."""
    count("CsatResponses", score=str(score))
