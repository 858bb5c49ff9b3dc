"""The sender's Twilio requests are those twilio's own client sends; its answers read the same."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.channels.twilio.rest_api import (
    TwilioApiError,
    TwilioRestApi,
    TwilioUnreachable,
    api_error,
)

SID, TOKEN = "AC" + "1" * 32, "secret-token"
URI = f"/Accounts/{SID}/Messages.json"
FORM = {"To": "+14155550123", "From": "+14155550100", "Body": "Shipped: ünïcode & more"}
# What both clients must send alike (twilio's adds its own version to its user agent).
COMPARED = ("authorization", "content-type", "accept", "accept-charset")


class Recorder(BaseHTTPRequestHandler):
    """Records each request; answers with the server's `answer` (status, JSON body)."""

    def _record(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        url = urlsplit(self.path)
        server: Any = self.server
        server.seen.append(
            {
                "method": self.command,
                "path": url.path,
                "query": dict(parse_qsl(url.query)),
                "form": dict(parse_qsl(body)),
                "headers": {k: self.headers.get(k) for k in COMPARED},
            }
        )
        status, answer = server.answer
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _record

    def log_message(self, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def server() -> Iterator[Any]:
    httpd: Any = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    httpd.seen, httpd.answer = [], (201, {"sid": "SM" + "a" * 32})
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()


def twilio_version(base_url: str) -> Any:
    """twilio's own client for the account's 2010-04-01 API (as the sender used it before)."""
    from twilio.base.domain import Domain
    from twilio.base.version import Version
    from twilio.rest import Client

    return Version(Domain(Client(SID, TOKEN), base_url), "2010-04-01")


def test_a_create_is_the_request_twilios_client_sends(server: Any) -> None:
    ours = TwilioRestApi(SID, TOKEN, server.url, 5).create(URI, FORM)
    theirs = twilio_version(server.url).create("POST", URI, data=FORM)
    assert ours == theirs == {"sid": "SM" + "a" * 32}
    assert server.seen[0] == server.seen[1]
    assert server.seen[0]["form"] == FORM and server.seen[0]["path"] == "/2010-04-01" + URI


def test_a_list_is_the_request_twilios_client_sends(server: Any) -> None:
    server.answer = (200, {"messages": []})
    query = {"To": FORM["To"], "From": FORM["From"], "PageSize": 50}
    assert TwilioRestApi(SID, TOKEN, server.url, 5).fetch(URI, query) == {"messages": []}
    twilio_version(server.url).fetch("GET", URI, params=query)
    assert server.seen[0] == server.seen[1]
    assert server.seen[0]["query"] == {"To": FORM["To"], "From": FORM["From"], "PageSize": "50"}


def test_a_refusal_carries_what_twilios_exception_does(server: Any) -> None:
    from twilio.base.exceptions import TwilioRestException

    server.answer = (400, {"code": 21610, "message": "Attempt to send to unsubscribed recipient"})
    with pytest.raises(TwilioApiError) as ours:
        TwilioRestApi(SID, TOKEN, server.url, 5).create(URI, FORM)
    with pytest.raises(TwilioRestException) as theirs:
        twilio_version(server.url).create("POST", URI, data=FORM)
    found = (ours.value.status, ours.value.code, ours.value.msg)
    assert found == (theirs.value.status, theirs.value.code, theirs.value.msg)


def test_an_answer_that_is_not_json_is_its_status() -> None:
    assert vars(api_error(502, b"<html>Bad gateway</html>", "Unable to create record")) == {
        "status": 502,
        "code": 502,
        "msg": "Unable to create record",
    }


def test_an_rfc_9457_answer_gives_its_code_and_detail() -> None:
    body = {"type": "https://x", "title": "Bad", "status": 400, "code": 20001, "detail": "No To"}
    error = api_error(400, json.dumps(body).encode(), "Unable to create record")
    assert (error.code, error.msg) == (20001, "Unable to create record: No To")


@given(st.binary(max_size=200), st.integers(min_value=300, max_value=599))
def test_any_error_body_reads_as_an_error_with_its_status(body: bytes, status: int) -> None:
    assert api_error(status, body, "Unable to create record").status == status


def test_no_server_is_unreachable() -> None:
    with pytest.raises(TwilioUnreachable):
        TwilioRestApi(SID, TOKEN, "http://127.0.0.1:9", 0.5).create(URI, FORM)
