"""Follow-up content: store templates in a sandbox, escaping, missing data, recommendations."""

from __future__ import annotations

import email
import email.policy

import pytest
from jinja2 import TemplateError

from chalicelib.channels.email.outbound import EmailSender
from chalicelib.config.store_config import load_store_config
from chalicelib.domain.followups import FollowUp
from chalicelib.domain.messages import Channel, OutboundMessage
from chalicelib.domain.profiles import CustomerBundle
from chalicelib.followups.content import (
    compose,
    product_view,
    recommendations,
    render,
    template_context,
)

RULES = load_store_config().followups
TEE = {"sku": "TEE", "name": "Tee", "price": 30, "currency": "USD", "url": "https://s/tee"}
FOLLOWUP = FollowUp(
    followup_id="fu_1",
    customer_id="c1",
    sku="TEE",
    requested_channel="webchat",
    channel=Channel.EMAIL,
    due_at="2026-06-15T16:00:00.000Z",
)


def context(first_name: str = "Ava", product: dict[str, object] | None = TEE) -> dict[str, object]:
    bundle = CustomerBundle(customer_id="c1", profile={"first_name": first_name})
    return template_context(bundle, product, FOLLOWUP, [], "https://s/unsubscribe/t")


def test_email_is_greeting_product_link_price_and_unsubscribe() -> None:
    content = compose(RULES, Channel.EMAIL, context())
    assert content.meta["subject"] == "Ava, still thinking about the Tee?"
    assert content.text.startswith("Hi Ava,")
    assert "Tee (30.00 USD)" in content.text and "https://s/tee" in content.text
    assert content.text.endswith("Unsubscribe: https://s/unsubscribe/t")
    assert content.meta["list_unsubscribe"] == "https://s/unsubscribe/t"
    assert content.meta["proactive"] is True


def test_missing_product_and_name_render_without_none() -> None:
    content = compose(RULES, Channel.EMAIL, context(first_name="", product=None))
    assert content.text.startswith("Hi there,")
    assert "the TEE" in content.text and "None" not in content.text
    assert content.meta["subject"] == "Hi, still thinking about the TEE?"
    assert product_view({"name": "Mug"}, "MUG") == {
        "sku": "MUG",
        "name": "Mug",
        "price": "",
        "currency": "",
        "url": "",
    }


def test_markup_in_a_name_stays_text_and_is_escaped_in_the_html_part() -> None:
    evil = '<img src=x onerror="alert(1)">'
    content = compose(RULES, Channel.EMAIL, context(first_name=evil))
    assert content.text.startswith(f"Hi {evil},")  # plain text, as written

    class Capture:
        raw = b""

        def send_email(self, **args: object) -> dict[str, str]:
            Capture.raw = args["Content"]["Raw"]["Data"]  # type: ignore[index]
            return {"MessageId": "m1"}

    sender = EmailSender(Capture(), sender="shop@s.example", region="us-east-1")
    outbound = OutboundMessage(
        message_id="m",
        conversation_id="c",
        channel=Channel.EMAIL,
        recipient="ava@example.com",
        text=content.text,
        meta=content.meta,
    )
    sender.send(outbound)
    mail = email.message_from_bytes(Capture.raw, policy=email.policy.default)
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Hi &lt;img src=x onerror=&quot;alert(1)&quot;&gt;," in html
    assert "<img" not in html


def test_templates_cannot_reach_python_internals() -> None:
    with pytest.raises(TemplateError):
        render("{{ product.__class__.__mro__ }}", context())
    with pytest.raises(TemplateError):
        render("{{ ''.__class__.__subclasses__() }}", {})


def test_text_followup_is_short_with_opt_out_and_whatsapp_variables() -> None:
    content = compose(RULES, Channel.SMS, context())
    assert content.text == (
        "Hi Ava, the Tee you asked about is still in stock: https://s/tee Reply STOP to opt out."
    )
    assert content.meta["template_values"] == {
        "first_name": "Ava",
        "product_name": "Tee",
        "product_url": "https://s/tee",
    }


def test_recommendations_are_two_related_in_stock_not_bought() -> None:
    catalog = [
        {"sku": "A", "name": "A", "categories": ["tops", "linen"], "in_stock": True},
        {"sku": "B", "name": "B", "categories": ["tops"], "in_stock": True},
        {"sku": "C", "name": "C", "categories": ["tops", "linen"], "in_stock": False},
        {"sku": "D", "name": "D", "categories": ["home"], "in_stock": True},
        {"sku": "E", "name": "E", "categories": ["linen", "tops"], "in_stock": True},
        {"sku": "F", "name": "F", "categories": ["linen"], "in_stock": True},
    ]
    product = {"sku": "TEE", "categories": ["tops", "linen"]}
    assert [r["sku"] for r in recommendations(product, catalog, set())] == ["A", "E"]
    assert [r["sku"] for r in recommendations(product, catalog, {"A"})] == ["E", "B"]
    assert recommendations({"sku": "X"}, catalog, set()) == []
