"""What the outside world meets: the API, inbound mail, alarms, outputs; and cfn-lint's verdict."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from infra.config import HANDLERS
from tests.infra.cfn import of_type

# cfn-lint rules ignored, each with its reason. None so far.
IGNORED_RULES: dict[str, str] = {}


def test_api_endpoint_is_regional(dev: dict[str, Any]) -> None:
    (api,) = of_type(dev, "AWS::Serverless::Api").values()
    assert api["EndpointConfiguration"] in ("REGIONAL", {"Type": "REGIONAL"})
    assert api["StageName"] == "api"


def test_public_base_url_is_the_stage_url_in_ssm(dev: dict[str, Any]) -> None:
    (parameter,) = [
        p
        for p in of_type(dev, "AWS::SSM::Parameter").values()
        if p["Name"] == "/tandem/dev/PUBLIC_BASE_URL"
    ]
    assert parameter["Type"] == "String"
    assert parameter["Value"]["Fn::Sub"][0].endswith("/api")  # no trailing slash: Twilio signs it
    assert parameter["Value"]["Fn::Sub"][1]["Api"] == {"Ref": "RestAPI"}


def test_ses_stores_mail_in_the_bucket_and_notifies_the_email_topic(dev: dict[str, Any]) -> None:
    (rule,) = of_type(dev, "AWS::SES::ReceiptRule").values()
    (topic_id,) = [
        t for t, p in of_type(dev, "AWS::SNS::Topic").items() if "inbound-email" in p["TopicName"]
    ]
    (bucket_id,) = of_type(dev, "AWS::S3::Bucket")
    (action,) = rule["Rule"]["Actions"]
    assert action["S3Action"]["TopicArn"] == {"Ref": topic_id}
    assert action["S3Action"]["BucketName"] == {"Ref": bucket_id}
    assert rule["Rule"]["Enabled"] is True and rule["Rule"]["ScanEnabled"] is True
    (subscription,) = of_type(dev, "AWS::SNS::Subscription").values()
    assert subscription["Protocol"] == "sqs" and subscription["TopicArn"] == {"Ref": topic_id}
    assert subscription.get("RawMessageDelivery") in (
        None,
        False,
    )  # the handler parses the envelope
    policies = [json.dumps(p) for p in of_type(dev, "AWS::SQS::QueuePolicy").values()]
    assert any("sns.amazonaws.com" in p and topic_id in p for p in policies)


def test_alarms_watch_dead_letters_errors_and_inbound_age(dev: dict[str, Any]) -> None:
    alarms = list(of_type(dev, "AWS::CloudWatch::Alarm").values())
    by_metric: dict[str, list[dict[str, Any]]] = {}
    for alarm in alarms:
        by_metric.setdefault(alarm["MetricName"], []).append(alarm)
        assert alarm["AlarmActions"]
    depth = by_metric["ApproximateNumberOfMessagesVisible"]
    assert len(depth) == 4 and all(a["Threshold"] == 0 for a in depth)
    assert all(a["ComparisonOperator"] == "GreaterThanThreshold" for a in alarms)
    errored = {a["Dimensions"][0]["Value"] for a in by_metric["Errors"]}
    assert errored == {f"tandem-dev-{h.short_name}" for h in HANDLERS}
    (age,) = by_metric["ApproximateAgeOfOldestMessage"]
    assert "InboundQueue" in json.dumps(age["Dimensions"])


def test_outputs_give_the_urls_to_paste_and_the_helpdesk_queue(dev: dict[str, Any]) -> None:
    outputs = {name: json.dumps(o["Value"]) for name, o in dev["Outputs"].items()}
    assert "/webhooks/twilio" in outputs["TwilioWebhookUrl"]
    assert "/webhooks/twilio/status" in outputs["TwilioStatusCallbackUrl"]
    assert "/webhooks/shopify" in outputs["ShopifyWebhookUrl"]
    assert "HelpdeskQueue" in outputs["HelpdeskQueueUrl"]
    assert "execute-api" in outputs["ApiUrl"]


def test_cfn_lint_passes_on_every_stage(
    templates: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    paths = []
    for stage, template in templates.items():
        path = tmp_path / f"tandem-{stage}.template.json"
        path.write_text(json.dumps(template))
        paths.append(str(path))
    ignore = ["--ignore-checks", *IGNORED_RULES] if IGNORED_RULES else []
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run(
        [str(cfn_lint), *ignore, "--", *paths], capture_output=True, text=True, timeout=120
    )
    # 0: clean; 4, 8: warnings and informational only (cfn-lint's bit flags); 2: errors.
    assert result.returncode & 2 == 0 and result.returncode & 1 == 0, result.stdout + result.stderr


def test_gateway_answers_in_the_contract_error_shape(dev: dict[str, Any]) -> None:
    responses = {
        p["ResponseType"]: p for p in of_type(dev, "AWS::ApiGateway::GatewayResponse").values()
    }
    missing = responses["MISSING_AUTHENTICATION_TOKEN"]
    assert missing["StatusCode"] == "404" and missing["RestApiId"] == {"Ref": "RestAPI"}
    body = missing["ResponseTemplates"]["application/json"]
    assert body.startswith('{"error": {"code": "not_found", "message": "no such path')
    for kind in ("UNSUPPORTED_MEDIA_TYPE", "DEFAULT_4XX", "DEFAULT_5XX", "THROTTLED"):
        template = responses[kind]["ResponseTemplates"]["application/json"]
        assert '{"error": {"code": ' in template and "$context.error.messageString" in template
    # Sample values as API Gateway substitutes them: the body is the contract's JSON.
    sample = body.replace("$context.httpMethod", "GET").replace("$context.path", "/favicon.ico")
    assert json.loads(sample)["error"]["message"] == "no such path or method: GET /favicon.ico"


def test_every_method_of_every_path_reaches_the_app(dev: dict[str, Any]) -> None:
    (api,) = of_type(dev, "AWS::Serverless::Api").values()
    paths = api["DefinitionBody"]["paths"]
    for path, methods in paths.items():
        assert {"get", "post", "put", "patch", "delete"} <= set(methods), path
