"""The resources of each stage and how Chalice's functions are wired to them."""

from __future__ import annotations

from typing import Any

import pytest

from infra.config import HANDLERS, HANDLERS_BY_ID, VISIBILITY_FACTOR
from tests.infra.cfn import functions, of_type, queue_named


def test_table_is_on_demand_with_pitr_ttl_and_both_gsis(dev: dict[str, Any]) -> None:
    (table,) = of_type(dev, "AWS::DynamoDB::Table").values()
    assert table["TableName"] == "tandem-dev"
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert table["KeySchema"] == [
        {"AttributeName": "PK", "KeyType": "HASH"},
        {"AttributeName": "SK", "KeyType": "RANGE"},
    ]
    indexes = {i["IndexName"]: i["KeySchema"] for i in table["GlobalSecondaryIndexes"]}
    for name in ("GSI1", "GSI2"):
        assert [k["AttributeName"] for k in indexes[name]] == [f"{name}PK", f"{name}SK"]
    assert {a["AttributeType"] for a in table["AttributeDefinitions"]} == {"S"}


def test_prod_data_survives_stack_deletion(templates: dict[str, dict[str, Any]]) -> None:
    prod = templates["prod"]["Resources"]
    (table_id,) = of_type(templates["prod"], "AWS::DynamoDB::Table")
    assert prod[table_id]["DeletionPolicy"] == "Retain"
    assert prod[table_id]["Properties"]["DeletionProtectionEnabled"] is True
    assert queue_named(templates["prod"], "tandem-prod-inbound.fifo")


@pytest.mark.parametrize(
    ("name", "consumer"),
    [("tandem-dev-inbound.fifo", "InboundWorker"), ("tandem-dev-helpdesk.fifo", None)],
)
def test_fifo_queues_have_fifo_dlqs_and_long_enough_visibility(
    dev: dict[str, Any], name: str, consumer: str | None
) -> None:
    _, queue = queue_named(dev, name)
    assert queue["FifoQueue"] is True
    assert queue["ContentBasedDeduplication"] is False
    dlq_id, dlq = queue_named(dev, name.replace(".fifo", "-dlq.fifo"))
    assert dlq["FifoQueue"] is True
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": [dlq_id, "Arn"]}
    if consumer:
        assert queue["VisibilityTimeout"] >= VISIBILITY_FACTOR * HANDLERS_BY_ID[consumer].timeout


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_inbound_queue_runs_in_fifo_high_throughput_mode_and_the_helpdesk_queue_does_not(
    templates: dict[str, dict[str, Any]], stage: str
) -> None:
    _, inbound = queue_named(templates[stage], f"tandem-{stage}-inbound.fifo")
    assert inbound["DeduplicationScope"] == "messageGroup"
    assert inbound["FifoThroughputLimit"] == "perMessageGroupId"
    _, helpdesk = queue_named(templates[stage], f"tandem-{stage}-helpdesk.fifo")
    assert "DeduplicationScope" not in helpdesk and "FifoThroughputLimit" not in helpdesk


def test_every_sqs_event_source_reports_batch_item_failures_from_its_stage_queue(
    dev: dict[str, Any],
) -> None:
    sources = {
        (fid, name): event["Properties"]
        for fid, props in functions(dev).items()
        for name, event in props.get("Events", {}).items()
        if event["Type"] == "SQS"
    }
    assert {fid for fid, _ in sources} == {"InboundWorker", "InboundEmail"}
    for props in sources.values():
        assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert "Fn::GetAtt" in props["Queue"]  # this stage's queue, not Chalice's name
    for mapping in of_type(dev, "AWS::Lambda::EventSourceMapping").values():
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    email_queue_id, email_queue = queue_named(dev, "tandem-dev-inbound-email")
    assert (
        sources[("InboundEmail", "InboundEmailSqsEventSource")]["Queue"]["Fn::GetAtt"][0]
        == email_queue_id
    )
    assert (
        email_queue["VisibilityTimeout"]
        >= VISIBILITY_FACTOR * HANDLERS_BY_ID["InboundEmail"].timeout
    )


def test_functions_have_fixed_names_our_role_and_sizes(dev: dict[str, Any]) -> None:
    found = functions(dev)
    assert set(found) == {h.logical_id for h in HANDLERS}
    (role_id,) = [rid for rid in of_type(dev, "AWS::IAM::Role") if rid.startswith("LambdaRole")]
    for handler in HANDLERS:
        props = found[handler.logical_id]
        assert props["FunctionName"] == f"tandem-dev-{handler.short_name}"
        assert props["Role"] == {"Fn::GetAtt": [role_id, "Arn"]}
        assert props["Timeout"] == handler.timeout
    assert "DefaultRole" not in dev["Resources"]


def test_every_app_function_runs_pydantic_without_looking_for_plugins(dev: dict[str, Any]) -> None:
    found = functions(dev)
    for handler in HANDLERS:
        env = found[handler.logical_id]["Environment"]["Variables"]
        assert env["PYDANTIC_DISABLE_PLUGINS"] == "__all__", handler.logical_id
