"""moto's DynamoDB answers written as JSON directly when they already are plain JSON.

moto (5.2.5) serializes every answer by walking the operation's output shape from botocore's
model, member by member; under the 2,000-message burst that was about two thirds of a DynamoDB
request's CPU in moto. A DynamoResult is already DynamoDB's JSON (moto copied its items into
dicts of `{"S": ...}` values): when it holds only the output shape's top-level members and plain
JSON values (strings, numbers, booleans, lists, dicts; no bytes, dates or None, which the shape
walk encodes or drops), `json.dumps` writes the same document. Anything else goes through moto's
serializer as before. `MOTO_JSON_CHECK=1` writes both and fails on any difference (the tests of
dev/ run that way).
"""

from __future__ import annotations

import json
import os
from typing import Any

from moto import settings
from moto.core.responses import TYPE_RESPONSE, ActionContext, ActionResult
from moto.dynamodb.responses import DynamoResult

shape_walk = ActionResult.execute_result
PLAIN_SCALARS = (str, bool, int, float)
CONTENT_TYPE = "application/x-amz-json-1.0"  # DynamoDB's jsonVersion


def plain(value: Any) -> bool:
    """Whether `value` is JSON as it is: str, bool, int, float, and lists and dicts of them."""
    if isinstance(value, PLAIN_SCALARS):
        return True
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain(v) for v in value)
    return False


def written(self: ActionResult, context: ActionContext) -> TYPE_RESPONSE:
    """The answer's status, headers and body: directly as JSON when it is plain."""
    result, shape = self.result, context.operation_model.output_shape
    direct = (
        isinstance(result, dict)
        and shape is not None
        and context.service_model.metadata.get("jsonVersion") == "1.0"
        and set(result) <= set(shape.members)
        and plain(result)
    )
    if not direct:
        return shape_walk(self, context)
    status = context.operation_model.http.get("responseCode", 200)
    body = json.dumps(result, indent=4 if settings.PRETTIFY_RESPONSES else None)
    answer = (status, {"Content-Type": CONTENT_TYPE}, body)
    if os.environ.get("MOTO_JSON_CHECK"):
        walked = shape_walk(self, context)
        same = walked[0] == answer[0] and walked[1] == answer[1]
        if not same or json.loads(walked[2]) != result:
            raise AssertionError(f"moto_json differs: {walked!r} != {answer!r}")
    return answer


def apply() -> None:
    """Patch moto's DynamoDB answers in this process (idempotent)."""
    DynamoResult.execute_result = written  # type: ignore[method-assign]
