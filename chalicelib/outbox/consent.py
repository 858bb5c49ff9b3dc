"""STOP, START and HELP on SMS and WhatsApp: answered by rule in the worker, never by the agent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.channels.twilio.channel import Keyword, classify_keyword
from chalicelib.config.store_sections import Texts
from chalicelib.domain.conversations import Conversation, StoredMessage
from chalicelib.domain.messages import Author, Channel, InboundMessage, iso, utcnow
from chalicelib.domain.profiles import CustomerBundle
from chalicelib.runtime.observability import logger
from chalicelib.store.consent import ConsentStore, is_opted_out

if TYPE_CHECKING:
    from chalicelib.outbox.sending import Outbox
    from chalicelib.store.conversations import ConversationRepository

MEDIA = {Channel.SMS: "sms", Channel.WHATSAPP: "whatsapp"}


class ConsentKeywords:
    """Marks compliance keywords on inbound messages, records consent, sends the fixed answers."""

    def __init__(
        self,
        consent: ConsentStore,
        conversations: ConversationRepository,
        outbox: Outbox,
        texts: Texts,
    ) -> None:
        self.consent = consent
        self.conversations = conversations
        self.outbox = outbox
        self.texts = texts

    def mark(self, inbound: list[InboundMessage], bundle: CustomerBundle) -> None:
        """Set `meta.keyword` on the keywords of a turn, in order (a START only when opted out)."""
        medium = MEDIA.get(inbound[0].channel) if inbound else None
        if medium is None:
            return
        opted_out = is_opted_out(bundle.profile, medium)
        for message in inbound:
            keyword = classify_keyword(message.text)
            # "Yes" is an everyday answer: it is an opt-in only for an address that opted out.
            if keyword is Keyword.OPT_IN and not opted_out:
                keyword = None
            if keyword is not None:
                message.meta = {**message.meta, "keyword": keyword.value}
                opted_out = {Keyword.OPT_OUT: True, Keyword.OPT_IN: False}.get(keyword, opted_out)

    def apply(self, conversation: Conversation, message_ids: list[str]) -> None:
        """Record the consent changes of the turn's keywords and send their answers (idempotent)."""
        medium = MEDIA.get(conversation.channel)
        found = [conversation.message(message_id) for message_id in message_ids]
        keywords = [m for m in found if m and m.meta.get("keyword")]
        if medium is None or not keywords or not conversation.customer_id:
            return
        for message in keywords:
            keyword = Keyword(message.meta["keyword"])
            if keyword is not Keyword.HELP:
                self.consent.record(conversation.customer_id, medium, keyword is Keyword.OPT_OUT)
                logger.info("consent changed", extra={"keyword": keyword.value, "medium": medium})
            self._answer(conversation, message, keyword)

    def _answer(self, conversation: Conversation, message: StoredMessage, keyword: Keyword) -> None:
        """Send the store's fixed answer, when the keyword gets one on this channel."""
        text = self._answer_text(conversation.channel, keyword)
        if text is None:
            return
        reply = conversation.message(f"{message.message_id}.k") or self._record(
            conversation, message, keyword, text
        )
        if reply.status == "pending":
            self.outbox.deliver(conversation, reply)

    def _answer_text(self, channel: Channel, keyword: Keyword) -> str | None:
        """HELP gets the help text; on WhatsApp (no carrier handling) STOP and START get theirs."""
        if keyword is Keyword.HELP:
            return self.texts.help
        if channel is not Channel.WHATSAPP:
            return None  # Twilio itself confirms STOP and START on SMS
        if keyword is Keyword.OPT_OUT:
            return self.texts.opt_out_confirmation
        return self.texts.opt_in_confirmation

    def _record(
        self, conversation: Conversation, message: StoredMessage, keyword: Keyword, text: str
    ) -> StoredMessage:
        """The answer, recorded before it is sent (its id derives from the keyword message)."""
        reply = StoredMessage(
            message_id=f"{message.message_id}.k",
            author=Author.AI,
            text=text,
            created_at=iso(utcnow()),
            status="pending",
            in_reply_to=[message.message_id],
            meta={"keyword": keyword.value, "compliance": keyword is Keyword.OPT_OUT},
        )
        if self.conversations.add_message(conversation.conversation_id, reply):
            conversation.messages.append(reply)
            return reply
        fresh = self.conversations.load(conversation.conversation_id)
        return (fresh.message(reply.message_id) if fresh else None) or reply
