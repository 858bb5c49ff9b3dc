"""The local stack's moto without its costs that grow with the table, answering as moto did."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from hypothesis import given
from hypothesis import strategies as st
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.ses.models import Message

from dev.moto_fixes import sort_key

TABLE = "fixes"


@pytest.fixture
def table(moto_clean: str) -> Any:
    """A fresh PK/SK table on the suite's moto server (dev/atomic_moto.py, fixes applied)."""
    client = boto3.client("dynamodb", endpoint_url=moto_clean)
    client.create_table(
        TableName=TABLE,
        KeySchema=[
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "PK", "AttributeType": "S"},
            {"AttributeName": "SK", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    return client


def put(pk: str, sk: str, value: str) -> dict[str, Any]:
    """A transaction's Put of one item."""
    item = {"PK": {"S": pk}, "SK": {"S": sk}, "v": {"S": value}}
    return {"Put": {"TableName": TABLE, "Item": item}}


def test_a_query_reads_its_partition_in_key_order(table: Any) -> None:
    for pk in ("a", "b", "c"):
        for sk in ("3", "1", "2"):
            table.put_item(TableName=TABLE, Item={"PK": {"S": pk}, "SK": {"S": sk}})
    found = table.query(
        TableName=TABLE,
        KeyConditionExpression="PK = :p",
        ExpressionAttributeValues={":p": {"S": "b"}},
        ScanIndexForward=False,
    )["Items"]
    assert [(i["PK"]["S"], i["SK"]["S"]) for i in found] == [("b", "3"), ("b", "2"), ("b", "1")]


def test_a_cancelled_transaction_restores_what_it_wrote_and_keeps_every_other_item(
    table: Any,
) -> None:
    table.put_item(TableName=TABLE, Item={"PK": {"S": "x"}, "SK": {"S": "1"}, "v": {"S": "old"}})
    table.put_item(TableName=TABLE, Item={"PK": {"S": "y"}, "SK": {"S": "1"}, "v": {"S": "kept"}})
    failing = {
        "ConditionCheck": {
            "TableName": TABLE,
            "Key": {"PK": {"S": "y"}, "SK": {"S": "1"}},
            "ConditionExpression": "attribute_not_exists(PK)",
        }
    }
    with pytest.raises(ClientError, match="TransactionCanceled"):
        table.transact_write_items(
            TransactItems=[
                put("x", "1", "new"),
                put("x", "2", "new"),
                put("z", "1", "new"),
                failing,
            ]
        )
    items = table.scan(TableName=TABLE)["Items"]
    assert sorted((i["PK"]["S"], i["SK"]["S"], i["v"]["S"]) for i in items) == [
        ("x", "1", "old"),
        ("y", "1", "kept"),
    ]
    table.transact_write_items(TransactItems=[put("x", "1", "new"), put("x", "2", "new")])
    assert len(table.scan(TableName=TABLE)["Items"]) == 3


def test_dynamodb_models_are_not_kept_but_other_services_still_are(table: Any) -> None:
    before = len(Item.instances_tracked)  # type: ignore[attr-defined]
    for n in range(20):
        table.put_item(TableName=TABLE, Item={"PK": {"S": "p"}, "SK": {"S": str(n)}})
        table.get_item(TableName=TABLE, Key={"PK": {"S": "p"}, "SK": {"S": str(n)}})
    assert len(Item.instances_tracked) == before  # type: ignore[attr-defined]
    mail = Message("id", "from@example.com", "subject", "body", {"ToAddresses": []})
    assert any(m is mail for m in Message.instances_tracked)  # type: ignore[attr-defined]


@pytest.mark.parametrize("content_based", [False, True])
def test_a_fifo_send_still_dedupes_and_the_queue_still_counts_its_messages(
    moto_clean: str, content_based: bool
) -> None:
    sqs = boto3.client("sqs", endpoint_url=moto_clean)
    attributes = {"FifoQueue": "true", "ContentBasedDeduplication": str(content_based).lower()}
    url = sqs.create_queue(QueueName="fixes.fifo", Attributes=attributes)["QueueUrl"]
    for body, dedupe in (("one", "a"), ("one", "a"), ("two", "b")):
        sent = {"QueueUrl": url, "MessageBody": body, "MessageGroupId": "g"}
        sqs.send_message(**sent, **({} if content_based else {"MessageDeduplicationId": dedupe}))
    counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert counts["ApproximateNumberOfMessages"] == "2"
    assert counts["ContentBasedDeduplication"] == str(content_based).lower()
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in got] == ["one", "two"]


def query_pages(table: Any, forward: bool, limit: int, **condition: Any) -> list[list[str]]:
    """Every page's sort keys of partition `p`, following LastEvaluatedKey to the end."""
    pages: list[list[str]] = []
    args = {"TableName": TABLE, "ScanIndexForward": forward, "Limit": limit, **condition}
    while True:
        found = table.query(**args)
        pages.append([i["SK"]["S"] for i in found["Items"]])
        if "LastEvaluatedKey" not in found:
            return pages
        args["ExclusiveStartKey"] = found["LastEvaluatedKey"]


KEYS = sorted(["META", *(f"MSG#{n:05d}" for n in range(10)), *(f"MSGID#{n}" for n in range(10))])


@pytest.mark.parametrize(
    ("expression", "values", "holds"),
    [
        (
            "PK = :p AND SK BETWEEN :a AND :b",
            {":a": "MSG#", ":b": "MSG$"},
            lambda k: "MSG#" <= k <= "MSG$",
        ),
        ("PK = :p AND begins_with(SK, :a)", {":a": "MSG#0000"}, lambda k: k.startswith("MSG#0000")),
        ("PK = :p AND SK > :a", {":a": "MSG#00003"}, lambda k: k > "MSG#00003"),
        ("PK = :p AND SK <= :a", {":a": "MSG#00003"}, lambda k: k <= "MSG#00003"),
        ("PK = :p AND SK = :a", {":a": "MSG#00005"}, lambda k: k == "MSG#00005"),
        ("PK = :p", {}, lambda k: True),
    ],
)
@pytest.mark.parametrize("limit", [1, 3, 4, 30])
@pytest.mark.parametrize("forward", [True, False])
def test_a_limited_query_pages_through_its_key_range_as_dynamodb_does(
    table: Any, expression: str, values: dict[str, str], holds: Any, limit: int, forward: bool
) -> None:
    for sk in reversed(KEYS):  # written out of order
        table.put_item(TableName=TABLE, Item={"PK": {"S": "p"}, "SK": {"S": sk}})
    table.put_item(TableName=TABLE, Item={"PK": {"S": "q"}, "SK": {"S": "MSG#00004"}})
    typed = {key: {"S": value} for key, value in {":p": "p", **values}.items()}
    condition = {"KeyConditionExpression": expression, "ExpressionAttributeValues": typed}
    pages = query_pages(table, forward, limit, **condition)
    want = [k for k in (KEYS if forward else reversed(KEYS)) if holds(k)]
    assert [sk for page in pages for sk in page] == want
    assert all(0 < len(page) <= limit for page in pages[:-1])


@given(st.lists(st.text(max_size=6), max_size=20))
def test_string_range_keys_sort_as_moto_compares_them(values: list[str]) -> None:
    keys = [DynamoType({"S": value}) for value in values]
    assert sorted(keys, key=sort_key) == sorted(keys)


@given(st.lists(st.decimals(allow_nan=False, allow_infinity=False, places=3), max_size=20))
def test_number_range_keys_sort_by_value(values: list[Decimal]) -> None:
    keys = [DynamoType({"N": str(value)}) for value in values]
    assert [k.value for k in sorted(keys, key=sort_key)] == [k.value for k in sorted(keys)]


@pytest.fixture
def indexed(moto_clean: str) -> Any:
    """A PK/SK table with a GSI on (G, GS), both strings."""
    client = boto3.client("dynamodb", endpoint_url=moto_clean)
    strings = ("PK", "SK", "G", "GS")
    client.create_table(
        TableName=TABLE,
        KeySchema=[
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in strings],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "GSI",
                "KeySchema": [
                    {"AttributeName": "G", "KeyType": "HASH"},
                    {"AttributeName": "GS", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    return client


@pytest.mark.parametrize("limit", [1, 2, 5, 100])
@pytest.mark.parametrize("forward", [True, False])
def test_an_index_query_reads_only_its_index_partition_in_index_order(
    indexed: Any, limit: int, forward: bool
) -> None:
    rows = [("c", "1", "due#3"), ("a", "2", "due#1"), ("b", "1", "due#2"), ("a", "1", "due#2")]
    for pk, sk, due in rows:
        item = {"PK": {"S": pk}, "SK": {"S": sk}, "G": {"S": "IDLE"}, "GS": {"S": due}}
        indexed.put_item(TableName=TABLE, Item=item)
    indexed.put_item(TableName=TABLE, Item={"PK": {"S": "d"}, "SK": {"S": "1"}, "G": {"S": "X"}})
    indexed.put_item(TableName=TABLE, Item={"PK": {"S": "e"}, "SK": {"S": "1"}})
    condition = {
        "IndexName": "GSI",
        "KeyConditionExpression": "G = :g AND GS BETWEEN :a AND :b",
        "ExpressionAttributeValues": {
            ":g": {"S": "IDLE"},
            ":a": {"S": "due#"},
            ":b": {"S": "due#2"},
        },
    }
    args = {"TableName": TABLE, "ScanIndexForward": forward, "Limit": limit, **condition}
    found: list[tuple[str, str]] = []
    while True:
        page = indexed.query(**args)
        found += [(i["GS"]["S"], i["PK"]["S"]) for i in page["Items"]]
        if "LastEvaluatedKey" not in page:
            break
        args["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    want = [("due#1", "a"), ("due#2", "a"), ("due#2", "b")]
    assert found == (want if forward else want[::-1])


def test_dynamodb_answers_written_directly_are_what_moto_s_serializer_writes(
    table: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "MOTO_JSON_CHECK", "1"
    )  # dev/moto_json.py compares both, fails on a difference
    item = {
        "PK": {"S": "p"},
        "SK": {"S": "1"},
        "n": {"N": "1.5"},
        "l": {"L": [{"S": "a"}, {"NULL": True}, {"BOOL": False}]},
        "m": {"M": {"x": {"SS": ["a", "b"]}}},
    }
    table.put_item(TableName=TABLE, Item=item)
    table.put_item(TableName=TABLE, Item={**item, "SK": {"S": "2"}})
    assert table.get_item(TableName=TABLE, Key={"PK": {"S": "p"}, "SK": {"S": "1"}})["Item"] == item
    found = table.query(
        TableName=TABLE,
        KeyConditionExpression="PK = :p",
        ExpressionAttributeValues={":p": {"S": "p"}},
        Limit=1,
    )
    assert found["Items"] == [item]
    assert found["LastEvaluatedKey"] == {"PK": {"S": "p"}, "SK": {"S": "1"}}
    updated = table.update_item(
        TableName=TABLE,
        Key={"PK": {"S": "p"}, "SK": {"S": "1"}},
        UpdateExpression="SET n = n + :one",
        ExpressionAttributeValues={":one": {"N": "1"}},
        ReturnValues="UPDATED_NEW",
    )
    assert updated["Attributes"] == {"n": {"N": "2.5"}}
