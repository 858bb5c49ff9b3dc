"""The web-chat channel package: sessions with signed tokens, messages in and out."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from chalicelib.providers.core import Core

if TYPE_CHECKING:
    from chalicelib.channels.ingest import Ingest
    from chalicelib.channels.webchat.sessions import ChatSessions
    from chalicelib.store.conversations import ConversationRepository
    from chalicelib.store.customers import CustomerRepository


class WebchatProvider(Core):
    """Web chat sessions."""

    if TYPE_CHECKING:  # from other providers

        @property
        def customers(self) -> CustomerRepository: ...

        @property
        def conversations(self) -> ConversationRepository: ...

        @property
        def ingest(self) -> Ingest: ...

    @cached_property
    def chat(self) -> ChatSessions:
        """Web chat sessions."""
        from chalicelib.channels.webchat.sessions import ChatSessions

        s = self.settings
        return ChatSessions(
            s.chat_session_secret,
            s.chat_identity_secret,
            s.chat_session_ttl_seconds,
            self.customers,
            self.conversations,
            self.ingest,
        )
