"""The sign-in routes' answers: the form, signing in, signing out, and where browsers go."""

from __future__ import annotations

from typing import Any

from chalice import Response

from chalicelib.http import signin
from chalicelib.http.edge import text_response

HTML = "text/html; charset=utf-8"
NO_STORE = {"Cache-Control": "no-store"}
REDIRECT = {**NO_STORE, "Content-Type": "text/plain; charset=utf-8"}  # an empty body, not JSON


def form(query: dict[str, str], problem: str | None = None, status: int = 200) -> Response:
    """The sign-in form with a fresh double-submit token in its cookie."""
    token = signin.new_csrf()
    page = signin.signin_page(token, signin.safe_next(query.get("next")), problem)
    headers = {
        **NO_STORE,
        "Set-Cookie": signin.cookie(signin.CSRF_COOKIE, token, signin.CSRF_SECONDS),
    }
    return text_response(page, HTML, status, headers)


def sign_in(headers: Any, raw: bytes | None, keys: list[str]) -> Response:
    """Check the form (403 cross-site), then the key (401 and the form again), then the cookie."""
    fields = signin.form_fields(raw)
    signin.check_csrf(headers, fields)
    key = signin.valid_key(fields.get("key") or "", keys)
    if key is None:
        return form(fields, "That key is not a helpdesk API key.", 401)
    session = signin.cookie(
        signin.SESSION_COOKIE, signin.issue_session(key), signin.SESSION_SECONDS
    )
    spent = signin.cookie(signin.CSRF_COOKIE, "", 0)
    location = signin.safe_next(fields.get("next"))
    return Response(
        body="",
        status_code=303,
        headers={"Location": location, **REDIRECT, "Set-Cookie": [session, spent]},
    )


def sign_out(headers: Any) -> Response:
    """Forget the session (same-origin posts only) and show the form."""
    if not signin.same_origin(headers):
        from chalicelib.domain.errors import ForbiddenError

        raise ForbiddenError("sign out from Tandem's own pages")
    gone = signin.cookie(signin.SESSION_COOKIE, "", 0)
    return Response(
        body="",
        status_code=303,
        headers={"Location": signin.SIGNIN, **REDIRECT, "Set-Cookie": gone},
    )


def to_signin(path: str) -> Response:
    """A browser without credentials goes to the form, then back here."""
    from urllib.parse import quote

    return Response(
        body="",
        status_code=303,
        headers={"Location": f"{signin.SIGNIN}?next={quote(path)}", **REDIRECT},
    )
