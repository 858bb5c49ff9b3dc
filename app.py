"""Tandem's Chalice app: routes and event handlers only, each calling chalicelib."""

from __future__ import annotations

from typing import Any

from chalicelib.runtime import cold_gc

cold_gc.pause()  # before the imports: see chalicelib/runtime/cold_gc.py

from chalice import Chalice, Rate, Response  # noqa: E402
from chalice.app import SQSEvent  # noqa: E402

from chalicelib.bootstrap import services  # noqa: E402
from chalicelib.config.settings_check import check_at_init  # noqa: E402
from chalicelib.http.edge import (  # noqa: E402
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
from chalicelib.http.errors import answer_every_method  # noqa: E402
from chalicelib.http.routes import FORM, HTML, TEXT, XML, Operation, Routes  # noqa: E402

app = Chalice(app_name="tandem")
api = Routes(app)  # each route with its OpenAPI operations, declared once
# A bad setting stops the Lambda's init with one line per problem, not a later 500.
check_at_init()
# Mail clients' one-click unsubscribe (RFC 8058) posts a form; the page's button does too.
UNSUBSCRIBE_TYPES = ["application/x-www-form-urlencoded", "application/json", "text/plain"]


@app.middleware("all")
def collect_after_cold_start(event: Any, get_response: Any) -> Any:
    """Once the first event is handled the garbage collector runs again (runtime/cold_gc.py)."""
    try:
        return get_response(event)
    finally:
        cold_gc.resume()


@app.middleware("http")
def refuse_oversized(event: Any, get_response: Any) -> Response:
    """413 for any body over the largest a route accepts, before a route reads it; Chalice's own
    405/415 answers in the contract's error shape."""
    from chalicelib.http.errors import contract_shaped

    return contract_shaped(oversized(event.raw_body) or get_response(event), event, app.routes)


@app.middleware("http")
def security_headers(event: Any, get_response: Any) -> Response:
    """CSP, nosniff, referrer and frame rules on every answer (chalicelib/http/security_headers.py)."""
    from chalicelib.http.security_headers import secure

    response = get_response(event)
    secure(response.headers)
    return response


def _request() -> Any:
    return app.current_request


def _cors() -> dict[str, str]:
    origin = _request().headers.get("origin")
    return cors_headers(origin, services().settings.chat_allowed_origins)


@api.route(
    "/health",
    Operation("GET", "liveness", "Health"),
)
def health() -> Response:
    return json_response({"status": "ok"})


@api.route(
    "/openapi.json",
    Operation("GET", "this document", "AnyObject"),
)
def openapi() -> Response:
    from chalicelib.http.openapi import openapi_document

    return json_response(openapi_document(api.operations))


@api.route(
    "/events",
    Operation(
        "POST",
        "store events (one, or a batch of at most 100)",
        "EventsAccepted",
        202,
        request="EventsRequest",
        security="storeApiKey",
        query=("strict",),
        also=(503,),
    ),
)
@handled
def store_events() -> Response:
    from chalicelib.domain.events import parse_event_batch, unknown_fields_of_batch
    from chalicelib.domain.ignored_fields import refuse_in_strict_mode, strict_param

    require_api_key(_request().headers, services().settings.store_api_keys)
    strict, body = strict_param(_request().query_params), json_body(_request().raw_body)
    events = parse_event_batch(body)
    ignored = unknown_fields_of_batch(events, body)
    refuse_in_strict_mode(ignored, strict)
    applied = services().commerce.apply_batch(events)
    answer = {"accepted": applied.accepted, "duplicates": applied.duplicates}
    return json_response({**answer, "ignored_fields": ignored} if ignored else answer, 202)


@api.route(
    "/webhooks/shopify",
    Operation(
        "POST",
        "a Shopify webhook (raw JSON body)",
        "AnyObject",
        request="AnyObject",
        security="shopifyHmac",
        headers=("X-Shopify-Topic", "X-Shopify-Webhook-Id", "X-Shopify-Shop-Domain"),
        also=(503,),
    ),
)
@handled
def shopify_webhook() -> Response:
    request = _request()
    return json_response(services().shopify.receive(request.headers, request.raw_body))


@api.route(
    "/customers/{customer_id}",
    Operation("GET", "a unified customer profile", "AnyObject", security="helpdeskApiKey"),
)
@handled
def get_customer(customer_id: str) -> Response:
    from chalicelib.commerce.customer_view import customer_view, find_customer_id

    require_api_key(_request().headers, services().settings.helpdesk_api_keys)
    customers, conversations = services().customers, services().conversations
    found = find_customer_id(customers, customer_id)
    return json_response(customer_view(customers, found, conversations))


@api.route(
    "/customers",
    Operation(
        "GET",
        "a profile found by email or phone",
        "AnyObject",
        security="helpdeskApiKey",
        query=("email", "phone"),
        also=(404,),
    ),
)
@handled
def find_customer() -> Response:
    from chalicelib.commerce.customer_view import customer_view, lookup_by_contact

    require_api_key(_request().headers, services().settings.helpdesk_api_keys)
    customers = services().customers
    found = lookup_by_contact(customers, _request().query_params or {})
    return json_response(customer_view(customers, found, services().conversations))


@api.route(
    "/kb/articles",
    Operation("GET", "knowledge articles, latest versions", "AnyObject", security="helpdeskApiKey"),
)
@handled
def list_kb_articles() -> Response:
    from chalicelib.commerce.knowledge_api import list_articles

    require_api_key(_request().headers, services().settings.helpdesk_api_keys)
    return json_response(list_articles(services().knowledge))


@api.route(
    "/kb/articles/{article_id}",
    Operation(
        "PUT",
        "a new article version",
        "AnyObject",
        request="ArticleRequest",
        security="helpdeskApiKey",
        also=(201,),
    ),
)
@handled
def put_kb_article(article_id: str) -> Response:
    from chalicelib.commerce.knowledge_api import save_article

    require_api_key(_request().headers, services().settings.helpdesk_api_keys)
    article = save_article(services().knowledge, article_id, json_object(_request().raw_body))
    return json_response(article.view(), 201 if article.version == 1 else 200)


@api.route(
    "/chat/sessions",
    Operation(
        "POST",
        "open a web-chat session",
        "ChatSession",
        201,
        request="ChatSessionRequest",
        also=(401,),
    ),
    Operation("OPTIONS", "CORS preflight", "empty", 204, TEXT, name="chat_sessions_preflight"),
)
@handled_with(_cors)
def open_chat_session() -> Response:
    if _request().method == "OPTIONS":
        return text_response("", "text/plain", 204, _cors())
    session = services().chat.open(json_object(_request().raw_body))
    return json_response(session, 201, _cors())


@api.route(
    "/chat/sessions/{session_id}/messages",
    Operation(
        "POST",
        "a customer's chat message",
        "MessageAccepted",
        202,
        request="ChatMessageRequest",
        security="chatSession",
        also=(503,),
        name="post_chat_message",
    ),
    Operation(
        "GET",
        "the chat's messages after a cursor",
        "ChatTranscript",
        security="chatSession",
        query=("after",),
        name="chat_transcript",
    ),
    Operation("OPTIONS", "CORS preflight", "empty", 204, TEXT, name="chat_messages_preflight"),
)
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


@api.route(
    "/chat/widget.js",
    Operation("GET", "the embeddable widget", "script", response_type="application/javascript"),
)
def chat_widget() -> Response:
    from chalicelib.channels.webchat.assets import widget_js

    cache = {"Cache-Control": "max-age=300"}
    return text_response(widget_js(), "application/javascript; charset=utf-8", 200, cache)


@api.route(
    "/chat/demo",
    Operation(
        "GET", "a demo page using the widget", "page", response_type=HTML, query=("identity_token",)
    ),
)
def chat_demo() -> Response:
    from chalicelib.channels.webchat.assets import demo_page
    from chalicelib.http.security_headers import demo_page_policy

    token = (_request().query_params or {}).get("identity_token")
    base = services().settings.public_base_url
    policy = {"Content-Security-Policy": demo_page_policy(base)}
    return text_response(demo_page(base, token), "text/html; charset=utf-8", 200, policy)


# --- Twilio SMS and WhatsApp (issue 3): Twilio posts forms, signed over PUBLIC_BASE_URL + path ---
TWILIO_FORM = ["application/x-www-form-urlencoded"]


@api.route(
    "/webhooks/twilio",
    Operation(
        "POST",
        "an inbound SMS or WhatsApp message",
        "twiml",
        response_type=XML,
        request="TwilioInboundForm",
        request_type=FORM,
        security="twilioSignature",
        also=(503,),
    ),
    content_types=TWILIO_FORM,
)
@handled
def twilio_inbound() -> Response:
    from chalicelib.channels.twilio.webhooks import EMPTY_TWIML, TWIML_CONTENT_TYPE

    services().twilio_webhooks.receive(_request().headers, _request().raw_body)
    return text_response(EMPTY_TWIML, TWIML_CONTENT_TYPE)


@api.route(
    "/webhooks/twilio/status",
    Operation(
        "POST",
        "a sent message's status",
        "twiml",
        response_type=XML,
        request="TwilioStatusForm",
        request_type=FORM,
        security="twilioSignature",
        also=(503,),
    ),
    content_types=TWILIO_FORM,
)
@handled
def twilio_status() -> Response:
    from chalicelib.channels.twilio.webhooks import EMPTY_TWIML, TWIML_CONTENT_TYPE

    services().twilio_webhooks.status(_request().headers, _request().raw_body)
    return text_response(EMPTY_TWIML, TWIML_CONTENT_TYPE)


# --- end Twilio ---


@app.on_sqs_message(queue="tandem-inbound.fifo", batch_size=10)
def inbound_worker(event: SQSEvent) -> dict[str, Any]:
    from chalicelib.turns.worker import process_turn_batch

    built = services()
    return process_turn_batch(
        event.to_dict(),
        built.turns.handle_group,
        lambda *failed: built.last_resort(*failed),  # built only when a turn gives up
        built.settings.inbound_max_receives,
    )


# --- Email (issue 13): SES receipt rule -> SNS topic -> this queue (a standard queue) ---


@app.on_sqs_message(queue="tandem-inbound-email", batch_size=10)
def inbound_email(event: SQSEvent) -> dict[str, Any]:
    from chalicelib.channels.email.intake import handle_email_batch

    return handle_email_batch(event.to_dict(), services().email_intake.receive)


def _helpdesk() -> Any:
    """The helpdesk use cases, after checking the caller's X-Api-Key."""
    require_api_key(_request().headers, services().settings.helpdesk_api_keys)
    return services().helpdesk


def _optional_object() -> dict[str, Any]:
    raw = _request().raw_body
    return json_object(raw) if raw and raw.strip() else {}


@api.route(
    "/conversations/{conversation_id}",
    Operation(
        "GET",
        "state, profile snapshot and the transcript (a page of it with cursor or limit)",
        "AnyObject",
        security="helpdeskApiKey",
        query=("cursor", "limit"),
    ),
)
@handled
def get_conversation(conversation_id: str) -> Response:
    return json_response(_helpdesk().view(conversation_id, _query()))


@api.route(
    "/conversations/{conversation_id}/replies",
    Operation(
        "POST",
        "a human reply on the channel",
        "AnyObject",
        201,
        request="HelpdeskReply",
        security="helpdeskApiKey",
        conflicts=True,
        also=(503,),
    ),
)
@handled
def reply_to_conversation(conversation_id: str) -> Response:
    helpdesk = _helpdesk()
    return json_response(helpdesk.reply(conversation_id, json_object(_request().raw_body)), 201)


@api.route(
    "/conversations/{conversation_id}/resolve",
    Operation(
        "POST",
        "resolve",
        "AnyObject",
        request="StateChange",
        security="helpdeskApiKey",
        conflicts=True,
        also=(503,),
    ),
)
@handled
def resolve_conversation(conversation_id: str) -> Response:
    helpdesk = _helpdesk()
    return json_response(helpdesk.resolve(conversation_id, _optional_object()))


@api.route(
    "/conversations/{conversation_id}/release",
    Operation(
        "POST",
        "hand back to the AI",
        "AnyObject",
        request="StateChange",
        security="helpdeskApiKey",
        conflicts=True,
    ),
)
@handled
def release_conversation(conversation_id: str) -> Response:
    helpdesk = _helpdesk()
    return json_response(helpdesk.release(conversation_id, _optional_object()))


@app.lambda_function(name="send_followup")
def send_followup(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Invoked by a follow-up's EventBridge Scheduler schedule with its Input."""
    result: dict[str, Any] = services().followup_sender.fire(event)
    return result


@api.route(
    "/unsubscribe/{token}",
    Operation("GET", "the unsubscribe page", "page", response_type=HTML, name="unsubscribe_page"),
    Operation(
        "POST",
        "unsubscribe from follow-ups",
        "page",
        response_type=HTML,
        request="AnyObject",
        request_type=FORM,
    ),
    content_types=UNSUBSCRIBE_TYPES,
)
@handled
def unsubscribe(token: str) -> Response:
    from chalicelib.followups.unsubscribe import unsubscribe_page

    done = _request().method == "POST"
    if done:
        services().followups.unsubscribe(token, services().settings.chat_session_secret)
    return text_response(unsubscribe_page(done), "text/html; charset=utf-8")


def _review() -> Any:
    """The review desk, after checking the caller's helpdesk X-Api-Key."""
    require_api_key(_request().headers, services().settings.helpdesk_api_keys)
    return services().review_desk


def _query() -> dict[str, str]:
    return dict(_request().query_params or {})


def _review_reader() -> Any:
    """The review desk for reading: X-Api-Key, or a browser's sign-in session cookie (issue 21)."""
    from chalicelib.http.signin import authorize_reader

    authorize_reader(_request().headers, services().settings.helpdesk_api_keys)
    return services().review_desk


@api.route(
    "/review/conversations",
    Operation(
        "GET",
        "flagged conversations",
        "AnyObject",
        security="helpdeskApiKey",
        query=("flag", "since"),
    ),
)
@handled
def review_conversations() -> Response:
    return json_response(_review_reader().queue(_query()))


@api.route(
    "/review/conversations/{conversation_id}",
    Operation(
        "GET",
        "one conversation's transcript for review: JSON, or HTML to a browser",
        "AnyObject",
        security="helpdeskApiKey",
        also=(404,),
    ),
)
@handled
def review_transcript(conversation_id: str) -> Response:
    from chalicelib.http.signin import wants_page

    headers = _request().headers
    if _needs_signin(headers):
        from chalicelib.http.signin_pages import to_signin

        return to_signin(f"/review/conversations/{conversation_id}")
    view = _review_reader().transcript(conversation_id)
    if not wants_page(headers):
        return json_response(view)
    from chalicelib.review.transcript import transcript_page

    page = transcript_page(view)
    return text_response(page, "text/html; charset=utf-8", 200, {"Cache-Control": "no-store"})


def _needs_signin(headers: Any) -> bool:
    """A browser with neither a key nor a session: it goes to the sign-in form first."""
    from chalicelib.http.signin import SESSION_COOKIE, cookies_of, wants_page

    return (
        wants_page(headers)
        and "x-api-key" not in headers
        and SESSION_COOKIE not in cookies_of(headers)
    )


@api.route(
    "/review/sample",
    Operation(
        "GET",
        "AI-handled conversations nobody flagged: newest first, or a random sample",
        "AnyObject",
        security="helpdeskApiKey",
        query=("since", "until", "limit", "random", "seed"),
    ),
)
@handled
def review_sample() -> Response:
    return json_response(_review_reader().sample(_query()))


@api.route(
    "/review/misses",
    Operation(
        "GET", "misses grouped by cause", "AnyObject", security="helpdeskApiKey", query=("since",)
    ),
)
@handled
def review_misses() -> Response:
    return json_response(_review_reader().misses(_query()))


@api.route(
    "/review/dashboard",
    Operation(
        "GET",
        "the review dashboard",
        "page",
        response_type=HTML,
        security="helpdeskApiKey",
        query=("since",),
    ),
)
@handled
def review_dashboard() -> Response:
    from chalicelib.http.signin import SESSION_COOKIE, cookies_of, wants_page
    from chalicelib.review.dashboard import dashboard_page

    headers = _request().headers
    if (
        wants_page(headers)
        and "x-api-key" not in headers
        and SESSION_COOKIE not in cookies_of(headers)
    ):
        from chalicelib.http.signin_pages import to_signin

        return to_signin("/review/dashboard")
    page = dashboard_page(_review_reader(), _query())
    return text_response(page, "text/html; charset=utf-8", 200, {"Cache-Control": "no-store"})


REVIEW_FORM = ["application/x-www-form-urlencoded"]


@api.route(
    "/review/signin",
    Operation("GET", "the sign-in form", "page", response_type=HTML),
)
@handled
def review_signin_form() -> Response:
    from chalicelib.http.signin_pages import form

    return form(_query())


@api.route(
    "/review/signin",
    Operation(
        "POST",
        "sign in with a helpdesk key: 303 to the dashboard with a session cookie",
        "empty",
        303,
        response_type=TEXT,
        request="AnyObject",
        request_type=FORM,
        also=(401, 403),
    ),
    content_types=REVIEW_FORM,
)
@handled
def review_signin() -> Response:
    from chalicelib.http.signin_pages import sign_in

    request = _request()
    return sign_in(request.headers, request.raw_body, services().settings.helpdesk_api_keys)


@api.route(
    "/review/signout",
    Operation(
        "POST",
        "end the browser's review session",
        "empty",
        303,
        response_type=TEXT,
        request="AnyObject",
        request_type=FORM,
        also=(403,),
    ),
    content_types=REVIEW_FORM,
)
@handled
def review_signout() -> Response:
    from chalicelib.http.signin_pages import sign_out

    return sign_out(_request().headers)


@api.route(
    "/metrics",
    Operation(
        "GET",
        "AI and human metrics",
        "AnyObject",
        security="helpdeskApiKey",
        query=("since", "until"),
    ),
)
@handled
def metrics() -> Response:
    return json_response(_review_reader().metrics(_query()))


@api.route(
    "/conversations/{conversation_id}/feedback",
    Operation(
        "POST",
        "report an AI miss",
        "AnyObject",
        201,
        request="Feedback",
        security="helpdeskApiKey",
        headers=("X-Reviewer",),
    ),
)
@handled
def conversation_feedback(conversation_id: str) -> Response:
    desk = _review()
    body = json_object(_request().raw_body)
    reviewer = _request().headers.get("x-reviewer")
    return json_response(desk.feedback(conversation_id, body, reviewer), 201)


@api.route(
    "/conversations/{conversation_id}/scenario",
    Operation(
        "POST",
        "the chat as a scenario",
        "yaml",
        response_type="application/yaml",
        request="AnyObject",
        security="helpdeskApiKey",
    ),
)
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


# Last: every path answers the methods it lacks with the contract's 405 (issue 21).
answer_every_method(app)
