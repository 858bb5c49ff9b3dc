"""The local stack's AWS resources on moto, with the contract's fixed names (region us-east-1)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import boto3

REGION = "us-east-1"
ACCOUNT = "123456789012"
TABLE = "tandem"
INBOUND_QUEUE = "tandem-inbound.fifo"
HELPDESK_QUEUE = "tandem-helpdesk.fifo"
EMAIL_QUEUE = "tandem-inbound-email"
EMAIL_TOPIC = "tandem-inbound-email"
EMAIL_BUCKET = "tandem-inbound-email"
SCHEDULE_GROUP = "tandem-followups"
FOLLOWUP_FUNCTION = "send_followup"
FOLLOWUP_DLQ = "tandem-followups-dlq"
MAX_RECEIVES = 5
VISIBILITY_SECONDS = 30


@cache  # building a client costs tens of ms; the tests create the resources before each test
def _client(service: str, endpoint: str) -> Any:
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint)


def create_table(endpoint: str) -> None:
    """The single table with its two GSIs and TTL."""
    ddb = _client("dynamodb", endpoint)
    attributes = ["PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK"]
    ddb.create_table(
        TableName=TABLE,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in attributes],
        KeySchema=[
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[_gsi("GSI1"), _gsi("GSI2")],
    )
    ddb.update_time_to_live(
        TableName=TABLE, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"}
    )


def _gsi(name: str) -> dict[str, Any]:
    return {
        "IndexName": name,
        "KeySchema": [
            {"AttributeName": f"{name}PK", "KeyType": "HASH"},
            {"AttributeName": f"{name}SK", "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": "ALL"},
    }


def create_queue(sqs: Any, name: str) -> str:
    """A queue with a dead-letter queue after MAX_RECEIVES receives; returns its URL."""
    fifo = name.endswith(".fifo")
    base = {"FifoQueue": "true"} if fifo else {}
    dlq_name = name.replace(".fifo", "-dlq.fifo") if fifo else f"{name}-dlq"
    dlq_url = sqs.create_queue(QueueName=dlq_name, Attributes=base)["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": MAX_RECEIVES})
    attributes = {**base, "VisibilityTimeout": str(VISIBILITY_SECONDS), "RedrivePolicy": redrive}
    return str(sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"])


def queue_arn(sqs: Any, url: str) -> str:
    """A queue's ARN from its URL."""
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return str(attributes["Attributes"]["QueueArn"])


def create_email_path(endpoint: str, queue_url: str) -> str:
    """The SES receipt path: topic -> queue (SNS envelope), and the bucket for large mail."""
    sns, sqs = _client("sns", endpoint), _client("sqs", endpoint)
    topic = sns.create_topic(Name=EMAIL_TOPIC)["TopicArn"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    _client("s3", endpoint).create_bucket(Bucket=EMAIL_BUCKET)
    return str(topic)


def create_resources(endpoint: str, email_from: str) -> dict[str, str]:
    """Create everything; returns the settings (environment) that point the app at it."""
    create_table(endpoint)
    sqs = _client("sqs", endpoint)
    inbound, helpdesk, email = (
        create_queue(sqs, name) for name in (INBOUND_QUEUE, HELPDESK_QUEUE, EMAIL_QUEUE)
    )
    topic = create_email_path(endpoint, email)
    _client("ses", endpoint).verify_email_identity(EmailAddress=email_from)
    _client("sesv2", endpoint).create_email_identity(EmailIdentity=email_from)
    _client("scheduler", endpoint).create_schedule_group(Name=SCHEDULE_GROUP)
    followup_dlq = sqs.create_queue(QueueName=FOLLOWUP_DLQ)["QueueUrl"]
    return {
        "TABLE_NAME": TABLE,
        "INBOUND_QUEUE_URL": inbound,
        "HELPDESK_QUEUE_URL": helpdesk,
        "INBOUND_EMAIL_QUEUE_URL": email,
        "INBOUND_EMAIL_TOPIC_ARN": topic,
        "INBOUND_EMAIL_BUCKET": EMAIL_BUCKET,
        "FOLLOWUP_SCHEDULE_GROUP": SCHEDULE_GROUP,
        "FOLLOWUP_TARGET_ARN": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:tandem-dev-{FOLLOWUP_FUNCTION}",
        "SCHEDULER_ROLE_ARN": f"arn:aws:iam::{ACCOUNT}:role/tandem-scheduler",
        "FOLLOWUP_DLQ_ARN": queue_arn(sqs, followup_dlq),
    }
