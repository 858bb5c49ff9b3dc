"""Every error a client can get at the HTTP edge is the contract's {"error": {"code", "message"}}."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import app
from chalicelib.http.errors import METHODS, allowed
from tests.harness import Pipeline

STORE = {"X-Api-Key": "dev-store-key"}


def error_of(answer: Any) -> dict[str, str]:
    body = json.loads(answer.body)
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    return dict(body["error"])


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", "/events", "POST"),
        ("DELETE", "/health", "GET"),
        ("PUT", "/conversations/c1/replies", "POST"),
    ],
)
def test_a_method_a_path_lacks_gets_405_naming_the_allowed(
    pipeline: Pipeline, method: str, path: str, allow: str
) -> None:
    answer = pipeline.client.http.request(method, path, headers={}, body=b"")
    assert answer.status_code == 405 and answer.headers["Allow"] == allow
    error = error_of(answer)
    assert error["code"] == "method_not_allowed" and f"use {allow}" in error["message"]


def test_a_content_type_a_route_does_not_take_gets_415(pipeline: Pipeline) -> None:
    headers = {"Content-Type": "application/json"}
    answer = pipeline.client.http.request("POST", "/webhooks/twilio", headers=headers, body=b"{}")
    assert answer.status_code == 415
    error = error_of(answer)
    assert error["code"] == "unsupported_media_type"
    assert "send application/x-www-form-urlencoded" in error["message"]


def test_every_path_answers_every_method() -> None:
    for path, entries in app.app.routes.items():
        assert set(METHODS) <= set(entries), path
        assert allowed(app.app.routes, path), path


def test_an_unknown_event_field_is_reported(pipeline: Pipeline) -> None:
    event = {
        "id": "e-typo",
        "type": "customer.upserted",
        "occurred_at": "2026-12-01T10:00:00Z",
        "data": {"customer_id": "c-typo", "email": "typo@example.com", "frist_name": "Ava"},
        "sauce": 1,
    }
    answer = pipeline.post_json("/events", {"events": [event]}, STORE)
    assert answer.status_code == 202
    assert answer.json_body["ignored_fields"] == ["events[0].data.frist_name", "events[0].sauce"]
    single = pipeline.post_json("/events", {**event, "id": "e-typo-2"}, STORE)
    assert single.json_body["ignored_fields"] == ["data.frist_name", "sauce"]


def test_strict_mode_refuses_an_unknown_field_and_stores_nothing(pipeline: Pipeline) -> None:
    event = {
        "id": "e-strict",
        "type": "customer.upserted",
        "occurred_at": "2026-12-01T10:00:00Z",
        "data": {"customer_id": "c-strict", "email": "strict@example.com", "frist_name": "Ava"},
    }
    answer = pipeline.post_json("/events?strict=true", {"events": [event]}, STORE)
    assert answer.status_code == 400
    error = error_of(answer)
    assert (
        error["field"] == "events[0].data.frist_name"
        and "not a field Tandem knows" in error["message"]
    )
    helpdesk = {"X-Api-Key": "dev-helpdesk-key"}
    assert pipeline.get("/customers?email=strict@example.com", helpdesk).status_code == 404
    clean = {**event, "data": {"customer_id": "c-strict", "email": "strict@example.com"}}
    accepted = pipeline.post_json("/events?strict=true", {"events": [clean]}, STORE)
    assert accepted.status_code == 202 and "ignored_fields" not in accepted.json_body
    assert pipeline.post_json("/events?strict=maybe", clean, STORE).status_code == 400


@given(st.dictionaries(st.text(min_size=1, max_size=8), st.integers(), max_size=4))
def test_any_extra_data_key_is_reported_by_its_path(extra: dict[str, int]) -> None:
    from chalicelib.domain.events import parse_event_batch, unknown_fields_of_batch

    data = {"customer_id": "c1", **extra}
    raw = {
        "id": "e",
        "type": "customer.upserted",
        "occurred_at": "2026-12-01T10:00:00Z",
        "data": data,
    }
    try:
        events = parse_event_batch(raw)
    except Exception:  # an extra key that collides with a real field with a bad value: a 400
        return
    found = unknown_fields_of_batch(events, raw)
    from chalicelib.domain.event_data import CustomerUpserted

    known = {f.alias or n for n, f in CustomerUpserted.model_fields.items()}
    assert sorted(found) == sorted(f"data.{k}" for k in extra if k not in known)
