"""Composition root: builds settings, AWS clients and services once per cold start."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any

from chalicelib.domain.messages import Channel
from chalicelib.settings import Settings, get_settings
from chalicelib.store.session import AWS_LOCK as _AWS_LOCK
from chalicelib.store.session import boto3_session
from chalicelib.store.table import Table

if TYPE_CHECKING:  # each handler imports only what it uses (cold starts)
    from chalicelib.agent.base import Agent
    from chalicelib.outbox import ChannelSender, Outbox
    from chalicelib.store_config import StoreConfig


@dataclass
class Services:
    """The parts of Tandem, built lazily so each handler pays only for what it uses."""

    settings: Settings
    overrides: dict[str, Any] = field(default_factory=dict)

    def _aws(self, service: str, kind: str = "client") -> Any:
        with _AWS_LOCK:  # a boto3 session is not thread-safe; its clients are
            session = self._boto3_session
            factory = session.resource if kind == "resource" else session.client
            return factory(
                service,
                region_name=self.settings.aws_region,
                endpoint_url=self.settings.aws_endpoint_url,
            )

    @cached_property
    def _boto3_session(self) -> Any:
        """One session for every client (the secrets' too): its loader reads endpoints and
        models once."""
        return boto3_session()

    @cached_property
    def store_config(self) -> StoreConfig:
        """The store's policy file (STORE_CONFIG), or the bundled demo config."""
        if "store_config" in self.overrides:
            config: StoreConfig = self.overrides["store_config"]
            return config
        from chalicelib.store_config import load_store_config

        return load_store_config(self.settings.store_config)

    @cached_property
    def table(self) -> Table:
        """The single DynamoDB table."""
        return Table(self._aws("dynamodb"), self.settings.table_name)

    @cached_property
    def sqs(self) -> Any:
        """The SQS client."""
        return self._aws("sqs")

    @cached_property
    def customers(self) -> Any:
        """Customer profiles, identities, orders, carts."""
        from chalicelib.store.customers import CustomerRepository

        return CustomerRepository(self.table)

    @cached_property
    def conversations(self) -> Any:
        """Conversations and messages."""
        from chalicelib.store.conversations import ConversationRepository

        return ConversationRepository(self.table, self.message_facts)

    @cached_property
    def dedupe(self) -> Any:
        """Dedupe keys of provider deliveries and store events."""
        from chalicelib.store.dedupe import DedupeStore

        return DedupeStore(self.table)

    @cached_property
    def catalog(self) -> Any:
        """The product catalog."""
        from chalicelib.store.catalog import CatalogRepository

        return CatalogRepository(self.table)

    @cached_property
    def knowledge(self) -> Any:
        """Knowledge articles, versioned."""
        from chalicelib.store.knowledge import KnowledgeRepository

        return KnowledgeRepository(self.table)

    @cached_property
    def ingest(self) -> Any:
        """Inbound: dedupe and enqueue."""
        from chalicelib.ingest import Ingest
        from chalicelib.queues import FifoQueue

        return Ingest(self.dedupe, FifoQueue(self.sqs, self.settings.inbound_queue_url))

    @cached_property
    def commerce(self) -> Any:
        """Store events applied to profiles and catalog."""
        from chalicelib.commerce import Commerce

        return Commerce(self.customers, self.catalog, self.dedupe, followups=self.followup_hooks)

    @cached_property
    def shopify(self) -> Any:
        """Shopify webhooks: verified, deduped, applied through commerce."""
        from chalicelib.shopify_webhook import ShopifyWebhooks

        return ShopifyWebhooks(self.settings.shopify_webhook_secret, self.commerce, self.dedupe)

    @cached_property
    def chat(self) -> Any:
        """Web chat sessions."""
        from chalicelib.channels.webchat import ChatSessions

        s = self.settings
        return ChatSessions(
            s.chat_session_secret,
            s.chat_identity_secret,
            s.chat_session_ttl_seconds,
            self.customers,
            self.conversations,
            self.ingest,
        )

    @cached_property
    def senders(self) -> dict[Channel, ChannelSender]:
        """The channel registry: Channel -> sender."""
        if "senders" in self.overrides:
            senders: dict[Channel, ChannelSender] = self.overrides["senders"]
            return senders
        from chalicelib.outbox import LazySender, StoredOnlySender

        registry: dict[Channel, ChannelSender] = {
            Channel.WEBCHAT: StoredOnlySender(),
            Channel.EMAIL: LazySender(lambda: self.email_sender),  # SES client on first email
        }
        registry.update(self.twilio_senders)  # issue 3
        return registry

    @cached_property
    def agent(self) -> Agent:
        """The agent backend chosen by settings."""
        if "agent" in self.overrides:
            agent: Agent = self.overrides["agent"]
            return agent
        if self.settings.backend == "openai":
            from chalicelib.agent.openai_backend import OpenAIAgent

            return OpenAIAgent(self.settings, self.store_config)
        from chalicelib.agent.rules import RulesAgent

        return RulesAgent(self.store_config, self.settings.human_sla_seconds)

    def toolbox(self, bundle: Any, verified: bool, conversation: Any) -> Any:
        """The agent's tools for one turn, bound to the conversation's own customer."""
        from chalicelib.agent.tools import ToolBox, ToolDeps
        from chalicelib.store.discounts import DiscountClaims

        deps = ToolDeps(
            customers=self.customers,
            discounts=DiscountClaims(self.table),
            catalog=self.catalog,
            knowledge=self.knowledge,
            store=self.store_config,
            schedule_follow_up=self.overrides.get("schedule_follow_up")
            or partial(
                self._followups_call,
                "schedule_follow_up",
                conversation_id=conversation.conversation_id,
            ),
            on_interest=partial(
                self._followups_call,
                "interest_recorded",
                conversation_id=conversation.conversation_id,
            ),
            channel=conversation.channel.value,
        )
        return ToolBox(bundle, verified, deps)

    def _followups_call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """A follow-ups method, the follow-ups built when a tool first calls it (not every turn)."""
        return getattr(self.followups, method)(*args, **kwargs)

    def _handoff_call(self, *args: Any) -> None:
        """The handoff hook, built on the first escalation or forward (not every cold start)."""
        self.handoff(*args)

    @cached_property
    def turns(self) -> Any:
        """The agent worker's turn runner."""
        from chalicelib.agent.turn import TurnRunner

        return TurnRunner(
            self.customers,
            self.conversations,
            self.agent,
            self.outbox,
            toolbox=self.toolbox,
            handoff=self._handoff_call,
            keywords=self.keywords,
            review=self.review,
        )

    @cached_property
    def helpdesk_queue(self) -> Any:
        """The helpdesk FIFO queue's typed events."""
        from chalicelib.handoff import HelpdeskQueue
        from chalicelib.queues import FifoQueue

        return HelpdeskQueue(FifoQueue(self.sqs, self.settings.helpdesk_queue_url))

    @cached_property
    def handoff(self) -> Any:
        """The HandoffHook: escalation packets and messages forwarded while a human owns."""
        from chalicelib.handoff import Handoff, HandoffPolicy
        from chalicelib.store.escalations import EscalationRepository

        rules = self.store_config.escalation
        policy = HandoffPolicy(
            rules.human_sla_seconds or self.settings.human_sla_seconds,
            rules.priority,
            self.settings.public_base_url,
        )
        escalations = EscalationRepository(self.table)
        return Handoff(self.conversations, escalations, self.helpdesk_queue, policy)

    @cached_property
    def helpdesk(self) -> Any:
        """The helpdesk API's use cases: read, reply, resolve, release."""
        from chalicelib.helpdesk import Helpdesk

        return Helpdesk(
            self.conversations,
            self.customers,
            self.outbox,
            self.helpdesk_queue,
            on_resolved=self.review.resolved,
        )

    @cached_property
    def outbox(self) -> Outbox:
        """Every send (AI, human, follow-up) goes through it: opt-outs, the WhatsApp window."""
        from chalicelib.outbox import Outbox

        return Outbox(self.conversations, self.senders, self.send_policy, self.delivery)

    # --- Twilio SMS and WhatsApp (issue 3) ---

    @cached_property
    def twilio_senders(self) -> dict[Channel, ChannelSender]:
        """One Twilio sender for SMS and WhatsApp (twilio.rest is imported on the first send)."""
        from chalicelib.channels.twilio_outbound import TwilioSender

        s = self.settings
        sender = TwilioSender(
            account_sid=s.twilio_account_sid,
            auth_token=s.twilio_auth_token,
            sms_from=s.twilio_sms_from or None,
            whatsapp_from=s.twilio_whatsapp_from or None,
            public_base_url=s.public_base_url,
            api_base_url=s.twilio_api_base_url,
        )
        return {Channel.SMS: sender, Channel.WHATSAPP: sender}

    @cached_property
    def consent(self) -> Any:
        """Opt-outs per medium on the profile; an opt-out cancels the follow-ups it now refuses."""
        from chalicelib.store.consent import ConsentStore

        return ConsentStore(self.table, partial(self._followups_call, "consent_changed"))

    @cached_property
    def delivery(self) -> Any:
        """Provider ids of sent messages, and delivery statuses that only move forward."""
        from chalicelib.delivery import DeliveryTracker

        return DeliveryTracker(self.table)

    @cached_property
    def send_policy(self) -> Any:
        """Opt-outs and the WhatsApp window, checked for every send."""
        from chalicelib.send_policy import SendPolicy

        return SendPolicy(self.consent, self.store_config.whatsapp_templates)

    @cached_property
    def keywords(self) -> Any:
        """STOP, START and HELP, answered by rule."""
        from chalicelib.consent import ConsentKeywords

        texts = self.store_config.texts
        return ConsentKeywords(self.consent, self.conversations, self.outbox, texts)

    @cached_property
    def twilio_webhooks(self) -> Any:
        """The Twilio webhooks: signature, dedupe, queue; status callbacks."""
        from chalicelib.twilio_webhooks import TwilioWebhooks

        s = self.settings
        return TwilioWebhooks(s.twilio_auth_token, s.public_base_url, self.ingest, self.delivery)

    # --- email (issue 13) ---

    @cached_property
    def s3(self) -> Any:
        """The S3 client (mail the SES S3 action stored)."""
        return self._aws("s3")

    @cached_property
    def sesv2(self) -> Any:
        """The SES v2 client that sends email."""
        return self.overrides.get("sesv2") or self._aws("sesv2")

    @cached_property
    def mail_threads(self) -> Any:
        """Email Message-IDs -> conversations."""
        from chalicelib.store.mail_threads import MailThreadIndex

        return MailThreadIndex(self.table)

    @cached_property
    def email_sender(self) -> ChannelSender:
        """Threaded replies through SES, signed with the store's sign-off (else its name)."""
        from chalicelib.channels.email_outbound import EmailSender
        from chalicelib.email_threads import ThreadRecordingSender

        s, store = self.settings, self.store_config
        signature = store.brand_voice.sign_off or store.name
        sender = EmailSender(
            self.sesv2, sender=s.email_from, region=s.aws_region, signature=signature
        )
        return ThreadRecordingSender(sender, self.mail_threads)

    @cached_property
    def email_intake(self) -> Any:
        """SES receipt notifications -> dropped with a record, or threaded and ingested."""
        from chalicelib.channels.email_inbound import s3_mail_fetcher
        from chalicelib.email_intake import EmailIntake, bucket_guard
        from chalicelib.email_threads import EmailThreads

        s = self.settings
        fetch = bucket_guard(s3_mail_fetcher(self.s3), s.inbound_email_bucket)
        threads = EmailThreads(self.mail_threads)
        return EmailIntake(
            self.ingest, threads, self.dedupe, own_address=s.email_from, fetch_s3=fetch
        )

    @cached_property
    def followup_parts(self) -> Any:
        """What scheduling and sending follow-ups share (the scheduler client is made on use)."""
        from chalicelib.domain.messages import utcnow
        from chalicelib.followups.parts import FollowUpParts
        from chalicelib.followups.schedules import FollowUpSchedules
        from chalicelib.store.followups import FollowUpRepository

        s = self.settings
        schedules = FollowUpSchedules(
            lambda: self._aws("scheduler"),
            s.followup_schedule_group,
            s.followup_target_arn,
            s.scheduler_role_arn,
            s.followup_dlq_arn,
        )
        records = FollowUpRepository(self.table)
        clock = self.overrides.get("clock", utcnow)
        return FollowUpParts(
            records,
            self.customers,
            self.catalog,
            schedules,
            self.store_config,
            s.followup_delay_seconds,
            clock,
        )

    @cached_property
    def followups(self) -> Any:
        """Schedules and cancels follow-ups; `schedule_follow_up` is the agent tool's callable."""
        from chalicelib.followups import FollowUps

        return FollowUps(self.followup_parts)

    def followup_hooks(self) -> Any:
        """The follow-ups, built only when a store event needs them (orders, consent)."""
        return self.followups

    @cached_property
    def followup_sender(self) -> Any:
        """Sends due follow-ups through the same outbox as every reply."""
        from chalicelib.followups import FollowUpSender, Links

        links = Links(self.settings.public_base_url, self.settings.chat_session_secret)
        return FollowUpSender(self.followup_parts, self.conversations, self.outbox, links)

    @cached_property
    def reviews(self) -> Any:
        """Review flags, feedback, metric facts and idle timers (GSI2)."""
        from chalicelib.store.review import ReviewRepository

        return ReviewRepository(self.table)

    @cached_property
    def message_facts(self) -> Any:
        """Metric facts and flags recorded as messages are stored."""
        from chalicelib.review.facts import MessageFacts

        return MessageFacts(self.reviews, self.settings.ai_idle_resolve_seconds)

    @cached_property
    def review(self) -> Any:
        """Review hooks: escalated, reopened, CSAT, resolved (the helpdesk's resolve calls it)."""
        from chalicelib.review.csat import CsatSurvey
        from chalicelib.review.hooks import ReviewHooks

        question = self.store_config.texts.csat_question
        survey = CsatSurvey(self.conversations, self.reviews, self.outbox, question)
        return ReviewHooks(self.conversations, self.message_facts, survey)

    @cached_property
    def review_desk(self) -> Any:
        """The review API's use cases: queues, feedback, misses, scenarios, metrics, dashboard."""
        from chalicelib.review.desk import ReviewDesk

        return ReviewDesk(self.conversations, self.customers, self.reviews)


_services: Services | None = None


def services() -> Services:
    """The services of this process, built on first use."""
    global _services
    if _services is None:
        settings = get_settings()
        from chalicelib.observability import logger

        logger.setLevel(settings.log_level.upper())
        built = Services(settings)
        if settings.store_config:
            load_configured_store(built)
        _services = built
    return _services


def load_configured_store(built: Services) -> None:
    """Read STORE_CONFIG at cold start: a bad file fails here, naming its key, not mid-turn."""
    from chalicelib.observability import logger
    from chalicelib.store_config import StoreConfigError

    try:
        built.store_config  # noqa: B018  (cached_property: loads and validates once)
    except StoreConfigError as error:
        logger.error("store config invalid", extra={"error": error.message})
        raise


def reset(built: Services | None = None) -> None:
    """Replace the process's services (tests build them with other parts)."""
    global _services
    _services = built
