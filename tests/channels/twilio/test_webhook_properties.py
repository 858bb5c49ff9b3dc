"""Whatever is posted to the Twilio webhooks, the answer is 200 or a 4xx naming why: never a 500."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.channels.twilio.twilio_client import post_form, sms_form
from tests.harness import Pipeline

FIELDS = ["From", "To", "Body", "MessageSid", "NumMedia", "MediaUrl0", "MediaContentType0"]
FIELDS += ["MessageStatus", "ErrorCode", "AccountSid", "MessagingServiceSid", "WaId"]
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["+14155550123", "whatsapp:+14155550123", "SM" + "a" * 32, "11", "-1", ""]),
    st.from_regex(r"\+?[0-9 ()-]{0,20}", fullmatch=True),
)
FORMS = st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=10)), VALUES)
PATHS = st.sampled_from(["/webhooks/twilio", "/webhooks/twilio/status"])
RELAXED = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _known(answer: Any) -> None:
    assert answer.status_code in {200, 400, 403, 413}, answer.body
    if answer.status_code != 200:
        error = answer.json_body["error"]
        assert error["code"] and error["message"]


@RELAXED
@given(form=FORMS, path=PATHS)
def test_signed_arbitrary_forms_get_200_or_a_named_400(
    twilio: Pipeline, form: dict[str, str], path: str
) -> None:
    answer = post_form(twilio, path, form)
    _known(answer)
    assert answer.status_code != 403
    if answer.status_code == 400:
        assert answer.json_body["error"]["field"]


@RELAXED
@given(form=FORMS, path=PATHS, sig=st.text(max_size=40))
def test_unsigned_arbitrary_forms_get_403(
    twilio: Pipeline, form: dict[str, str], path: str, sig: str
) -> None:
    answer = post_form(twilio, path, form, sig.encode("ascii", "ignore").decode() or "x")
    assert answer.status_code in {403, 413}


@RELAXED
@given(raw=st.binary(max_size=300), path=PATHS)
def test_arbitrary_bytes_never_500(twilio: Pipeline, raw: bytes, path: str) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "x"}
    _known(twilio.client.http.post(path, headers=headers, body=raw))


def test_oversized_form_gets_413(twilio: Pipeline) -> None:
    form = sms_form("x" * 70_000)
    answer = twilio.client.http.post(
        "/webhooks/twilio",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body=urlencode(form),
    )
    assert answer.status_code == 413 and answer.json_body["error"]["field"] == "body"
