"""Security headers on every response: a strict CSP for pages, no sniffing, no referrer, no framing.

None of our pages is meant to be framed: the chat widget is a script a store's page includes (it
draws in that page's own DOM, not in a frame of ours), so every page says `frame-ancestors 'none'`
and the unsubscribe button can never be clickjacked. The widget script itself must load from any
store's origin, even one isolated with COEP: it says `Cross-Origin-Resource-Policy: cross-origin`.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

# A page's own <style> and style attributes are allowed; never an inline script or a plugin.
PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# JSON and scripts are never rendered as documents; if one is opened, it runs and frames nothing.
RESOURCE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}  # same-origin keeps Origin on our own forms (the sign-in checks it)
PAGE = {"X-Frame-Options": "DENY", "Cross-Origin-Opener-Policy": "same-origin"}
SCRIPT = {"Cross-Origin-Resource-Policy": "cross-origin"}


def demo_page_policy(api_base: str) -> str:
    """The demo store page's CSP: the widget script and its API from `api_base` (and ourselves)."""
    sources = " ".join(dict.fromkeys(["'self'", api_base.rstrip("/")]))
    return (
        f"default-src 'none'; script-src {sources}; connect-src {sources}; "
        "style-src 'unsafe-inline'; img-src 'self' data:; form-action 'none'; "
        "base-uri 'none'; frame-ancestors 'none'"
    )


def secure(headers: MutableMapping[str, str]) -> None:
    """Add the headers a response of this content type needs; a route's own CSP is kept."""
    content_type = _content_type(headers)
    extra = dict(COMMON)
    if content_type == "text/html":
        extra.update(PAGE, **{"Content-Security-Policy": PAGE_POLICY})
    else:
        extra["Content-Security-Policy"] = RESOURCE_POLICY
        if content_type in ("application/javascript", "text/javascript"):
            extra.update(SCRIPT)
    present = {name.lower() for name in headers}
    for name, value in extra.items():
        if name.lower() not in present:
            headers[name] = value


def _content_type(headers: Mapping[str, str]) -> str:
    """The media type of a response, lowercase, without parameters."""
    value = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    return str(value).split(";", 1)[0].strip().lower()
