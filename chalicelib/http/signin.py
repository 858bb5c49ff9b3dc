"""The review dashboard's browser sign-in: a helpdesk key for a short-lived session cookie.

The cookie is a JWT signed with the helpdesk key that was given (dropping a key from
HELPDESK_API_KEYS ends its sessions), `HttpOnly; Secure; SameSite=Strict`, for /review only.
The sign-in form is protected from cross-site use by a double-submit token (its cookie is
SameSite=Strict, so a cross-site post never carries it) and by the browser's Fetch Metadata.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import secrets
import time
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

from chalicelib.domain.errors import ForbiddenError, UnauthorizedError

SESSION_COOKIE = "tandem_review"
CSRF_COOKIE = "tandem_review_csrf"
SESSION_SECONDS = 30 * 60
CSRF_SECONDS = 10 * 60
AUDIENCE = "tandem-review"
DASHBOARD = "/review/dashboard"
SIGNIN = "/review/signin"


def cookie(name: str, value: str, seconds: int) -> str:
    """A Set-Cookie value: HttpOnly, Secure, SameSite=Strict, only for /review."""
    return f"{name}={value}; Max-Age={seconds}; Path=/review; HttpOnly; Secure; SameSite=Strict"


def cookies_of(headers: Any) -> dict[str, str]:
    """The request's cookies by name (an unreadable Cookie header counts as none)."""
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load((headers or {}).get("cookie") or "")
    except CookieError:
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def fingerprint(key: str) -> str:
    """Which helpdesk key signed a session, without revealing it."""
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def valid_key(given: str, keys: list[str]) -> str | None:
    """The configured key equal to `given` (compared in constant time), else None."""
    found = None
    for key in keys:
        if key and hmac.compare_digest(given.encode(), key.encode()):
            found = key
    return found


def signing_key(key: str) -> bytes:
    """The HMAC key of a helpdesk key's sessions (32 bytes, whatever the key's length)."""
    return hashlib.sha256(b"tandem-review-session:" + key.encode()).digest()


def issue_session(key: str, now: float | None = None) -> str:
    """A session token for someone who gave `key`."""
    import jwt

    issued = int(now if now is not None else time.time())
    claims = {"kid": fingerprint(key), "aud": AUDIENCE, "iat": issued}
    claims["exp"] = issued + SESSION_SECONDS
    return jwt.encode(claims, signing_key(key), algorithm="HS256")


def check_session(token: str, keys: list[str]) -> None:
    """Nothing when the session token is valid; UnauthorizedError (401) when forged or expired."""
    import jwt

    stale = UnauthorizedError(
        f"the review session is not valid or has expired: sign in at {SIGNIN}"
    )
    try:
        kid = jwt.decode(token, options={"verify_signature": False}).get("kid")
    except jwt.PyJWTError:
        raise stale from None
    for key in keys:
        if key and hmac.compare_digest(str(kid), fingerprint(key)):
            try:
                jwt.decode(token, signing_key(key), algorithms=["HS256"], audience=AUDIENCE)
                return
            except jwt.PyJWTError:
                raise stale from None
    raise stale


def authorize_reader(headers: Any, keys: list[str]) -> None:
    """A reader of the review pages: X-Api-Key (machines) or the session cookie (browsers)."""
    given = (headers or {}).get("x-api-key")
    if given is not None:
        if valid_key(given, keys) is None:
            raise UnauthorizedError("a valid X-Api-Key header is required")
        return
    token = cookies_of(headers).get(SESSION_COOKIE)
    if not token:
        raise UnauthorizedError(f"send X-Api-Key, or sign in at {SIGNIN} in a browser")
    check_session(token, keys)


def wants_page(headers: Any) -> bool:
    """A browser navigating (it accepts HTML) rather than a program."""
    return "text/html" in ((headers or {}).get("accept") or "")


def same_origin(headers: Any) -> bool:
    """The browser says the request comes from Tandem's own pages (Fetch Metadata, Origin)."""
    site = (headers or {}).get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = (headers or {}).get("origin")
    if origin and origin != "null":
        return urlsplit(origin).netloc == (headers or {}).get("host", "")
    return origin != "null"


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a review page of this site only (no open redirect)."""
    if value and value.startswith("/review/") and not value.startswith("//"):
        return value
    return DASHBOARD


def form_fields(raw: bytes | None) -> dict[str, str]:
    """A url-encoded form's fields (first value of each)."""
    text = (raw or b"").decode("utf-8", errors="replace")
    return {name: values[0] for name, values in parse_qs(text).items()}


def check_csrf(headers: Any, fields: dict[str, str]) -> None:
    """403 unless the form came from our own sign-in page in this browser."""
    token = cookies_of(headers).get(CSRF_COOKIE) or ""
    given = fields.get("csrf") or ""
    matches = bool(token) and hmac.compare_digest(token.encode(), given.encode())
    if not (matches and same_origin(headers)):
        raise ForbiddenError(
            f"sign in from Tandem's own sign-in page ({SIGNIN}); cross-site sign-in is refused"
        )


def new_csrf() -> str:
    """A fresh double-submit token."""
    return secrets.token_urlsafe(24)


def signin_page(csrf: str, next_path: str, problem: str | None = None) -> str:
    """The sign-in form."""
    notice = f'<p role="alert" class="problem">{html.escape(problem)}</p>' if problem else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tandem review: sign in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem}}
label,input,button{{display:block;width:100%;font-size:1rem;margin:.4rem 0}}
input{{padding:.5rem}}button{{padding:.6rem}}.problem{{color:#a00}}</style></head>
<body><h1>Review dashboard</h1>{notice}
<form method="post" action="{SIGNIN}">
<label for="key">Helpdesk API key</label>
<input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
<input type="hidden" name="csrf" value="{html.escape(csrf)}">
<input type="hidden" name="next" value="{html.escape(next_path)}">
<button type="submit">Sign in</button>
</form>
<p>The session lasts {SESSION_SECONDS // 60} minutes. Programs send the key as <code>X-Api-Key</code> instead.</p>
</body></html>"""
