"""Where a refund stands: the rules backend answers from the refunds on the customer's order."""

from __future__ import annotations

import pytest

from chalicelib.domain.profiles import CustomerBundle
from training import agent_run
from training.agent_run import AgentRun

SHOPPER = agent_run.shopper


def refunded(amount: float) -> CustomerBundle:
    """The eval shopper, with a refund on her order #1001 (Shopify refunds/create)."""
    bundle = SHOPPER()
    bundle.orders[0].refunds = [{"refund_id": "r-1", "amount": amount, "currency": "USD"}]
    return bundle


def test_no_refund_yet_is_said_with_the_refund_time() -> None:
    result = AgentRun().answer("has my refund gone through yet?")
    assert result.reply.startswith("I don't see a refund on your order #1001 yet.")
    assert "within 5 business days" in result.reply
    assert not result.fallback


def test_a_refund_on_the_order_is_named_with_its_amount(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(agent_run, "shopper", lambda: refunded(39.5))
    result = AgentRun().answer("where is my refund?")
    assert result.reply.startswith("A refund of 39.50 USD has been issued on your order #1001.")


def test_a_refund_problem_no_article_answers_gets_the_offer_of_a_person(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(agent_run, "shopper", lambda: refunded(40))
    result = AgentRun().answer("I only got part of my refund back")
    assert result.reply.startswith("A refund of 40 USD has been issued on your order #1001.")
    assert "pass this to a person" in result.reply
    assert "Refunds go back" not in result.reply  # the refund time does not answer this
