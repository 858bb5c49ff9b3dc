"""Hostile JSON bodies on every JSON route, through the app and moto: a 4xx, never a 500."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.commerce.shopify_webhooks import webhook_headers
from tests.harness import Pipeline

STORE = {"X-Api-Key": "dev-store-key"}
HELPDESK = {"X-Api-Key": "dev-helpdesk-key"}
DEEP_ARRAY = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"text":' * 5_000 + b'"x"' + b"}" * 5_000
HUGE_INT = b'{"text": "hi", "visitor_id": ' + b"9" * 5_000 + b"}"
HOSTILE: dict[str, bytes] = {
    "deep_array": DEEP_ARRAY,
    "deep_object": DEEP_OBJECT,
    "deep_in_field": b'{"text": "hi", "visitor_id": ' + b"[" * 3000 + b"]" * 3000 + b"}",
    "huge_int": HUGE_INT,
    "huge_int_alone": b"1" + b"0" * 4400,
    "huge_float": b'{"text": 1e999999}',
    "huge_exponent": b'{"text": "hi", "client_message_id": 1e300}',
    "nan": b'{"text": NaN}',
    "lone_surrogate": b'{"text": "hi \\ud800 there", "visitor_id": "\\udfff"}',
    "surrogate_key": b'{"\\ud800": 1, "text": "x"}',
    "duplicate_keys": b'{"text": "a", "text": "b"}',
    "not_utf8": b'{"text": "\xff\xfe"}',
    "nul": b'{"text": "\\u0000"}',
    "empty": b"",
    "array": b"[1, 2, 3]",
}


def json_routes(pipeline: Pipeline) -> list[tuple[str, str, dict[str, str]]]:
    """Every route that reads a JSON body, with what gets a request past its auth check."""
    opened = pipeline.post_json("/chat/sessions", {}).json_body
    bearer = {"Authorization": f"Bearer {opened['token']}"}
    conversation = "conv_unknown"
    return [
        ("POST", "/events", STORE),
        ("PUT", "/kb/articles/returns", HELPDESK),
        ("POST", "/chat/sessions", {}),
        ("POST", f"/chat/sessions/{opened['session_id']}/messages", bearer),
        ("POST", f"/conversations/{conversation}/replies", HELPDESK),
        ("POST", f"/conversations/{conversation}/resolve", HELPDESK),
        ("POST", f"/conversations/{conversation}/release", HELPDESK),
        ("POST", f"/conversations/{conversation}/feedback", HELPDESK),
        ("POST", f"/conversations/{conversation}/scenario", HELPDESK),
        ("POST", "/webhooks/shopify", {}),
    ]


def send(pipeline: Pipeline, method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
    """One request through the app; Shopify's signed with the webhook secret."""
    headers = {"Content-Type": "application/json", **headers}
    if path == "/webhooks/shopify":
        secret = pipeline.env["SHOPIFY_WEBHOOK_SECRET"]
        headers = webhook_headers(body, "customers/update", secret)
    return pipeline.client.http.request(method, path, headers=headers, body=body)


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_json_gets_a_4xx_on_every_json_route(pipeline: Pipeline, case: str) -> None:
    statuses = {}
    for method, path, headers in json_routes(pipeline):
        response = send(pipeline, method, path, headers, HOSTILE[case])
        statuses[path] = response.status_code
        assert response.status_code < 500, (path, response.body[:300])
    assert pipeline.get("/health").status_code == 200, statuses


@pytest.mark.parametrize("case", ["deep_array", "huge_int", "lone_surrogate", "duplicate_keys"])
def test_hostile_json_answers_400_naming_the_body(pipeline: Pipeline, case: str) -> None:
    response = send(pipeline, "POST", "/chat/sessions", {}, HOSTILE[case])
    assert response.status_code == 400, response.body
    assert json.loads(response.body)["error"]["code"] == "bad_request"


def test_lone_surrogate_in_a_chat_message_is_400_and_nothing_is_stored(
    pipeline: Pipeline,
) -> None:
    opened = pipeline.post_json("/chat/sessions", {}).json_body
    path = f"/chat/sessions/{opened['session_id']}/messages"
    bearer = {"Authorization": f"Bearer {opened['token']}"}
    body = b'{"text": "where is my order \\ud83d"}'
    assert send(pipeline, "POST", path, bearer, body).status_code == 400
    transcript = pipeline.get(path, bearer).json_body
    assert transcript["messages"] == []


def hostile_value(depth: int = 3) -> st.SearchStrategy[Any]:
    """JSON-ish values with surrogates, big numbers and odd strings."""
    leaves = st.one_of(
        st.text(alphabet=st.characters(codec=None), max_size=20),
        st.integers(min_value=-(10**60), max_value=10**60),
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from(["\ud800", "\udfff", "\x00", "a\ud83d", 10**50, 1e308]),
        st.booleans(),
        st.none(),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )


def encoded(value: Any) -> bytes:
    """JSON text of a value; surrogates escaped as JSON writes them (\\udXXX)."""
    return json.dumps(value).encode("utf-8")


@given(body=st.one_of(hostile_value().map(encoded), st.binary(max_size=64)))
@settings(max_examples=60, suppress_health_check=list(HealthCheck), deadline=None)
def test_fuzzed_bodies_never_get_a_500(pipeline: Pipeline, body: bytes) -> None:
    counts: Counter[int] = Counter()
    for method, path, headers in json_routes(pipeline):
        response = send(pipeline, method, path, headers, body)
        counts[response.status_code // 100] += 1
        assert response.status_code < 500, (path, body[:200], response.body[:300])
