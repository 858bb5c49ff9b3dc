"""CloudWatch alarms: dead letters, handler errors, and the age of the oldest inbound message."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from .config import HANDLERS, StageConfig

PERIOD = Duration.minutes(5)
# A customer waiting this long for the agent means the worker is failing or throttled.
OLDEST_INBOUND_SECONDS = 300
ABOVE = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD


def alarm(
    scope: Construct,
    cid: str,
    metric: cloudwatch.Metric,
    threshold: float,
    description: str,
    topic: sns.ITopic,
) -> cloudwatch.Alarm:
    """One alarm above a threshold, notifying the stage's alarm topic; no data is not a breach."""
    created = metric.create_alarm(
        scope,
        cid,
        threshold=threshold,
        evaluation_periods=1,
        comparison_operator=ABOVE,
        treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        alarm_description=description,
    )
    created.add_alarm_action(actions.SnsAction(topic))
    return created


def stage_alarms(
    scope: Construct,
    config: StageConfig,
    *,
    dead_letter_queues: dict[str, sqs.IQueue],
    inbound: sqs.IQueue,
) -> sns.Topic:
    """Alarms of a stage and the topic they notify (subscribed to `alarm_email` when given)."""
    topic = sns.Topic(scope, "AlarmTopic", topic_name=f"{config.prefix}-alarms")
    if config.alarm_email:
        topic.add_subscription(subscriptions.EmailSubscription(config.alarm_email))
    for cid, queue in dead_letter_queues.items():
        depth = queue.metric_approximate_number_of_messages_visible(
            period=PERIOD, statistic="Maximum"
        )
        alarm(
            scope,
            f"{cid}DepthAlarm",
            depth,
            0,
            f"Dead letters in {cid}: inspect and redrive",
            topic,
        )
    for handler in HANDLERS:
        errors = cloudwatch.Metric(
            namespace="AWS/Lambda",
            metric_name="Errors",
            dimensions_map={"FunctionName": config.function_name(handler.logical_id)},
            period=PERIOD,
            statistic="Sum",
        )
        alarm(
            scope,
            f"{handler.logical_id}ErrorsAlarm",
            errors,
            0,
            f"{handler.logical_id} failed",
            topic,
        )
    age = inbound.metric_approximate_age_of_oldest_message(period=PERIOD, statistic="Maximum")
    alarm(
        scope, "InboundAgeAlarm", age, OLDEST_INBOUND_SECONDS, "Inbound messages are waiting", topic
    )
    return topic
