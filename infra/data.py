"""The single DynamoDB table and its two GSIs."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

from .config import StageConfig

STRING = dynamodb.AttributeType.STRING


def customer_table(scope: Construct, config: StageConfig) -> dynamodb.Table:
    """The `tandem` table: PK/SK strings, on demand, PITR, TTL on `expires_at`, GSI1 and GSI2."""
    table = dynamodb.Table(
        scope,
        "Table",
        table_name=config.prefix,
        partition_key=dynamodb.Attribute(name="PK", type=STRING),
        sort_key=dynamodb.Attribute(name="SK", type=STRING),
        billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=True
        ),
        time_to_live_attribute="expires_at",
        encryption=dynamodb.TableEncryption.AWS_MANAGED,
        deletion_protection=config.is_prod,
        removal_policy=RemovalPolicy.RETAIN if config.is_prod else RemovalPolicy.DESTROY,
    )
    # GSI1: customer -> conversations by time; GSI2: flag -> conversations by time (review queues).
    for index in ("GSI1", "GSI2"):
        table.add_global_secondary_index(
            index_name=index,
            partition_key=dynamodb.Attribute(name=f"{index}PK", type=STRING),
            sort_key=dynamodb.Attribute(name=f"{index}SK", type=STRING),
            projection_type=dynamodb.ProjectionType.ALL,
        )
    return table
