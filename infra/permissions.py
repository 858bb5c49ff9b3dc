"""The Lambda execution role: only the calls the handlers make, on this stage's resources."""

from __future__ import annotations

from aws_cdk import Aws
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from .config import HANDLERS, StageConfig
from .followups import Followups

TABLE_ACTIONS = [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
]
SEND_ACTIONS = ["sqs:SendMessage", "sqs:GetQueueAttributes"]
# What the Lambda SQS event source does with the function's role.
CONSUME_ACTIONS = [
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:GetQueueAttributes",
]
SCHEDULE_ACTIONS = ["scheduler:CreateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule"]
PARAMETER_ACTIONS = ["ssm:GetParametersByPath", "ssm:GetParameters", "ssm:GetParameter"]


def arn(service: str, resource: str) -> str:
    """An ARN in this stack's partition, region and account."""
    return f"arn:{Aws.PARTITION}:{service}:{Aws.REGION}:{Aws.ACCOUNT_ID}:{resource}"


def lambda_role(
    scope: Construct,
    config: StageConfig,
    *,
    table: dynamodb.Table,
    send_to: list[sqs.IQueue],
    consume_from: list[sqs.IQueue],
    mail_bucket: s3.IBucket,
    followups: Followups,
) -> iam.Role:
    """The role shared by the four handlers (Chalice: `manage_iam_role` false, `iam_role_arn`)."""
    role = iam.Role(
        scope,
        "LambdaRole",
        description=f"Tandem {config.stage} handlers",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
    )
    log_groups = [
        arn("logs", f"log-group:/aws/lambda/{config.function_name(h.logical_id)}:*")
        for h in HANDLERS
    ]
    path = config.parameter_path.rstrip("/")
    statements = [
        ("Logs", ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], log_groups),
        ("Table", TABLE_ACTIONS, [table.table_arn, f"{table.table_arn}/index/*"]),
        ("SendQueues", SEND_ACTIONS, [q.queue_arn for q in send_to]),
        ("ConsumeQueues", CONSUME_ACTIONS, [q.queue_arn for q in consume_from]),
        ("SendEmail", ["ses:SendEmail", "ses:SendRawEmail"], [arn("ses", "identity/*")]),
        ("ReadMail", ["s3:GetObject"], [mail_bucket.arn_for_objects("*")]),
        ("Schedules", SCHEDULE_ACTIONS, [arn("scheduler", f"schedule/{followups.group_name}/*")]),
        (
            "Parameters",
            PARAMETER_ACTIONS,
            [arn("ssm", f"parameter{p}") for p in (path, f"{path}/*")],
        ),
    ]
    for sid, actions, resources in statements:
        role.add_to_policy(iam.PolicyStatement(sid=sid, actions=actions, resources=resources))
    role.add_to_policy(
        iam.PolicyStatement(
            sid="PassSchedulerRole",
            actions=["iam:PassRole"],
            resources=[followups.role.role_arn],
            conditions={"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}},
        )
    )
    return role
