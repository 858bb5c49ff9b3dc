"""Secrets and operator settings from SSM Parameter Store, copied into the environment at cold start."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, MutableMapping

# Read from SSM only: never a plain environment variable of the deployed template.
SECRET_SETTINGS = frozenset(
    {
        "TWILIO_AUTH_TOKEN",
        "OPENAI_API_KEY",
        "SHOPIFY_WEBHOOK_SECRET",
        "CHAT_SESSION_SECRET",
        "CHAT_IDENTITY_SECRET",
        "STORE_API_KEYS",
        "HELPDESK_API_KEYS",
    }
)
# Not secret, but set per installation after deploy (no redeploy to change a sender number).
OPERATOR_SETTINGS = frozenset(
    {
        "PUBLIC_BASE_URL",
        "TWILIO_ACCOUNT_SID",
        "TWILIO_SMS_FROM",
        "TWILIO_WHATSAPP_FROM",
        "EMAIL_FROM",
        "SHOPIFY_SHOP_DOMAIN",
        "CHAT_ALLOWED_ORIGINS",
        "AGENT_BACKEND",
        "OPENAI_BASE_URL",
        "OPENAI_MODEL",
        "FOLLOWUP_DELAY_SECONDS",
        "HUMAN_SLA_SECONDS",
    }
)
PARAMETER_SETTINGS = SECRET_SETTINGS | OPERATOR_SETTINGS


def setting_name(parameter: str) -> str | None:
    """The setting a parameter name stands for (`twilio-auth-token` -> `TWILIO_AUTH_TOKEN`), or None."""
    name = parameter.strip("/").rsplit("/", 1)[-1].upper().replace("-", "_")
    return name if name in PARAMETER_SETTINGS else None


def _fetch(path: str, region: str, endpoint_url: str | None) -> dict[str, str]:
    """The parameters under `path`, through the process's one AWS session."""
    from chalicelib.runtime.parameters import parameters_by_path
    from chalicelib.runtime.session import aws_session

    return parameters_by_path(aws_session(), path, region, endpoint_url)


def load_secrets_into_environ(
    path: str,
    environ: MutableMapping[str, str] | None = None,
    *,
    region: str = "us-east-1",
    endpoint_url: str | None = None,
    fetch: Callable[[str, str, str | None], dict[str, str]] = _fetch,
) -> None:
    """Copy the known settings under an SSM path into the environment; a value already set wins.

    Read once per cold start (the settings are): GetParametersByPath, a signed request per ten
    parameters, with the credentials of the process's one AWS session and no SSM client
    (chalicelib/runtime/parameters.py says why).
    """
    if not path:
        return
    key = (path, region, endpoint_url)
    found = _take_prefetched(key)
    if found is None:
        found = fetch(*key)
    target = os.environ if environ is None else environ
    for parameter, value in found.items():
        name = setting_name(parameter)
        if name is not None:
            target.setdefault(name, value)


Key = tuple[str, str, "str | None"]


class Prefetch(threading.Thread):
    """The parameters read in the background while the cold start imports the app."""

    def __init__(self, key: Key, fetch: Callable[[str, str, str | None], dict[str, str]]) -> None:
        super().__init__(name="ssm-prefetch", daemon=True)
        self.key, self.fetch = key, fetch
        self.found: dict[str, str] | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        """Fetch once; keep the answer or the error for `result`."""
        try:
            self.found = self.fetch(*self.key)
        except BaseException as error:  # raised again, in the cold start's thread
            self.error = error

    def result(self) -> dict[str, str]:
        """The parameters, once fetched; the fetch's error raised here."""
        self.join()
        if self.error is not None:
            raise self.error
        return self.found or {}


_prefetched: Prefetch | None = None


def prefetch(
    environ: MutableMapping[str, str] | None = None,
    fetch: Callable[[str, str, str | None], dict[str, str]] = _fetch,
) -> None:
    """Start reading the parameters now, in the background, when the function has a path.

    Called first thing at cold start (chalicelib/bootstrap.py): the SSM requests, two round trips
    for the 15 parameters an installation has, go while the app's modules are imported instead
    of after. Keyed by the names Settings reads (`SECRETS_PARAMETER_PATH`, `AWS_REGION`,
    `AWS_ENDPOINT_URL`); settings read otherwise fetch again, so the answer is never another's.
    """
    global _prefetched
    env = os.environ if environ is None else environ
    path = env.get("SECRETS_PARAMETER_PATH", "")
    if not path or _prefetched is not None:
        return
    key = (path, env.get("AWS_REGION") or "us-east-1", env.get("AWS_ENDPOINT_URL") or None)
    _prefetched = Prefetch(key, fetch)
    _prefetched.start()


def _take_prefetched(key: Key) -> dict[str, str] | None:
    """The prefetched parameters when they were read for `key` (used once); else None."""
    global _prefetched
    started, _prefetched = _prefetched, None
    if started is None:
        return None
    if started.key != key:  # read for other settings: waited for, its answer and error unused
        started.join()
        return None
    return started.result()
