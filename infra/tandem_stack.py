"""The Tandem stack of one stage: resources, the Chalice app wired to them, outputs."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Fn, Stack
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from .alarms import stage_alarms
from .api import chalice_app
from .config import RUNTIME_ENVIRONMENT, StageConfig
from .data import customer_table
from .followups import followup_scheduling
from .gateway_errors import gateway_errors
from .mail import inbound_mail
from .messaging import conversation_queues
from .permissions import lambda_role


class TandemStack(Stack):
    """Everything Tandem needs in AWS for one stage (dev or prod)."""

    def __init__(self, scope: Construct, cid: str, config: StageConfig, **kwargs: Any) -> None:
        super().__init__(scope, cid, **kwargs)
        table = customer_table(self, config)
        queues = conversation_queues(self, config)
        mail = inbound_mail(self, config)
        followups = followup_scheduling(self, config)
        role = lambda_role(
            self,
            config,
            table=table,
            send_to=[queues.inbound, queues.helpdesk],
            consume_from=[queues.inbound, mail.queue],
            mail_bucket=mail.bucket,
            followups=followups,
        )
        # Names and ARNs only: secrets are read from SSM at cold start (SECRETS_PARAMETER_PATH).
        environment = {
            **RUNTIME_ENVIRONMENT,
            "TABLE_NAME": table.table_name,
            "INBOUND_QUEUE_URL": queues.inbound.queue_url,
            "HELPDESK_QUEUE_URL": queues.helpdesk.queue_url,
            "FOLLOWUP_SCHEDULE_GROUP": followups.group_name,
            "FOLLOWUP_TARGET_ARN": followups.target_arn,
            "FOLLOWUP_DLQ_ARN": followups.dlq.queue_arn,
            "SCHEDULER_ROLE_ARN": followups.role.role_arn,
            "INBOUND_EMAIL_TOPIC_ARN": mail.topic.topic_arn,
            "INBOUND_EMAIL_QUEUE_URL": mail.queue.queue_url,
            "INBOUND_EMAIL_BUCKET": mail.bucket.bucket_name,
            "SECRETS_PARAMETER_PATH": config.parameter_path,
            "LOG_LEVEL": config.log_level,
        }
        app = chalice_app(
            self,
            config,
            role=role,
            environment=environment,
            event_queues={"InboundWorker": queues.inbound, "InboundEmail": mail.queue},
        )
        gateway_errors(self, app.get_resource("RestAPI").ref)
        stage_alarms(
            self,
            config,
            dead_letter_queues={
                "InboundDlq": queues.inbound_dlq,
                "HelpdeskDlq": queues.helpdesk_dlq,
                "InboundEmailDlq": mail.dlq,
                "FollowupDlq": followups.dlq,
            },
            inbound=queues.inbound,
        )
        api_url = Fn.sub(
            "https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/api",
            {"Api": app.get_resource("RestAPI").ref},
        )
        public_url = config.public_base_url or api_url
        # The function can't reference its own API in its environment (a circular dependency):
        # the stage's URL goes to SSM, where the app reads it with the secrets at cold start.
        ssm.StringParameter(
            self,
            "PublicBaseUrlParameter",
            parameter_name=f"{config.parameter_path}PUBLIC_BASE_URL",
            string_value=public_url,
            description="The public URL Twilio signs (no trailing slash)",
        )
        outputs = {
            "ApiUrl": api_url,
            "PublicBaseUrl": public_url,
            "TwilioWebhookUrl": f"{public_url}/webhooks/twilio",
            "TwilioStatusCallbackUrl": f"{public_url}/webhooks/twilio/status",
            "ShopifyWebhookUrl": f"{public_url}/webhooks/shopify",
            "StoreEventsUrl": f"{public_url}/events",
            "HelpdeskQueueUrl": queues.helpdesk.queue_url,
            "HelpdeskQueueArn": queues.helpdesk.queue_arn,
            "ReceiptRuleSetName": mail.rule_set.receipt_rule_set_name,
            "InboundEmailBucket": mail.bucket.bucket_name,
            "SecretsParameterPath": config.parameter_path,
        }
        for name, value in outputs.items():
            CfnOutput(self, f"{name}Output", key=name, value=value)
