"""SSM parameters under a path: GetParametersByPath as signed HTTPS requests, without an SSM client.

An SSM client costs a cold start its service model (SSM's is one of botocore's largest: ~7 times
SQS's to read and parse) for the one operation the app calls once. Here botocore signs the request
(SigV4, the shared session's credentials) and sends it with its own HTTP session; the JSON is
SSM's documented wire format (AWS JSON 1.1). Throttling and 5xx answers are retried shortly, as the
client's retry mode would.
"""

from __future__ import annotations

import json
import os
from functools import partial
from typing import Any

from chalicelib.domain.errors import TransientError
from chalicelib.runtime.retry import retried
from chalicelib.runtime.session import AWS_LOCK

TARGET = "AmazonSSM.GetParametersByPath"
PAGE = 10  # GetParametersByPath's most per page
TIMEOUT_SECONDS = 5


class ParameterError(RuntimeError):
    """SSM refused the request (access denied, a bad path): the cold start cannot go on."""


def endpoint(region: str, endpoint_url: str | None) -> str:
    """SSM's endpoint in `region`, or the configured one (e.g. moto's): given, else boto3's
    environment variables for it."""
    endpoint_url = (
        endpoint_url or os.environ.get("AWS_ENDPOINT_URL_SSM") or os.environ.get("AWS_ENDPOINT_URL")
    )
    if endpoint_url:
        return endpoint_url.rstrip("/") + "/"
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"https://ssm.{region}.{suffix}/"


def parameters_by_path(
    session: Any, path: str, region: str, endpoint_url: str | None = None
) -> dict[str, str]:
    """Every parameter under `path` (and below), decrypted, by name."""
    from botocore.httpsession import URLLib3Session

    credentials = _credentials(session)
    http = URLLib3Session(timeout=TIMEOUT_SECONDS)
    url = endpoint(region, endpoint_url)
    found: dict[str, str] = {}
    request: dict[str, Any] = {"Path": path, "Recursive": True, "WithDecryption": True}
    request["MaxResults"] = PAGE
    while True:
        page = retried(partial(_call, credentials, http, url, region, request))
        found |= {p["Name"]: p["Value"] for p in page.get("Parameters", [])}
        if not page.get("NextToken"):
            return found
        request = {**request, "NextToken": page["NextToken"]}


def _call(credentials: Any, http: Any, url: str, region: str, body: dict[str, Any]) -> Any:
    """One signed request; its JSON answer, TransientError to retry, ParameterError to stop."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.exceptions import ConnectionError as BotoConnectionError
    from botocore.exceptions import HTTPClientError

    headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET}
    request = AWSRequest(method="POST", url=url, data=json.dumps(body), headers=headers)
    SigV4Auth(credentials, "ssm", region).add_auth(request)
    try:
        answer = http.send(request.prepare())
    except (HTTPClientError, BotoConnectionError) as error:
        raise TransientError(f"SSM unreachable: {type(error).__name__}") from error
    if answer.status_code == 200:
        return json.loads(answer.content)
    kind = _error_type(answer.content)
    if answer.status_code >= 500 or "Throttling" in kind or answer.status_code == 429:
        raise TransientError(f"SSM answered {answer.status_code} {kind}")
    raise ParameterError(f"SSM refused GetParametersByPath: {answer.status_code} {kind}")


def _credentials(session: Any) -> Any:
    """The session's frozen credentials (the session itself is not thread-safe: locked), or
    ParameterError when it has none."""
    with AWS_LOCK:
        found = session.get_credentials()
    if found is None:
        raise ParameterError("no AWS credentials to read the parameters with")
    return found.get_frozen_credentials()


def _error_type(content: bytes) -> str:
    """The error's type from SSM's JSON body (`...#AccessDeniedException` -> its last part)."""
    try:
        kind = str(json.loads(content).get("__type", ""))
    except (ValueError, AttributeError):
        return "(no error type)"
    return kind.rsplit("#", 1)[-1] or "(no error type)"
