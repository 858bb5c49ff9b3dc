"""GET /openapi.json: every route documented, valid OpenAPI 3.1; forged credentials and big bodies."""

from __future__ import annotations

import json
from typing import Any

import pytest
from openapi_spec_validator import validate

import app
from chalicelib.http.openapi import openapi_document
from chalicelib.http.routes import FORM, Operation
from tests.harness import Pipeline

FORGED: dict[str, dict[str, str]] = {
    "storeApiKey": {"X-Api-Key": "not-a-store-key"},
    "helpdeskApiKey": {"X-Api-Key": "dev-store-key"},  # a real key, of the wrong kind
    "chatSession": {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged"},
    "twilioSignature": {"X-Twilio-Signature": "Zm9yZ2VkIHNpZ25hdHVyZQ=="},
    "shopifyHmac": {"X-Shopify-Hmac-Sha256": "Zm9yZ2Vk", "X-Shopify-Topic": "orders/create"},
}
OPERATIONS = app.api.operations
SECURED = [op for op in OPERATIONS if op.security]


def concrete(path: str) -> str:
    """The path with its parameters filled in."""
    return path.replace("{", "x").replace("}", "")


def request(pipeline: Pipeline, op: Operation, headers: dict[str, str], body: bytes) -> Any:
    """Send the operation through the app's HTTP handler."""
    content_type = FORM if op.request_type == FORM else "application/json"
    merged = {"Content-Type": content_type, **headers}
    sent = body if op.request is not None else None
    return pipeline.client.http.request(op.method, concrete(op.path), headers=merged, body=sent)


def test_every_route_is_in_the_document() -> None:
    paths = openapi_document(app.api.operations)["paths"]
    for path, methods in app.app.routes.items():
        for method, entry in methods.items():
            if entry.view_name == "method_not_allowed":  # the contract's 405 (edge_errors.py)
                continue
            assert method.lower() in paths.get(path, {}), f"{method} {path}"


def test_document_is_valid_openapi_31() -> None:
    document = openapi_document(app.api.operations)
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert set(document["components"]["securitySchemes"]) == set(FORGED)


def test_document_is_served(pipeline: Pipeline) -> None:
    response = pipeline.get("/openapi.json")
    assert response.status_code == 200
    assert json.loads(response.body)["paths"]["/webhooks/twilio"]["post"]["security"]


@pytest.mark.parametrize("op", SECURED, ids=lambda op: f"{op.method} {op.path}")
def test_forged_credentials_are_refused(pipeline: Pipeline, op: Operation) -> None:
    body = b"MessageSid=SM1&From=%2B1&MessageStatus=sent" if op.request_type == FORM else b"{}"
    response = request(pipeline, op, FORGED[op.security or ""], body)
    assert response.status_code in (401, 403), response.body
    assert json.loads(response.body)["error"]["code"] in ("unauthorized", "forbidden")


@pytest.mark.parametrize("op", SECURED, ids=lambda op: f"{op.method} {op.path}")
def test_missing_credentials_are_refused(pipeline: Pipeline, op: Operation) -> None:
    body = b"MessageSid=SM1&From=%2B1" if op.request_type == FORM else b"{}"
    assert request(pipeline, op, {}, body).status_code in (401, 403)


BODIES = [op for op in OPERATIONS if op.request is not None]


@pytest.mark.parametrize("op", BODIES, ids=lambda op: f"{op.method} {op.path}")
def test_oversized_bodies_get_413(pipeline: Pipeline, op: Operation) -> None:
    big = b"a=" + b"x" * (1100 * 1024) if op.request_type == FORM else b'"' + b"x" * 1100_000 + b'"'
    response = request(pipeline, op, {}, big)
    assert response.status_code in (401, 403, 413), (response.status_code, response.body[:200])
    if op.security is None:
        assert response.status_code == 413
