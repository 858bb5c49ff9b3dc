"""DynamoDB attribute values, as boto3's TypeSerializer and TypeDeserializer make and read them.

Without importing boto3 for them: `boto3.dynamodb.types` runs boto3's package (its session,
resources and s3transfer: about 20 ms of a cold start) for two small classes. What the table
writes is JSON-shaped (`to_dynamo`: None, bool, int, Decimal, str, list, dict) and what it reads
back is too (S, N, BOOL, NULL, L, M): those are done here, the same way; anything else (sets,
binary, floats, a malformed value) goes to boto3's own classes, so it is handled, or refused,
exactly as before. A hypothesis test holds the two equal (tests/store/test_attribute_values.py).
"""

from __future__ import annotations

from decimal import Clamped, Context, Decimal, Inexact, Overflow, Rounded, Underflow
from functools import cache
from typing import Any

# boto3's DYNAMODB_CONTEXT: DynamoDB's 38 digits; anything it cannot hold exactly is an error.
DYNAMODB_CONTEXT = Context(
    Emin=-128, Emax=126, prec=38, traps=[Clamped, Overflow, Inexact, Rounded, Underflow]
)


def serialize(value: Any) -> dict[str, Any]:
    """`value` as an attribute value ({"S": ...}, {"N": ...}, {"M": {...}}, ...)."""
    if value is None:
        return {"NULL": True}
    kind = type(value)
    if kind is bool:
        return {"BOOL": value}
    if kind is int or kind is Decimal:
        number = str(DYNAMODB_CONTEXT.create_decimal(value))
        if number in ("Infinity", "NaN"):
            raise TypeError("Infinity and NaN not supported")
        return {"N": number}
    if kind is str:
        return {"S": value}
    if kind is dict:
        return {"M": {key: serialize(inner) for key, inner in value.items()}}
    if kind is list:
        return {"L": [serialize(inner) for inner in value]}
    return dict(_boto3_types()[0].serialize(value))


def deserialize(value: dict[str, Any]) -> Any:
    """An attribute value as Python (numbers as Decimal), as boto3 reads it."""
    if len(value) == 1:
        ((kind, inner),) = value.items()
        if kind == "S" or kind == "BOOL":
            return inner
        if kind == "N":
            return DYNAMODB_CONTEXT.create_decimal(inner)
        if kind == "M":
            return {key: deserialize(item) for key, item in inner.items()}
        if kind == "L":
            return [deserialize(item) for item in inner]
        if kind == "NULL":
            return None
    return _boto3_types()[1].deserialize(value)


@cache
def _boto3_types() -> tuple[Any, Any]:
    """boto3's serializer and deserializer, for the values this module leaves to them."""
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

    return TypeSerializer(), TypeDeserializer()
