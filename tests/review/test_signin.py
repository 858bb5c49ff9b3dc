"""The review sign-in through the app: cookies, tokens, cross-site refusal, no open redirect."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.http.signin import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    cookies_of,
    issue_session,
    safe_next,
)
from tests.harness import Pipeline

KEY = "dev-helpdesk-key"
HOST = "127.0.0.1:8000"
PAGE = {"Accept": "text/html", "Host": HOST}


def set_cookies(answer: Any) -> list[str]:
    value = answer.headers.get("set-cookie") or answer.headers.get("Set-Cookie") or []
    return value if isinstance(value, list) else [value]


def csrf_token(pipeline: Pipeline) -> str:
    form = pipeline.get("/review/signin", PAGE)
    assert form.status_code == 200 and b'name="csrf"' in form.body
    (cookie,) = set_cookies(form)
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Strict" in cookie
    return cookie.split(";")[0].split("=", 1)[1]


def post_form(pipeline: Pipeline, fields: dict[str, str], **headers: str) -> Any:
    merged = {"Content-Type": "application/x-www-form-urlencoded", "Host": HOST, **headers}
    return pipeline.client.http.post("/review/signin", headers=merged, body=urlencode(fields))


def signed_in(pipeline: Pipeline, next_path: str = "/review/dashboard") -> Any:
    token = csrf_token(pipeline)
    fields = {"key": KEY, "csrf": token, "next": next_path}
    return post_form(
        pipeline,
        fields,
        Cookie=f"{CSRF_COOKIE}={token}",
        Origin=f"http://{HOST}",
        **{"Sec-Fetch-Site": "same-origin"},
    )


def test_a_browser_without_credentials_is_sent_to_the_form(review_pipeline: Pipeline) -> None:
    answer = review_pipeline.get("/review/dashboard", PAGE)
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/review/signin?next=/review/dashboard"
    assert review_pipeline.get("/review/dashboard").status_code == 401  # a program: JSON 401


def test_signing_in_sets_a_session_that_opens_the_dashboard(review_pipeline: Pipeline) -> None:
    answer = signed_in(review_pipeline)
    assert answer.status_code == 303 and answer.headers["Location"] == "/review/dashboard"
    session = next(c for c in set_cookies(answer) if c.startswith(SESSION_COOKIE))
    for attribute in ("HttpOnly", "Secure", "SameSite=Strict", "Path=/review", "Max-Age=1800"):
        assert attribute in session
    cookie = session.split(";")[0]
    page = review_pipeline.get("/review/dashboard", {**PAGE, "Cookie": cookie})
    assert page.status_code == 200 and b"<svg" in page.body
    assert review_pipeline.get("/metrics", {"Cookie": cookie}).status_code == 200


def test_forged_expired_or_tampered_sessions_get_401(review_pipeline: Pipeline) -> None:
    for token in (
        issue_session("another-key"),
        issue_session(KEY, now=time.time() - 1801),
        issue_session(KEY)[:-3] + "abc",
        "x.y.z",
    ):
        answer = review_pipeline.get(
            "/review/dashboard", {**PAGE, "Cookie": f"{SESSION_COOKIE}={token}"}
        )
        assert answer.status_code == 401, token


def test_a_session_cannot_change_state(review_pipeline: Pipeline) -> None:
    cookie = signed_in(review_pipeline)
    session = next(c for c in set_cookies(cookie) if c.startswith(SESSION_COOKIE)).split(";")[0]
    body = {"message_id": "m", "category": "tone", "what_was_wrong": "x"}
    answer = review_pipeline.post_json("/conversations/c1/feedback", body, {"Cookie": session})
    assert answer.status_code == 401  # state changes keep needing X-Api-Key


def test_a_cross_site_or_tokenless_sign_in_is_refused(review_pipeline: Pipeline) -> None:
    token = csrf_token(review_pipeline)
    fields = {"key": KEY, "csrf": token}
    cookie = f"{CSRF_COOKIE}={token}"
    cases = [
        post_form(review_pipeline, fields),  # no cookie: a cross-site post never carries it
        post_form(review_pipeline, {**fields, "csrf": "guess"}, Cookie=cookie),
        post_form(review_pipeline, fields, Cookie=cookie, **{"Sec-Fetch-Site": "cross-site"}),
        post_form(review_pipeline, fields, Cookie=cookie, Origin="https://attacker.example"),
    ]
    for answer in cases:
        assert answer.status_code == 403 and SESSION_COOKIE not in str(set_cookies(answer))


def test_a_wrong_key_gets_401_and_the_form(review_pipeline: Pipeline) -> None:
    token = csrf_token(review_pipeline)
    answer = post_form(
        review_pipeline, {"key": "nope", "csrf": token}, Cookie=f"{CSRF_COOKIE}={token}"
    )
    assert answer.status_code == 401 and b"That key is not a helpdesk API key." in answer.body


@given(st.text(max_size=40))
def test_after_sign_in_only_review_pages_of_this_site(next_path: str) -> None:
    target = safe_next(next_path)
    assert target.startswith("/review/") and not target.startswith("//")


@given(st.text(max_size=60))
def test_any_cookie_header_parses_or_counts_as_none(header: str) -> None:
    assert isinstance(cookies_of({"cookie": header}), dict)
