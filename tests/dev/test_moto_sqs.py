"""The local moto's SQS without its costs that grow with the queue, answering as moto did."""

from __future__ import annotations

import boto3

COUNTS = [
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
]


def test_a_queue_counts_visible_in_flight_and_delayed_messages(moto_clean: str) -> None:
    sqs = boto3.client("sqs", endpoint_url=moto_clean)
    url = sqs.create_queue(QueueName="counts")["QueueUrl"]
    for n in range(5):
        sqs.send_message(QueueUrl=url, MessageBody=f"m{n}")
    sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=60)
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2, VisibilityTimeout=60)
    assert len(got["Messages"]) == 2
    named = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=COUNTS)["Attributes"]
    assert named == dict(zip(COUNTS, ["3", "2", "1"], strict=True))
    every = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert {name: every[name] for name in COUNTS} == named
    assert every["MessageRetentionPeriod"] == "345600"


def test_a_fifo_receive_keeps_group_order_and_skips_an_in_flight_group(moto_clean: str) -> None:
    sqs = boto3.client("sqs", endpoint_url=moto_clean)
    attributes = {"FifoQueue": "true", "ContentBasedDeduplication": "true"}
    url = sqs.create_queue(QueueName="order.fifo", Attributes=attributes)["QueueUrl"]
    for group, body in (("a", "a1"), ("b", "b1"), ("a", "a2"), ("b", "b2")):
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group)
    first = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, VisibilityTimeout=60)
    assert [m["Body"] for m in first["Messages"]] == ["a1"]
    rest = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60)
    assert [m["Body"] for m in rest["Messages"]] == ["b1", "b2"]
    for message in first["Messages"]:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=COUNTS[:2])["Attributes"]
    assert counts == {COUNTS[0]: "1", COUNTS[1]: "2"}
