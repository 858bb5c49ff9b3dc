"""API Gateway's own answers in the contract's error shape `{"error": {"code", "message"}}`.

The app answers every method of its paths itself (405s included, chalicelib/http/errors.py);
what API Gateway answers without calling it is an unknown path ("Missing Authentication Token",
turned into the 404 it is), a body it cannot take (415), throttling (429) and its other 4xx/5xx.
"""

from __future__ import annotations

import json

from aws_cdk import aws_apigateway as apigateway
from constructs import Construct

# Gateway response type -> (status, contract code). `$context.error.messageString` is JSON-quoted.
RESPONSES: dict[str, tuple[str, str]] = {
    "MISSING_AUTHENTICATION_TOKEN": ("404", "not_found"),
    "RESOURCE_NOT_FOUND": ("404", "not_found"),
    "UNSUPPORTED_MEDIA_TYPE": ("415", "unsupported_media_type"),
    "REQUEST_TOO_LARGE": ("413", "payload_too_large"),
    "THROTTLED": ("429", "too_many_requests"),
    "DEFAULT_4XX": ("", "bad_request"),
    "DEFAULT_5XX": ("", "internal_error"),
}
MESSAGES = {"not_found": '"no such path or method: $context.httpMethod $context.path"'}


def template(code: str) -> str:
    """The response body template: the contract's shape, API Gateway's words."""
    message = MESSAGES.get(code, "$context.error.messageString")
    return '{"error": {"code": ' + json.dumps(code) + ', "message": ' + message + "}}"


def gateway_errors(scope: Construct, rest_api_id: str) -> list[apigateway.CfnGatewayResponse]:
    """One gateway response per type, on the Chalice app's REST API."""
    made = []
    for kind, (status, code) in RESPONSES.items():
        response = apigateway.CfnGatewayResponse(
            scope,
            f"GatewayResponse{kind.title().replace('_', '')}",
            response_type=kind,
            rest_api_id=rest_api_id,
            status_code=status or None,
            response_templates={"application/json": template(code)},
            response_parameters={"gatewayresponse.header.Content-Type": "'application/json'"},
        )
        made.append(response)
    return made
