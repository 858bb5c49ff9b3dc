"""Schemathesis against the local stack: generated requests for every operation of /openapi.json."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from twilio.request_validator import RequestValidator

import app
from chalicelib.http.openapi import openapi_document
from dev.stack import LOCAL_DEFAULTS
from tests.harness import RunningStack

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
KEYS = {"storeApiKey": "dev-store-key", "helpdeskApiKey": "dev-helpdesk-key"}


DOCUMENT = openapi_document(app.api.operations)
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)
CASES = [
    (path, method.upper(), mode)
    for path, operations in DOCUMENT["paths"].items()
    for method, operation in operations.items()
    for mode in GenerationMode
    # Negative cases need something to break: a body or a parameter.
    if mode is GenerationMode.POSITIVE or operation.get("requestBody") or operation["parameters"]
]


@cache
def chat_session(api_url: str) -> dict[str, str]:
    """One anonymous web-chat session of the stack."""
    opened = requests.post(f"{api_url}/chat/sessions", json={}, timeout=10)
    return dict(opened.json())


def authenticate(case: Any, api_url: str) -> None:
    """Valid credentials for the operation, so generated bodies get past the auth check."""
    security = case.operation.definition.raw.get("security") or [{}]
    scheme = next(iter(security[0]), None)
    if scheme in KEYS:
        case.headers = {**(case.headers or {}), "X-Api-Key": KEYS[scheme]}
    elif scheme == "chatSession":
        session = chat_session(api_url)
        case.path_parameters = {"session_id": session["session_id"]}
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {session['token']}"}
    elif scheme == "twilioSignature" and isinstance(case.body, dict):
        form = {str(k): str(v) for k, v in case.body.items()}
        case.body = form
        url = api_url + case.formatted_path
        signed = RequestValidator(LOCAL_DEFAULTS["TWILIO_AUTH_TOKEN"]).compute_signature(url, form)
        case.headers = {**(case.headers or {}), "X-Twilio-Signature": signed}


@pytest.mark.parametrize(("path", "method", "mode"), CASES)
def test_no_server_errors_and_answers_match_the_document(
    local_stack: RunningStack, path: str, method: str, mode: GenerationMode
) -> None:
    base_url = local_stack.api_url

    @given(case=SCHEMA[path][method].as_strategy(generation_mode=mode))
    @settings(max_examples=8, suppress_health_check=list(HealthCheck), deadline=None)
    def check(case: Any) -> None:
        authenticate(case, base_url)
        case.call_and_validate(base_url=base_url, checks=CHECKS, timeout=10)

    try:
        check()
    except Unsatisfiable:
        # Any string is a valid path parameter, and a form is always an object.
        pytest.skip("no invalid request can be expressed for this operation")
