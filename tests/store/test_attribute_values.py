"""Attribute values made and read without boto3 are boto3's, value for value (and error for error)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.store.attribute_values import deserialize, serialize
from chalicelib.store.table import to_dynamo

BOTO3_OUT, BOTO3_IN = TypeSerializer(), TypeDeserializer()
numbers = st.integers() | st.decimals(allow_nan=True, allow_infinity=True)
plain = st.recursive(
    st.none() | st.booleans() | numbers | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
odd = st.frozensets(st.text(), min_size=1) | st.binary() | st.floats() | st.tuples(st.integers())


def outcome(function: Any, value: Any) -> Any:
    """What `function(value)` returns, or the type and words of what it raises."""
    try:
        return function(value)
    except Exception as error:  # compared, not hidden: both sides must fail alike
        return (type(error), str(error))


@given(plain | odd)
def test_a_value_is_serialized_as_boto3_serializes_it(value: Any) -> None:
    assert outcome(serialize, value) == outcome(BOTO3_OUT.serialize, value)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(), lambda i: st.lists(i)))
def test_what_the_table_writes_reads_back_as_boto3_reads_it(value: Any) -> None:
    written = serialize(to_dynamo({"v": value})["v"])
    assert deserialize(written) == BOTO3_IN.deserialize(written)


@pytest.mark.parametrize(
    "value",
    [
        {"N": "1.5"},
        {"N": "1" * 39},  # more digits than DynamoDB holds: refused alike
        {"SS": ["a", "b"]},
        {"NS": ["1", "2.5"]},
        {"B": b"\x00"},
        {"M": {"a": {"L": [{"NULL": True}, {"BOOL": False}, {"S": ""}]}}},
        {},
        {"S": "a", "N": "1"},
        {"X": 1},
    ],
)
def test_an_attribute_value_is_read_as_boto3_reads_it(value: dict[str, Any]) -> None:
    assert outcome(deserialize, value) == outcome(BOTO3_IN.deserialize, value)


def test_numbers_come_back_as_decimals() -> None:
    assert deserialize({"N": "12.50"}) == Decimal("12.50")
