"""Tandem's Chalice app: routes and event handlers only, each calling chalicelib."""

from __future__ import annotations

from typing import Any

from chalice import Chalice, Rate, Response
from chalice.app import SQSEvent

from chalicelib.bootstrap import services
from chalicelib.http import (
    cors_headers,
    handled,
    handled_with,
    json_body,
    json_object,
    json_response,
    oversized,
    require_api_key,
    text_response,
)

app = Chalice(app_name="tandem")
# Mail clients' one-click unsubscribe (RFC 8058) posts a form; the page's button does too.
UNSUBSCRIBE_TYPES = ["application/x-www-form-urlencoded", "application/json", "text/plain"]


@app.middleware("http")
def refuse_oversized(event: Any, get_response: Any) -> Response:
    """413 for any body over the largest a route accepts, before a route reads it."""
    return oversized(event.raw_body) or get_response(event)


def _request() -> Any:
    return app.current_request


def _cors() -> dict[str, str]:
    origin = _request().headers.get("origin")
    return cors_headers(origin, services().settings.chat_allowed_origins)


@app.route("/health", methods=["GET"])
def health() -> Response:
    return json_response({"status": "ok"})


@app.route("/openapi.json", methods=["GET"])
def openapi() -> Response:
    from chalicelib.openapi import openapi_document

    return json_response(openapi_document())


@app.route("/events", methods=["POST"])
@handled
def store_events() -> Response:
    from chalicelib.domain.events import parse_event_batch

    require_api_key(_request().headers, services().settings.store_api_keys)
    events = parse_event_batch(json_body(_request().raw_body))
    applied = services().commerce.apply_batch(events)
    return json_response({"accepted": applied.accepted, "duplicates": applied.duplicates}, 202)


@app.route("/webhooks/shopify", methods=["POST"])
@handled
def shopify_webhook() -> Response:
    request = _request()
    return json_response(services().shopify.receive(request.headers, request.raw_body))


@app.route("/customers/{customer_id}", methods=["GET"])
@handled
def get_customer(customer_id: str) -> Response:
    from chalicelib.customer_view import customer_view, find_customer_id

    require_api_key(_request().headers, services().settings.helpdesk_api_keys)
    customers, conversations = services().customers, services().conversations
    found = find_customer_id(customers, customer_id)
    return json_response(customer_view(customers, found, conversations))


@app.route("/customers", methods=["GET"])
@handled
def find_customer() -> Response:
    from chalicelib.customer_view import customer_view, lookup_by_contact

    require_api_key(_request().headers, services().settings.helpdesk_api_keys)
    customers = services().customers
    found = lookup_by_contact(customers, _request().query_params or {})
    return json_response(customer_view(customers, found, services().conversations))


@app.route("/kb/articles", methods=["GET"])
@handled
def list_kb_articles() -> Response:
    from chalicelib.knowledge_api import list_articles

    require_api_key(_request().headers, services().settings.helpdesk_api_keys)
    return json_response(list_articles(services().knowledge))


@app.route("/kb/articles/{article_id}", methods=["PUT"])
@handled
def put_kb_article(article_id: str) -> Response:
    from chalicelib.knowledge_api import save_article

    require_api_key(_request().headers, services().settings.helpdesk_api_keys)
    article = save_article(services().knowledge, article_id, json_object(_request().raw_body))
    return json_response(article.view(), 201 if article.version == 1 else 200)


@app.route("/chat/sessions", methods=["POST", "OPTIONS"])
@handled_with(_cors)
def open_chat_session() -> Response:
    if _request().method == "OPTIONS":
        return text_response("", "text/plain", 204, _cors())
    session = services().chat.open(json_object(_request().raw_body))
    return json_response(session, 201, _cors())


@app.route("/chat/sessions/{session_id}/messages", methods=["GET", "POST", "OPTIONS"])
@handled_with(_cors)
def chat_messages(session_id: str) -> Response:
    request, chat = _request(), services().chat
    if request.method == "OPTIONS":
        return text_response("", "text/plain", 204, _cors())
    claims = chat.authenticate(session_id, request.headers.get("authorization"))
    if request.method == "POST":
        accepted = chat.post(session_id, claims, json_object(request.raw_body))
        return json_response(accepted, 202, _cors())
    after = (request.query_params or {}).get("after")
    return json_response(chat.transcript(session_id, after), 200, _cors())


@app.route("/chat/widget.js", methods=["GET"])
def chat_widget() -> Response:
    from chalicelib.webchat_assets import widget_js

    cache = {"Cache-Control": "max-age=300"}
    return text_response(widget_js(), "application/javascript; charset=utf-8", 200, cache)


@app.route("/chat/demo", methods=["GET"])
def chat_demo() -> Response:
    from chalicelib.webchat_assets import demo_page

    token = (_request().query_params or {}).get("identity_token")
    page = demo_page(services().settings.public_base_url, token)
    return text_response(page, "text/html; charset=utf-8")


# --- Twilio SMS and WhatsApp (issue 3): Twilio posts forms, signed over PUBLIC_BASE_URL + path ---
TWILIO_FORM = ["application/x-www-form-urlencoded"]


@app.route("/webhooks/twilio", methods=["POST"], content_types=TWILIO_FORM)
@handled
def twilio_inbound() -> Response:
    from chalicelib.twilio_webhooks import EMPTY_TWIML, TWIML_CONTENT_TYPE

    services().twilio_webhooks.receive(_request().headers, _request().raw_body)
    return text_response(EMPTY_TWIML, TWIML_CONTENT_TYPE)


