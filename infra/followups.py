"""EventBridge Scheduler: the follow-up schedule group, its execution role and dead-letter queue."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Aws, Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from .config import StageConfig


@dataclass(frozen=True)
class Followups:
    """The schedule group the app creates one-time schedules in, and what those schedules use."""

    group: scheduler.CfnScheduleGroup
    group_name: str
    role: iam.Role
    dlq: sqs.Queue
    target_arn: str


def function_arn(name: str) -> str:
    """The ARN of a Lambda function of this stack's account and region, from its fixed name."""
    return f"arn:{Aws.PARTITION}:lambda:{Aws.REGION}:{Aws.ACCOUNT_ID}:function:{name}"


def followup_scheduling(scope: Construct, config: StageConfig) -> Followups:
    """The group, a DLQ for schedules that fail, and a role that may only invoke `send_followup`."""
    group_name = f"{config.prefix}-followups"
    group = scheduler.CfnScheduleGroup(scope, "FollowupScheduleGroup", name=group_name)
    dlq = sqs.Queue(
        scope,
        "FollowupDlq",
        queue_name=f"{config.prefix}-followups-dlq",
        retention_period=Duration.days(14),
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
    )
    target_arn = function_arn(config.function_name("SendFollowup"))
    role = iam.Role(
        scope,
        "SchedulerRole",
        description="EventBridge Scheduler: invoke the follow-up function, nothing else",
        assumed_by=iam.ServicePrincipal(
            "scheduler.amazonaws.com",
            conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}},
        ),
    )
    role.add_to_policy(
        iam.PolicyStatement(
            sid="InvokeFollowup", actions=["lambda:InvokeFunction"], resources=[target_arn]
        )
    )
    # Scheduler delivers a schedule that could not invoke its target to the DLQ with this role.
    role.add_to_policy(
        iam.PolicyStatement(
            sid="DeadLetter", actions=["sqs:SendMessage"], resources=[dlq.queue_arn]
        )
    )
    return Followups(group, group_name, role, dlq, target_arn)
