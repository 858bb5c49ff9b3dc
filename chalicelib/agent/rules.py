"""The offline rules backend: triage, then deterministic answers from the customer's own tools."""

from __future__ import annotations

from chalicelib.agent.base import Escalation, TurnContext, TurnResult
from chalicelib.agent.guardrails import triage_turn
from chalicelib.agent.intents import Intent, IntentKind, classify_intent
from chalicelib.agent.rules_answers import RULES, Answer, known_code
from chalicelib.agent.voice import as_sent, fit_to_channel, holding_reply
from chalicelib.store_config import StoreConfig, load_store_config

DEFAULT_SLA_SECONDS = 86400


class RulesAgent:
    """Answers order status, policies, products, discounts and reminders; escalates per triage."""

    def __init__(
        self, config: StoreConfig | None = None, sla_seconds: int = DEFAULT_SLA_SECONDS
    ) -> None:
        self.config = config or load_store_config()
        self.sla_seconds = sla_seconds

    def respond(self, context: TurnContext) -> TurnResult:
        """Answer the customer's new messages."""
        intent = classify_intent(context.text)
        if intent.kind is IntentKind.OTHER and known_code(context.text, self.config):
            intent = Intent(kind=IntentKind.DISCOUNT)
        escalation = triage_turn(context, self.config.escalation)
        if escalation:
            return self._result(context, Answer(""), intent.kind.value, escalation=escalation)
        answer = RULES[intent.kind](context, intent, self.config)
        return self._result(context, answer, intent.kind.value)

    def _result(
        self,
        context: TurnContext,
        answer: Answer,
        intent: str,
        escalation: Escalation | None = None,
    ) -> TurnResult:
        """The reply with everything the tools recorded; a holding reply when escalating."""
        tools = context.tools
        decided = escalation or tools.escalation
        text = fit_to_channel(self.config, context.channel, answer.text)
        if decided:
            zone = context.conversation.meta.get("time_zone")  # the web chat shopper's own
            holding = holding_reply(self.config, context.channel, self.sla_seconds, time_zone=zone)
            text = with_holding(self.config, context, answer.text, holding)
        return TurnResult(
            reply=text,
            tools=tools.calls,
            sources=tools.sources,
            actions=tools.actions,
            escalation=decided,
            fallback=answer.fallback and not decided,
            intent=intent,
        )


def with_holding(config: StoreConfig, context: TurnContext, text: str, holding: str) -> str:
    """The answer followed by the holding reply; the holding reply alone when both do not fit."""
    limit = config.brand_voice.max_reply_chars.get(context.channel, 600)
    combined = as_sent(context.channel, f"{text} {holding}")
    return combined if len(combined) <= limit else holding
