"""Property-based: whatever arrives at /webhooks/shopify, the answer is never a 500."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.commerce.shopify import TOPICS
from chalicelib.commerce.shopify_topics import check_topic_shape
from chalicelib.domain.errors import BadRequestError
from chalicelib.domain.json_body import parse_json
from tests.commerce.shopify_webhooks import body_of, sign
from tests.harness import Pipeline

ASCII = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60)
FIXTURES = ["customer", "order", "fulfillment", "product", "checkout_abandoned"]
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)


@st.composite
def mutated_payloads(draw: st.DrawFn) -> bytes:
    """A real fixture with one top-level field replaced by anything, or removed."""
    payload: dict[str, Any] = json.loads(body_of(draw(st.sampled_from(FIXTURES))))
    key = draw(st.sampled_from(sorted(payload)))
    if draw(st.booleans()):
        payload.pop(key)
    else:
        payload[key] = draw(JSON)
    return json.dumps(payload).encode()


def post(pipeline: Pipeline, headers: dict[str, str], body: bytes) -> Any:
    return pipeline.client.http.post("/webhooks/shopify", headers=headers, body=body)


@SETTINGS
@given(
    body=st.binary(max_size=300),
    headers=st.dictionaries(
        st.sampled_from(["X-Shopify-Topic", "X-Shopify-Hmac-Sha256", "X-Shopify-Webhook-Id"]),
        ASCII,
    ),
)
def test_unsigned_arbitrary_requests_are_refused_never_500(
    pipeline: Pipeline, body: bytes, headers: dict[str, str]
) -> None:
    answer = post(pipeline, {"Content-Type": "application/json", **headers}, body)
    assert answer.status_code == 401


@SETTINGS
@given(
    body=mutated_payloads() | JSON.map(lambda v: json.dumps(v).encode()) | st.binary(max_size=200),
    topic=st.sampled_from(sorted(TOPICS)) | ASCII,
    webhook_id=ASCII,
    shop=st.just("northwind.myshopify.com") | ASCII,
)
def test_signed_arbitrary_payloads_are_acknowledged_or_refused_never_500(
    pipeline: Pipeline, body: bytes, topic: str, webhook_id: str, shop: str
) -> None:
    headers = {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Webhook-Id": webhook_id,
        "X-Shopify-Shop-Domain": shop,
        "X-Shopify-Hmac-Sha256": sign(body, pipeline.env["SHOPIFY_WEBHOOK_SECRET"]),
    }
    answer = post(pipeline, headers, body)
    if shop.lower() != pipeline.env["SHOPIFY_SHOP_DOMAIN"]:
        assert answer.status_code == 403, answer.body  # another shop's webhook
        return
    try:
        payload = parse_json(body)
    except BadRequestError:
        payload = None  # not JSON: acknowledged and ignored
    try:
        check_topic_shape(topic, payload)
    except BadRequestError:  # a body that is not the topic's resource
        assert answer.status_code == 400, answer.body
        return
    assert answer.status_code == 200, answer.body
    assert answer.json_body["status"] in {"applied", "ignored", "duplicate"}
