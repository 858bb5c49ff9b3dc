"""Tandem's Chalice app: routes and event handlers only, each calling chalicelib."""

from __future__ import annotations

from typing import Any

from chalice import Chalice, Response
from chalice.app import SQSEvent

from chalicelib.bootstrap import services
from chalicelib.http import (
    cors_headers,
    handled,
    handled_with,
    json_body,
    json_object,
    json_response,
    require_api_key,
    text_response,
)

app = Chalice(app_name="tandem")


def _request() -> Any:
    return app.current_request


def _cors() -> dict[str, str]:
    origin = _request().headers.get("origin")
    return cors_headers(origin, services().settings.chat_allowed_origins)


@app.route("/health", methods=["GET"])
def health() -> Response:
    return json_response({"status": "ok"})


@app.route("/events", methods=["POST"])
@handled
def store_events() -> Response:
    from chalicelib.domain.events import parse_event_batch

    require_api_key(_request().headers, services().settings.store_api_keys)
    events = parse_event_batch(json_body(_request().raw_body))
    applied = services().commerce.apply_batch(events)
    return json_response({"accepted": applied.accepted, "duplicates": applied.duplicates}, 202)


@app.route("/customers/{customer_id}", methods=["GET"])
@handled
def get_customer(customer_id: str) -> Response:
    from chalicelib.customer_view import customer_view, find_customer_id

    require_api_key(_request().headers, services().settings.helpdesk_api_keys)
    customers = services().customers
    return json_response(customer_view(customers, find_customer_id(customers, customer_id)))


@app.route("/customers", methods=["GET"])
@handled
def find_customer() -> Response:
    from chalicelib.customer_view import customer_view, lookup_by_contact

    require_api_key(_request().headers, services().settings.helpdesk_api_keys)
    customers = services().customers
    found = lookup_by_contact(customers, _request().query_params or {})
    return json_response(customer_view(customers, found))


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


@app.on_sqs_message(queue="tandem-inbound.fifo", batch_size=10)
def inbound_worker(event: SQSEvent) -> dict[str, Any]:
    from chalicelib.worker import process_turn_batch

    return process_turn_batch(event.to_dict(), services().turns.handle_group)


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
