"""Least privilege, secrets kept out of the template, and the scheduler's narrow role."""

from __future__ import annotations

from typing import Any

from chalicelib.config.secrets import SECRET_SETTINGS
from tests.infra.cfn import as_list, functions, of_type, statements

# Actions AWS can't scope to a resource: the only ones a statement may grant on "*". Tandem uses
# none of them today; X-Ray tracing would add these two.
ACTIONS_WITHOUT_RESOURCES = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
DATA_SERVICES = (
    "dynamodb:",
    "sqs:",
    "s3:",
    "ses:",
    "ssm:",
    "sns:",
    "kms:",
    "scheduler:",
    "lambda:",
)


def test_no_statement_grants_data_actions_on_every_resource(dev: dict[str, Any]) -> None:
    found = statements(dev)
    assert found
    for statement in found:
        actions = as_list(statement["Action"])
        assert all(a != "*" and not a.endswith(":*") for a in actions), statement
        if "*" in as_list(statement["Resource"]):
            assert set(actions) <= ACTIONS_WITHOUT_RESOURCES, statement
            assert not any(a.startswith(DATA_SERVICES) for a in actions), statement


def test_lambda_role_grants_exactly_what_the_handlers_call(dev: dict[str, Any]) -> None:
    by_sid = {s["Sid"]: s for s in statements(dev) if s.get("Sid")}
    assert {s: sorted(as_list(by_sid[s]["Action"])) for s in ("SendEmail", "ReadMail")} == {
        "SendEmail": ["ses:SendEmail", "ses:SendRawEmail"],
        "ReadMail": ["s3:GetObject"],
    }
    assert "dynamodb:Scan" not in by_sid["Table"]["Action"]
    assert len(by_sid["Table"]["Resource"]) == 2  # the table and its indexes
    assert "iam:PassedToService" in str(by_sid["PassSchedulerRole"]["Condition"])
    assert "/tandem-dev-followups/*" in str(by_sid["Schedules"]["Resource"])
    parameters = str(by_sid["Parameters"]["Resource"])
    assert "parameter/tandem/dev" in parameters and "/tandem/prod" not in parameters


def test_scheduler_role_may_only_invoke_the_followup_function(dev: dict[str, Any]) -> None:
    roles = of_type(dev, "AWS::IAM::Role")
    (role_id,) = [rid for rid in roles if rid.startswith("SchedulerRole")]
    principal = roles[role_id]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
    assert principal == {"Service": "scheduler.amazonaws.com"}
    policies = [
        p for p in of_type(dev, "AWS::IAM::Policy").values() if {"Ref": role_id} in p["Roles"]
    ]
    granted = [
        (a, str(s["Resource"]))
        for p in policies
        for s in p["PolicyDocument"]["Statement"]
        for a in as_list(s["Action"])
    ]
    assert sorted(a for a, _ in granted) == ["lambda:InvokeFunction", "sqs:SendMessage"]
    invoke = next(r for a, r in granted if a == "lambda:InvokeFunction")
    assert (
        "':function:tandem-dev-send-followup'" in invoke
    )  # the function's fixed name, no wildcard
    assert functions(dev)["SendFollowup"]["FunctionName"] == "tandem-dev-send-followup"
    (group,) = of_type(dev, "AWS::Scheduler::ScheduleGroup").values()
    assert group["Name"] == "tandem-dev-followups"


def test_no_secret_is_a_plain_environment_variable(dev: dict[str, Any]) -> None:
    for props in functions(dev).values():
        env = props["Environment"]["Variables"]
        assert not SECRET_SETTINGS & set(env), sorted(SECRET_SETTINGS & set(env))
        assert env["SECRETS_PARAMETER_PATH"] == "/tandem/dev/"
    for parameter in of_type(dev, "AWS::SSM::Parameter").values():
        assert parameter["Name"].rsplit("/", 1)[-1] not in SECRET_SETTINGS


def test_mail_bucket_is_private_encrypted_and_expires_mail(dev: dict[str, Any]) -> None:
    (bucket,) = of_type(dev, "AWS::S3::Bucket").values()
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert bucket["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] > 0
