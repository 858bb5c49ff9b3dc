"""The secrets' prefetch: read once in the background at cold start, used by the settings that
asked for exactly that path, region and endpoint."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from chalicelib.config import secrets
from chalicelib.config.secrets import load_secrets_into_environ, prefetch
from chalicelib.runtime.parameters import ParameterError

ENV = {"SECRETS_PARAMETER_PATH": "/tandem/dev/", "AWS_REGION": "eu-west-1"}


@pytest.fixture(autouse=True)
def no_prefetch_left() -> Iterator[None]:
    """Each test starts and ends without a prefetch in flight."""
    secrets._take_prefetched(("", "", None))
    yield
    secrets._take_prefetched(("", "", None))


class Fetches:
    """A fetch that records its calls; it answers once `release` is set (or at once)."""

    def __init__(self, answer: dict[str, str] | Exception, wait: bool = False) -> None:
        self.answer, self.calls = answer, []  # type: ignore[var-annotated]
        self.release = threading.Event()
        if not wait:
            self.release.set()

    def __call__(self, path: str, region: str, endpoint: str | None) -> dict[str, str]:
        self.calls.append((path, region, endpoint))
        assert self.release.wait(5)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_the_prefetched_parameters_are_the_ones_loaded_without_a_second_read() -> None:
    fetch = Fetches({"/tandem/dev/TWILIO_AUTH_TOKEN": "tw"}, wait=True)
    prefetch(ENV, fetch)
    fetch.release.set()  # the read finishes while (here: after) the settings ask
    environ: dict[str, str] = {}
    load_secrets_into_environ("/tandem/dev/", environ, region="eu-west-1")
    assert environ == {"TWILIO_AUTH_TOKEN": "tw"}
    assert fetch.calls == [("/tandem/dev/", "eu-west-1", None)]


def test_the_prefetch_is_used_once() -> None:
    prefetch(ENV, Fetches({"/tandem/dev/TWILIO_AUTH_TOKEN": "tw"}))
    load_secrets_into_environ("/tandem/dev/", {}, region="eu-west-1")
    assert secrets._prefetched is None


def test_a_failed_prefetch_fails_the_cold_start_as_a_direct_read_would() -> None:
    prefetch(ENV, Fetches(ParameterError("SSM refused GetParametersByPath: 400 AccessDenied")))
    with pytest.raises(ParameterError, match="AccessDenied"):
        load_secrets_into_environ("/tandem/dev/", {}, region="eu-west-1")


def test_settings_that_ask_for_another_path_do_not_get_the_prefetched_answer() -> None:
    prefetch(ENV, Fetches({"/tandem/dev/TWILIO_AUTH_TOKEN": "dev-token"}))
    direct = Fetches({"/tandem/prod/TWILIO_AUTH_TOKEN": "prod-token"})
    environ: dict[str, str] = {}
    load_secrets_into_environ("/tandem/prod/", environ, region="eu-west-1", fetch=direct)
    assert environ == {"TWILIO_AUTH_TOKEN": "prod-token"}
    assert direct.calls == [("/tandem/prod/", "eu-west-1", None)]


def test_no_path_no_prefetch() -> None:
    fetch = Fetches({})
    prefetch({"AWS_REGION": "eu-west-1"}, fetch)
    assert secrets._prefetched is None and fetch.calls == []
