"""Twilio's REST API as the sender uses it: a Messages create and the Messages list, each one HTTP
request through botocore's HTTP session.

twilio's client, with requests under it, cost a worker's cold start about 20 ms of imports for
one form post; botocore's HTTP session (urllib3) is in every cold start already, since the AWS
calls go through it (so do the SSM reads, chalicelib/runtime/parameters.py). The requests are
those twilio's client sends: the account's SID and auth token as Basic auth, a form body, JSON
asked for, the environment's proxies, one timeout for connecting and one for the answer, no
redirects followed. An answer outside 2xx is a `TwilioApiError` with the status, Twilio's error
code and its message, as twilio's `TwilioRestException` carries them.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import urlencode

API_VERSION = "2010-04-01"
USER_AGENT = "tandem (Twilio REST API 2010-04-01)"


class TwilioApiError(Exception):
    """Twilio answered outside 2xx: its HTTP status, its error code (the status when it gives
    none) and its message."""

    def __init__(self, status: int, code: int | None, msg: str) -> None:
        super().__init__(f"{status} ({code}): {msg}")
        self.status, self.code, self.msg = status, code, msg


class TwilioTimeout(Exception):
    """The request went out and no answer came in time: Twilio may have acted on it."""


class TwilioUnreachable(Exception):
    """The request never reached Twilio (refused, unresolvable, no connection in time)."""


class TwilioRestApi:
    """The account's 2010-04-01 API at `base_url`, with a timeout in seconds."""

    def __init__(
        self, account_sid: str, auth_token: str, base_url: str, timeout_seconds: float
    ) -> None:
        from botocore.httpsession import URLLib3Session
        from botocore.utils import get_environ_proxies

        self._root = f"{base_url.rstrip('/')}/{API_VERSION}"
        self._http = URLLib3Session(timeout=timeout_seconds, proxies=get_environ_proxies(base_url))
        secret = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self._headers = {
            "Authorization": f"Basic {secret}",
            "User-Agent": USER_AGENT,
            "Accept-Charset": "utf-8",
            "Accept": "application/json",
        }

    def create(self, uri: str, form: dict[str, str]) -> dict[str, Any]:
        """POST `form` to `uri` (e.g. `/Accounts/AC.../Messages.json`): the created resource."""
        headers = {**self._headers, "Content-Type": "application/x-www-form-urlencoded"}
        return self._request("POST", self._root + uri, urlencode(form), headers, "create")

    def fetch(self, uri: str, params: dict[str, Any]) -> dict[str, Any]:
        """GET `uri` with the query `params`: the resource (a list's page)."""
        url = f"{self._root}{uri}?{urlencode(params)}"
        return self._request("GET", url, None, self._headers, "fetch")

    def _request(
        self, method: str, url: str, body: str | None, headers: dict[str, str], action: str
    ) -> dict[str, Any]:
        from botocore.awsrequest import AWSRequest
        from botocore.exceptions import ConnectionError as BotoConnectionError
        from botocore.exceptions import HTTPClientError, ReadTimeoutError

        request = AWSRequest(method=method, url=url, data=body, headers=headers)
        try:
            answer = self._http.send(request.prepare())
        except ReadTimeoutError as error:
            raise TwilioTimeout(str(error)) from error
        except (HTTPClientError, BotoConnectionError) as error:
            raise TwilioUnreachable(type(error).__name__) from error
        if 200 <= answer.status_code < 300:
            return dict(json.loads(answer.content))
        raise api_error(answer.status_code, answer.content, f"Unable to {action} record")


def api_error(status: int, content: bytes, message: str) -> TwilioApiError:
    """The error an answer outside 2xx stands for, read as twilio's client reads it: the JSON
    body's `code` and `message` (or, in the RFC 9457 shape, `detail`), else the status alone."""
    try:
        payload = json.loads(content)
        said = payload.get("message") or payload.get("detail")
        code = payload.get("code", status)
        code = None if code is None else int(code)
    except (ValueError, TypeError, AttributeError):
        return TwilioApiError(status, status, message)
    return TwilioApiError(status, code, f"{message}: {said}" if said else message)
