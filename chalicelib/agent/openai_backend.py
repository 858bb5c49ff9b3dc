"""The OpenAI backend: Chat Completions with tools, after triage; any failure escalates."""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Any

from chalicelib.agent.base import Escalation, Reason, TurnContext, TurnResult
from chalicelib.agent.guardrails import promises_human, reveals, triage_turn, unbacked_claims
from chalicelib.agent.prompts import conversation_messages, system_prompt
from chalicelib.agent.rules import with_holding
from chalicelib.agent.tool_choice import tools_for
from chalicelib.agent.tool_schemas import ToolCallError, invoke, schemas_for
from chalicelib.agent.understanding import Understanding, catalog_names, understand
from chalicelib.agent.voice import fit_to_channel, holding_reply
from chalicelib.config.settings import Settings
from chalicelib.config.store_config import StoreConfig
from chalicelib.domain.errors import TransientError
from chalicelib.runtime.observability import logger

if TYPE_CHECKING:
    from openai import OpenAI
    from openai.types.chat import ChatCompletion

MAX_TOOL_ROUNDS = 4
MAX_REPLY_TOKENS = 600
MAX_CLIENT_TIMEOUT = 20.0
CANNOT_SHARE = (
    "Sorry, I can't share that. I can help with orders, shipping, returns, sizing and products."
)


class ModelFailure(Exception):
    """The model timed out, failed, refused, or answered with something unusable."""


