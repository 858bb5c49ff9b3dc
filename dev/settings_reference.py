"""What each setting means, for the generated settings reference (docs/reference/settings.md).

A test fails when a setting of `chalicelib.config.settings.Settings` has no line here, so a new setting
cannot ship undocumented.
"""

from __future__ import annotations

MEANINGS: dict[str, str] = {
    "aws_endpoint_url": "AWS endpoint; the local stack sets it to moto. Unset on AWS.",
    "AWS_REGION": "AWS region of every client.",
    "table_name": "the DynamoDB table (set by infra / the local stack).",
    "inbound_queue_url": "the FIFO queue of customer turns, read by `inbound_worker`.",
    "helpdesk_queue_url": "the FIFO queue your helpdesk pulls escalations from.",
    "followup_schedule_group": "the EventBridge Scheduler group of follow-ups.",
    "followup_target_arn": "the follow-up Lambda that schedules invoke.",
    "scheduler_role_arn": "the role Scheduler assumes to invoke it.",
    "log_level": "level of the structured log: DEBUG, INFO, WARNING, ERROR or CRITICAL.",
    "public_base_url": "the public URL of the API, which Twilio signs (no trailing slash; the stage path included on API Gateway).",
    "twilio_account_sid": "Twilio account SID (AC...).",
    "twilio_auth_token": "Twilio auth token: checks webhook signatures and authenticates sends. Secret.",
    "twilio_sms_from": "the SMS sender: an E.164 number (+15005550006) or a Messaging Service SID (MG...).",
    "twilio_whatsapp_from": "the WhatsApp sender, `whatsapp:+14155238886`.",
    "twilio_api_base_url": "base URL of the Twilio REST API (a compatible server in tests; the local stack starts a fake).",
    "email_from": "the SES sender address of replies (its domain verified in SES).",
    "inbound_email_topic_arn": "the SNS topic SES notifies of received mail.",
    "inbound_email_queue_url": "the queue subscribed to that topic, read by `inbound_email`.",
    "inbound_email_bucket": "the bucket SES stores received mail in.",
    "chat_session_secret": "HS256 secret of web chat session tokens (and unsubscribe links). Secret.",
    "chat_identity_secret": "HS256 secret the store signs identity tokens with. Secret.",
    "chat_allowed_origins": "comma list of origins allowed to call the chat API from a browser (`*` for any).",
    "chat_session_ttl_seconds": "how long a web chat session token lasts.",
    "shopify_webhook_secret": "HMAC secret of Shopify webhooks. Secret.",
    "shopify_shop_domain": "the shop this deployment serves (`yourshop.myshopify.com`): product links are built from it and another shop's webhooks are refused; unset: relative links, the header unchecked.",
    "store_api_keys": "comma list of keys for `POST /events` (`X-Api-Key`; several for rotation). Secret.",
    "helpdesk_api_keys": "comma list of keys for the helpdesk and review API and the dashboard sign-in. Secret.",
    "agent_backend": "`openai` or `rules`; unset: `openai` when OPENAI_API_KEY is set, else `rules`.",
    "openai_api_key": "the LLM's API key (any OpenAI-compatible server). Secret.",
    "openai_base_url": "the LLM server's base URL; unset: OpenAI's.",
    "openai_model": "the model name.",
    "openai_timeout_seconds": "timeout of one LLM call (at most 20).",
    "openai_max_retries": "retries of a failed LLM call (0 to 3).",
    "openai_turn_token_budget": "tokens one customer turn may spend across its LLM calls.",
    "followup_delay_seconds": "default delay of a follow-up.",
    "inbound_max_receives": "the inbound queue's `maxReceiveCount` (infra sets 5): on that last try a turn that keeps failing goes to a person, not silently to the DLQ.",
    "human_sla_seconds": "promised human response time after an escalation (`respond_by`).",
    "store_config": "path of the store's policy file (YAML, docs/store-config.md); unset: the bundled demo store.",
    "secrets_parameter_path": "SSM path whose parameters are read as settings at cold start (`/tandem/<stage>/` on AWS).",
    "followup_dlq_arn": "the queue Scheduler sends follow-ups it could not deliver to.",
    "ai_idle_resolve_seconds": "an AI conversation whose customer stays quiet this long counts as resolved.",
}
