"""The sections of the store's policy file, each a strict pydantic model (unknown keys are errors)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from chalicelib.domain.vocabulary import Channel

Priority = Literal["low", "normal", "high", "urgent"]
PRIORITY_ORDER: tuple[Priority, ...] = ("low", "normal", "high", "urgent")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ReasonCode = Literal[
    "human_requested",
    "frustration",
    "profanity",
    "competitor_mention",
    "damaged_item",
    "multi_issue",
    "discount_judgment",
    "legal_or_chargeback",
    "repeated_failure",
    "ai_unavailable",
    "low_confidence",
]
Text = Annotated[str, Field(min_length=1)]


def _time_zone(name: str) -> str:
    """An IANA time zone name that this machine knows."""
    try:
        ZoneInfo(name)
    except (KeyError, ValueError) as error:
        raise ValueError(f"unknown IANA time zone {name!r}") from error
    return name


# Validation context: the file's templates were parsed when the package was built (its checked
# snapshot, store_config.py); the same bytes parse the same way with the same Jinja2.
TEMPLATES_CHECKED = "templates_checked"


def _jinja_template(source: str, info: ValidationInfo) -> str:
    """A Jinja2 template string that parses (checked once, at deploy, for a packaged file)."""
    if info.context and info.context.get(TEMPLATES_CHECKED):
        return source
    from jinja2 import Environment, TemplateSyntaxError

    try:
        Environment(autoescape=False).parse(source)  # noqa: S701 - plain text, escaped per channel
    except TemplateSyntaxError as error:
        raise ValueError(f"bad Jinja2 template: {error.message} (line {error.lineno})") from error
    return source


TimeZone = Annotated[str, AfterValidator(_time_zone)]
Template = Annotated[str, Field(min_length=1), AfterValidator(_jinja_template)]


class Section(BaseModel):
    """Base of every section: unknown keys are errors, so a typo never goes unnoticed."""

    # Built on first validation: a packaged config is unpickled from its checked snapshot
    # (store_config.py), so a cold start builds none of the sections' validators (~20 ms).
    model_config = ConfigDict(extra="forbid", defer_build=True)


class BrandVoice(Section):
    """How replies sound and how long they may be on each channel."""

    tone: Text
    sign_off: str = ""
    max_reply_chars: dict[Channel, Annotated[int, Field(ge=20, le=10_000)]]


class BusinessHours(Section):
    """When humans work; escalations outside these hours still get the SLA promise."""

    time_zone: TimeZone
    days: list[Weekday] = Field(min_length=1)
    opens: time
    closes: time


class QuietHours(Section):
    """No proactive message (follow-ups) between `start` and `end`, customer's time zone if known."""

    start: time
    end: time
    time_zone: TimeZone


class Triggers(Section):
    """Which triage guardrails escalate; each is on unless turned off."""

    human_requested: bool = True
    frustration: bool = True
    profanity: bool = True
    competitor_mention: bool = True
    damaged_item: bool = True
    multi_issue: bool = True
    legal_or_chargeback: bool = True
    repeated_failure: bool = True


class PriorityRules(Section):
    """An escalation's priority: the highest of its reasons' and the customer's tier's."""

    default: Priority = "normal"
    by_reason: dict[ReasonCode, Priority] = Field(default_factory=dict)
    by_loyalty_tier: dict[str, Priority] = Field(default_factory=dict)

    def priority_for(self, codes: Iterable[str], tier: str | None) -> Priority:
        """The highest priority among the reasons', the tier's and the default."""
        by_reason: dict[str, Priority] = {
            str(code): level for code, level in self.by_reason.items()
        }
        found = [by_reason.get(code, self.default) for code in codes]
        found += [self.by_loyalty_tier.get(tier or "", self.default), self.default]
        return max(found, key=PRIORITY_ORDER.index)


class EscalationRules(Section):
    """When the AI hands a conversation to a human, and how urgently."""

    competitors: list[Text] = Field(default_factory=list)
    triggers: Triggers = Field(default_factory=Triggers)
    frustration_threshold: float = Field(default=-0.6, ge=-1, le=0)
    multi_issue_min: int = Field(default=3, ge=2)
    human_sla_seconds: int | None = Field(default=None, gt=0)
    priority: PriorityRules = Field(default_factory=PriorityRules)


class DiscountCode(Section):
    """One code the AI may apply: a percent or an amount off, never both."""

    code: Text
    percent: float | None = Field(default=None, gt=0, le=100)
    amount: float | None = Field(default=None, gt=0)
    min_cart_total: float = Field(default=0, ge=0)
    once_per_customer: bool = True

    @model_validator(mode="after")
    def _percent_or_amount(self) -> DiscountCode:
        if (self.percent is None) == (self.amount is None):
            raise ValueError("give exactly one of percent, amount")
        return self


class DiscountPolicy(Section):
    """Which codes each loyalty tier may get; stacking with points is a human's call."""

    by_loyalty_tier: dict[str, list[DiscountCode]] = Field(default_factory=dict)
    stacking_with_points: Literal["escalate", "deny"] = "escalate"

    def codes_for(self, tier: str | None) -> list[DiscountCode]:
        """The codes a customer of this tier may get (tier `default` when none)."""
        return self.by_loyalty_tier.get(tier or "default", [])


class WhatsAppTemplate(Section):
    """An approved WhatsApp template: Twilio Content SID and the names of its variables, in order."""

    content_sid: Annotated[str, Field(pattern=r"^HX[0-9a-fA-F]{32}$")]
    variables: list[str] = Field(default_factory=list)


class WhatsAppTemplates(Section):
    """Templates used outside WhatsApp's 24-hour window, by purpose."""

    reply: WhatsAppTemplate
    followup: WhatsAppTemplate
    csat: WhatsAppTemplate


class Texts(Section):
    """Fixed texts the store words itself."""

    help: Text
    opt_out_confirmation: Text
    opt_in_confirmation: Text
    csat_question: Text
    holding_reply: Text = Field(description="after an escalation; {respond_by} is filled in")


class FollowUpRules(Section):
    """When follow-ups are scheduled and what they say."""

    delay_seconds: int | None = Field(default=None, gt=0)
    on_interest_not_bought: bool = True
    email_subject: Template
    email_body: Template
    text_body: Template


class KnowledgeArticle(Section):
    """A policy or FAQ article seeded into the knowledge base."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: Text
    body: Text
    version: int = Field(default=1, ge=1)
