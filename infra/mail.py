"""Inbound email: SES receipt rule -> S3 bucket + SNS topic -> SQS queue read by `inbound_email`."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_ses as ses
from aws_cdk import aws_ses_actions as ses_actions
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from .config import StageConfig
from .messaging import queue_with_dlq, visibility_for

MAIL_RETENTION = Duration.days(30)
MAIL_PREFIX = "inbound/"


@dataclass(frozen=True)
class InboundMail:
    """The resources of the inbound-email path."""

    topic: sns.Topic
    queue: sqs.Queue
    dlq: sqs.Queue
    bucket: s3.Bucket
    rule_set: ses.ReceiptRuleSet


def mail_bucket(scope: Construct) -> s3.Bucket:
    """Where SES stores received mail: private, encrypted, TLS only, expired after 30 days."""
    return s3.Bucket(
        scope,
        "InboundEmailBucket",
        encryption=s3.BucketEncryption.S3_MANAGED,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        versioned=False,
        lifecycle_rules=[s3.LifecycleRule(expiration=MAIL_RETENTION)],
        removal_policy=RemovalPolicy.RETAIN,
    )


def inbound_mail(scope: Construct, config: StageConfig) -> InboundMail:
    """The topic, its subscribed queue (SNS envelope kept: raw delivery off), bucket and rules."""
    topic = sns.Topic(scope, "InboundEmailTopic", topic_name=f"{config.prefix}-inbound-email")
    queue, dlq = queue_with_dlq(
        scope,
        "InboundEmailQueue",
        f"{config.prefix}-inbound-email",
        visibility_for("InboundEmail"),
        fifo=False,
    )
    # Adds the queue policy that lets this topic (and only it) send to the queue.
    topic.add_subscription(subscriptions.SqsSubscription(queue, raw_message_delivery=False))
    bucket = mail_bucket(scope)
    rule_set = ses.ReceiptRuleSet(
        scope, "ReceiptRuleSet", receipt_rule_set_name=f"{config.prefix}-inbound"
    )
    # One S3 action that notifies the topic: SES bounces mail over 150 KB in an SNS action, so an
    # SNS action (inline content) next to it would bounce large mail that S3 had already stored.
    # Every notification then names the object; the handler reads it with s3:GetObject.
    rule_set.add_rule(
        "Inbound",
        recipients=list(config.email_recipients) or None,
        scan_enabled=True,
        tls_policy=ses.TlsPolicy.OPTIONAL,
        actions=[ses_actions.S3(bucket=bucket, object_key_prefix=MAIL_PREFIX, topic=topic)],
    )
    return InboundMail(topic, queue, dlq, bucket, rule_set)
