"""Test agents: the real triage guardrails in front of the rules backend, and one that blocks."""

from __future__ import annotations

import threading

from chalicelib.agent.base import Escalation, Reason, TurnContext, TurnResult
from chalicelib.agent.rules import RulesAgent
from chalicelib.agent.triage import triage
from chalicelib.config.store_config import load_store_config

HOLDING_REPLY = "I'm sorry about that. A person from our team will reply soon; no need to repeat."


class TriageAgent:
    """Escalates with the triage's reasons and a holding reply; otherwise answers like `rules`."""

    def __init__(self) -> None:
        self.rules = RulesAgent()
        self.escalation = load_store_config().escalation
        self.contexts: list[TurnContext] = []

    def respond(self, context: TurnContext) -> TurnResult:
        """Answer, or hand over to a human when a guardrail trips."""
        self.contexts.append(context)
        verdict = triage([context.text], [], self.escalation)
        if not verdict.escalate:
            return self.rules.respond(context)
        reasons = [Reason(r.code, r.evidence) for r in verdict.reasons]
        summary = f"The customer reports: {context.text}"
        escalation = Escalation(reasons, summary, "Offer a replacement or a refund.")
        return TurnResult(HOLDING_REPLY, escalation=escalation, intent="escalated")


class BlockingAgent(TriageAgent):
    """Waits inside `respond` until released, so a test can act while a turn is in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.proceed = threading.Event()

    def respond(self, context: TurnContext) -> TurnResult:
        """Signal entry, wait for the test, then answer."""
        self.entered.set()
        self.proceed.wait(timeout=30)
        return super().respond(context)
