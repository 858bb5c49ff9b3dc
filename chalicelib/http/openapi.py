"""`GET /openapi.json`: the OpenAPI 3.1 document of every endpoint, built from `chalicelib.http.schemas`."""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.http import schemas as s
from chalicelib.http.routes import PLAIN_BODIES, Operation

REF = "#/components/schemas/{model}"
VALIDATION: Literal["validation"] = "validation"
ERROR_TEXT = {
    400: "bad input (the error names the field)",
    401: "missing or invalid credentials",
    403: "credentials not accepted (a bad signature, another session's token)",
    404: "not found",
    409: "state conflict",
    413: "body too large",
    503: "a dependency failed: retry later",
}
SECURITY_SCHEMES: dict[str, dict[str, str]] = {
    "storeApiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
    "helpdeskApiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
    "chatSession": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
    "twilioSignature": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Twilio-Signature",
        "description": "HMAC-SHA1 (auth token) of PUBLIC_BASE_URL + path + sorted form fields",
    },
    "shopifyHmac": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Shopify-Hmac-Sha256",
        "description": "base64 HMAC-SHA256 of the raw body keyed by SHOPIFY_WEBHOOK_SECRET",
    },
}
KEY_DESCRIPTIONS = {"storeApiKey": "a key of STORE_API_KEYS", "helpdeskApiKey": "HELPDESK_API_KEYS"}


def schema_model(name: str) -> type[BaseModel]:
    """The model of `chalicelib.http.schemas` an operation names."""
    found = getattr(s, name, None)
    if not (isinstance(found, type) and issubclass(found, BaseModel)):
        raise LookupError(f"no model {name!r} in chalicelib.http.schemas")
    return found


def _models(operations: tuple[Operation, ...]) -> list[type[BaseModel]]:
    """Every model the operations name, plus the error body."""
    found: set[type[BaseModel]] = {s.ErrorBody}
    for op in operations:
        names = (op.request, op.response)
        found |= {schema_model(n) for n in names if n is not None and n not in PLAIN_BODIES}
    return sorted(found, key=lambda model: model.__name__)


def _components(operations: tuple[Operation, ...]) -> dict[str, Any]:
    """JSON Schemas of the models, with refs into components."""
    pairs = [(model, VALIDATION) for model in _models(operations)]
    _, top = models_json_schema(pairs, ref_template=REF)
    return dict(top.get("$defs", {}))


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _content(name: str | None, media: str) -> dict[str, Any]:
    """A content map: a model's schema, or a string for pages and scripts."""
    schema = _ref(schema_model(name)) if name and name not in PLAIN_BODIES else {"type": "string"}
    return {media: {"schema": schema}}


def _responses(op: Operation) -> dict[str, Any]:
    """The success answer and every error the operation can give."""
    ok = {"description": op.summary, "content": _content(op.response, op.response_type)}
    answers: dict[str, Any] = {str(op.status): ok}
    answers |= {str(status): ok for status in op.also if status < 400}
    for status in op.errors():
        body = {"application/json": {"schema": _ref(s.ErrorBody)}}
        answers[str(status)] = {"description": ERROR_TEXT[status], "content": body}
    return answers


def _operation(op: Operation) -> dict[str, Any]:
    """One operation object."""
    found: dict[str, Any] = {"operationId": op.name, "summary": op.summary}
    found["parameters"] = op.parameters()
    if op.request is not None:
        found["requestBody"] = {"required": True, "content": _content(op.request, op.request_type)}
    found["security"] = [{op.security: []}] if op.security else []
    found["responses"] = _responses(op)
    return found


@cache
def openapi_document(operations: tuple[Operation, ...]) -> dict[str, Any]:
    """The whole document of the app's operations (built once per process)."""
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op)
    schemes = {name: dict(scheme) for name, scheme in SECURITY_SCHEMES.items()}
    for name, text in KEY_DESCRIPTIONS.items():
        schemes[name]["description"] = text
    return {
        "openapi": "3.1.0",
        "info": {"title": "Tandem", "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": _components(operations), "securitySchemes": schemes},
    }