class OpenAIAgent:
    """Answers with an OpenAI-compatible model calling the customer's tools."""

    def __init__(self, settings: Settings, config: StoreConfig) -> None:
        self.settings = settings
        self.config = config
        self._client: OpenAI | None = None
        self._building = threading.Lock()
        self._warming: threading.Thread | None = None

    @property
    def client(self) -> OpenAI:
        """The official client, imported on first use or by `warm` (a large import)."""
        with self._building:
            if self._client is None:
                import openai

                self._client = openai.OpenAI(
                    api_key=self.settings.openai_api_key or "unset",
                    base_url=self.settings.openai_base_url,
                    timeout=min(self.settings.openai_timeout_seconds, MAX_CLIENT_TIMEOUT),
                    max_retries=self.settings.openai_max_retries,
                )
            return self._client

    def warm(self) -> None:
        """Build the client in the background: its import overlaps the turn's storage calls."""
        if self._client is None and self._warming is None:
            self._warming = threading.Thread(target=self._warm, name="openai-client", daemon=True)
            self._warming.start()

    def _warm(self) -> None:
        with contextlib.suppress(Exception):  # the first call builds it again, and says why
            self.client  # noqa: B018

    def respond(self, context: TurnContext) -> TurnResult:
        """Triage first; then the model with tools; a holding reply and escalation on failure."""
        understood = understand(context.text, catalog_names(self.config.catalog))
        intent = understood.intent.value
        escalation = triage_turn(context, self.config.escalation, understood)
        if escalation:
            return self._result(context, "", intent, escalation)
        try:
            text = self._converse(context, understood)
        except TransientError:
            raise
        except Exception as failure:  # never silence: whatever broke, a person takes over
            why = (
                str(failure)[:200] if isinstance(failure, ModelFailure) else type(failure).__name__
            )
            logger.warning("ai unavailable", extra={"why": why})
            return self._result(context, "", intent, _unavailable(context, why))
        return self._checked(context, text, intent)

    def _converse(self, context: TurnContext, understood: Understanding) -> str:
        """Up to MAX_TOOL_ROUNDS rounds of tool calls, then the final answer, within the budget."""
        messages = conversation_messages(self.config, context, understood)
        tools = schemas_for(tools_for(understood))
        spent = 0
        for round_number in range(MAX_TOOL_ROUNDS + 1):
            final = round_number == MAX_TOOL_ROUNDS
            completion = self._complete(messages, tools, final)
            spent += completion.usage.total_tokens if completion.usage else 0
            if spent > self.settings.openai_turn_token_budget:
                raise ModelFailure("token budget exceeded")
            choice = completion.choices[0]
            message = choice.message
            if message.refusal:
                raise ModelFailure("the model refused")
            if not message.tool_calls:
                return _final_text(choice)
            messages.append(message.model_dump(exclude_none=True))
            messages += [_tool_message(context, call) for call in message.tool_calls]
        raise ModelFailure(f"more than {MAX_TOOL_ROUNDS} tool rounds")

    def _complete(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]], final: bool
    ) -> ChatCompletion:
        """One Chat Completions call with the turn's tools; the last round may not call tools."""
        import openai

        try:
            return self.client.chat.completions.create(  # type: ignore[call-overload]
                model=self.settings.openai_model,
                messages=messages,
                tools=tools,
                tool_choice="none" if final else "auto",
                max_completion_tokens=MAX_REPLY_TOKENS,
            )
        except openai.OpenAIError as error:
            raise ModelFailure(f"model call failed: {type(error).__name__}") from None

    def _checked(self, context: TurnContext, text: str, intent: str) -> TurnResult:
        """The model's answer after the output guardrails: no leaks, no unbacked human promise."""
        if reveals(text, self._secrets(), system_prompt(self.config, context.channel)):
            logger.warning("reply withheld: it quoted instructions or a secret")
            return self._result(context, CANNOT_SHARE, intent, context.tools.escalation, True)
        escalation = context.tools.escalation
        unbacked = unbacked_claims(text, context.tools.actions)
        if unbacked:  # the model said it did what no tool did: a person answers instead
            logger.warning("reply withheld: it claimed an action", extra={"claims": unbacked})
            evidence = f"the reply claimed {', '.join(unbacked)}, which no tool did: {text[:200]}"
            found = [
                *(escalation.reasons if escalation else []),
                Reason("low_confidence", evidence),
            ]
            summary = f"The AI's answer was withheld. Customer wrote: {context.text[:300]}"
            summary = escalation.summary if escalation else summary
            held = Escalation(found, summary, "Tell the customer what was and was not done.")
            return self._result(context, "", intent, held, True)
        if promises_human(text) and escalation is None:
            evidence = "the reply promised a person"
            escalation = Escalation([Reason("low_confidence", evidence)], text[:300])
        return self._result(context, text, intent, escalation)

    def _secrets(self) -> list[str]:
        """Values that must never appear in a reply."""
        s = self.settings
        keys = [s.openai_api_key, s.chat_session_secret, s.chat_identity_secret]
        keys += [s.twilio_auth_token, s.shopify_webhook_secret, *s.store_api_keys]
        return [*keys, *s.helpdesk_api_keys]

    def _result(
        self,
        context: TurnContext,
        text: str,
        intent: str,
        escalation: Escalation | None,
        fallback: bool = False,
    ) -> TurnResult:
        """The reply in the channel's length, with the holding reply whenever a person takes over."""
        tools = context.tools
        decided = escalation or tools.escalation
        reply = fit_to_channel(self.config, context.channel, text)
        if decided:
            sla, zone = self.settings.human_sla_seconds, context.conversation.meta.get("time_zone")
            holding = holding_reply(self.config, context.channel, sla, time_zone=zone)
            answer = "" if promises_human(text) else text
            reply = with_holding(self.config, context, answer, holding)
        return TurnResult(
            reply=reply,
            tools=tools.calls,
            sources=tools.sources,
            actions=tools.actions,
            escalation=decided,
            fallback=fallback,
            intent=intent,
        )


def _final_text(choice: Any) -> str:
    """The assistant's text answer; an empty or cut-off one is a failure."""
    text = (choice.message.content or "").strip()
    if choice.finish_reason not in (None, "stop"):
        raise ModelFailure(f"the answer ended with {choice.finish_reason}")
    if not text:
        raise ModelFailure("the model gave an empty answer")
    return text


def _tool_message(context: TurnContext, call: Any) -> dict[str, Any]:
    """Run one tool call; its output (or error) as the tool message the model reads next."""
    try:
        output = invoke(context.tools, call.function.name, call.function.arguments)
    except ToolCallError as error:
        raise ModelFailure(str(error)) from None
    return {"role": "tool", "tool_call_id": call.id, "content": output}


def _unavailable(context: TurnContext, why: str) -> Escalation:
    """The escalation when the model cannot answer: ai_unavailable, plus any reasons already found."""
    found = context.tools.escalation
    reasons = [Reason("ai_unavailable", why), *(found.reasons if found else [])]
    summary = f"The AI could not answer ({why}). Customer wrote: {context.text[:300]}"
    return Escalation(reasons, summary, "Answer the customer's message directly.")