@app.route("/webhooks/twilio/status", methods=["POST"], content_types=TWILIO_FORM)
@handled
def twilio_status() -> Response:
    from chalicelib.twilio_webhooks import EMPTY_TWIML, TWIML_CONTENT_TYPE

    services().twilio_webhooks.status(_request().headers, _request().raw_body)
    return text_response(EMPTY_TWIML, TWIML_CONTENT_TYPE)


# --- end Twilio ---


@app.on_sqs_message(queue="tandem-inbound.fifo", batch_size=10)
def inbound_worker(event: SQSEvent) -> dict[str, Any]:
    from chalicelib.worker import process_turn_batch

    return process_turn_batch(event.to_dict(), services().turns.handle_group)


# --- Email (issue 13): SES receipt rule -> SNS topic -> this queue (a standard queue) ---


@app.on_sqs_message(queue="tandem-inbound-email", batch_size=10)
def inbound_email(event: SQSEvent) -> dict[str, Any]:
    from chalicelib.email_intake import handle_email_batch

    return handle_email_batch(event.to_dict(), services().email_intake.receive)


def _helpdesk() -> Any:
    """The helpdesk use cases, after checking the caller's X-Api-Key."""
    require_api_key(_request().headers, services().settings.helpdesk_api_keys)
    return services().helpdesk


def _optional_object() -> dict[str, Any]:
    raw = _request().raw_body
    return json_object(raw) if raw and raw.strip() else {}


@app.route("/conversations/{conversation_id}", methods=["GET"])
@handled
def get_conversation(conversation_id: str) -> Response:
    return json_response(_helpdesk().view(conversation_id))


@app.route("/conversations/{conversation_id}/replies", methods=["POST"])
@handled
def reply_to_conversation(conversation_id: str) -> Response:
    helpdesk = _helpdesk()
    return json_response(helpdesk.reply(conversation_id, json_object(_request().raw_body)), 201)


@app.route("/conversations/{conversation_id}/resolve", methods=["POST"])
@handled
def resolve_conversation(conversation_id: str) -> Response:
    helpdesk = _helpdesk()
    return json_response(helpdesk.resolve(conversation_id, _optional_object()))


@app.route("/conversations/{conversation_id}/release", methods=["POST"])
@handled
def release_conversation(conversation_id: str) -> Response:
    helpdesk = _helpdesk()
    return json_response(helpdesk.release(conversation_id, _optional_object()))


@app.lambda_function(name="send_followup")
def send_followup(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Invoked by a follow-up's EventBridge Scheduler schedule with its Input."""
    result: dict[str, Any] = services().followup_sender.fire(event)
    return result


@app.route("/unsubscribe/{token}", methods=["GET", "POST"], content_types=UNSUBSCRIBE_TYPES)
@handled
def unsubscribe(token: str) -> Response:
    from chalicelib.followups.unsubscribe import unsubscribe_page

    done = _request().method == "POST"
    if done:
        services().followups.unsubscribe(token, services().settings.chat_session_secret)
    return text_response(unsubscribe_page(token, done), "text/html; charset=utf-8")


def _review() -> Any:
    """The review desk, after checking the caller's helpdesk X-Api-Key."""
    require_api_key(_request().headers, services().settings.helpdesk_api_keys)
    return services().review_desk


def _query() -> dict[str, str]:
    return dict(_request().query_params or {})


@app.route("/review/conversations", methods=["GET"])
@handled
def review_conversations() -> Response:
    return json_response(_review().queue(_query()))


@app.route("/review/sample", methods=["GET"])
@handled
def review_sample() -> Response:
    return json_response(_review().sample(_query()))


@app.route("/review/misses", methods=["GET"])
@handled
def review_misses() -> Response:
    return json_response(_review().misses(_query()))


@app.route("/review/dashboard", methods=["GET"])
@handled
def review_dashboard() -> Response:
    from chalicelib.review.dashboard import dashboard_page

    page = dashboard_page(_review(), _query())
    return text_response(page, "text/html; charset=utf-8", 200, {"Cache-Control": "no-store"})


@app.route("/metrics", methods=["GET"])
@handled
def metrics() -> Response:
    return json_response(_review().metrics(_query()))


@app.route("/conversations/{conversation_id}/feedback", methods=["POST"])
@handled
def conversation_feedback(conversation_id: str) -> Response:
    desk = _review()
    body = json_object(_request().raw_body)
    reviewer = _request().headers.get("x-reviewer")
    return json_response(desk.feedback(conversation_id, body, reviewer), 201)


@app.route("/conversations/{conversation_id}/scenario", methods=["POST"])
@handled
def conversation_scenario(conversation_id: str) -> Response:
    desk = _review()
    raw = _request().raw_body
    body = json_object(raw) if raw and raw.strip() else {}
    return text_response(desk.scenario(conversation_id, body), "application/yaml; charset=utf-8")


@app.schedule(Rate(15, unit=Rate.MINUTES), name="resolve_idle")
def resolve_idle(event: Any) -> dict[str, int]:
    """AI conversations whose customer stayed quiet past AI_IDLE_RESOLVE_SECONDS count as resolved."""
    return {"resolved": services().review.resolve_idle()}
