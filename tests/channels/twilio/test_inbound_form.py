"""Twilio webhooks in: signatures checked with Twilio's algorithm, forms parsed into InboundMessage."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.channels.twilio.channel import is_twilio_media_url, parse_inbound, verify_signature
from chalicelib.domain.errors import BadRequestError
from chalicelib.domain.messages import Channel
from tests.channels.twilio.events import AUTH_TOKEN, PUBLIC_URL, load_form, twilio_signature

INBOUND_FORMS = [
    "inbound_sms",
    "inbound_whatsapp",
    "inbound_mms_two_media",
    "inbound_messaging_service_sms",
]


@pytest.mark.parametrize("name", INBOUND_FORMS)
def test_twilio_signed_webhook_is_accepted(name: str) -> None:
    form = load_form(name)
    assert verify_signature(AUTH_TOKEN, PUBLIC_URL, form, twilio_signature(form))


def test_signature_over_the_443_url_variant_is_accepted() -> None:
    form = load_form("inbound_sms")
    with_port = PUBLIC_URL.replace(".com/", ".com:443/")
    assert verify_signature(AUTH_TOKEN, PUBLIC_URL, form, twilio_signature(form, url=with_port))


def test_tampered_body_fails_the_signature() -> None:
    form = load_form("inbound_sms")
    signature = twilio_signature(form)
    form["Body"] = "Refund me $500"
    assert not verify_signature(AUTH_TOKEN, PUBLIC_URL, form, signature)


def test_signature_for_another_url_fails() -> None:
    form = load_form("inbound_sms")
    signature = twilio_signature(form, url=PUBLIC_URL.replace("/api/", "/dev/"))
    assert not verify_signature(AUTH_TOKEN, PUBLIC_URL, form, signature)


@pytest.mark.parametrize("signature", [None, "", "not-a-signature", "ü" * 28])
def test_missing_or_forged_signature_fails(signature: str | None) -> None:
    assert not verify_signature(AUTH_TOKEN, PUBLIC_URL, load_form("inbound_sms"), signature)


def test_signature_by_another_account_token_fails() -> None:
    form = load_form("inbound_sms")
    signature = twilio_signature(form, token="someone-elses-token")
    assert not verify_signature(AUTH_TOKEN, PUBLIC_URL, form, signature)


def test_unconfigured_auth_token_never_verifies() -> None:
    form = load_form("inbound_sms")
    assert not verify_signature("", PUBLIC_URL, form, twilio_signature(form, token=""))


def test_sms_becomes_a_verified_inbound_message() -> None:
    message = parse_inbound(load_form("inbound_sms"), idempotency_token="tok-1")
    assert message.channel is Channel.SMS
    assert (message.source, message.external_id) == ("twilio", "SM5e1f2a3b4c5d6e7f8091a2b3c4d5e6f7")
    assert message.sender == "+14155550123"
    assert message.text == "Where is my order #1001?"
    assert message.verified
    assert message.meta["medium"] == "sms"
    assert message.meta["to"] == "+14155550100"
    assert message.meta["idempotency_token"] == "tok-1"


def test_whatsapp_sender_keeps_its_prefix_and_profile_name() -> None:
    message = parse_inbound(load_form("inbound_whatsapp"))
    assert message.channel is Channel.WHATSAPP
    assert message.sender == "whatsapp:+14155550123"
    assert message.text.endswith("🙏")
    assert message.meta["profile_name"] == "Ava R."
    assert message.meta["wa_id"] == "14155550123"


def test_mms_records_both_media_without_fetching() -> None:
    message = parse_inbound(load_form("inbound_mms_two_media"))
    assert [a.content_type for a in message.attachments] == ["image/jpeg", "image/png"]
    assert all(a.url and a.url.startswith("https://api.twilio.com/") for a in message.attachments)


def test_messaging_service_number_is_kept_in_meta() -> None:
    message = parse_inbound(load_form("inbound_messaging_service_sms"))
    assert message.sender == "+447911123456"
    assert message.meta["messaging_service_sid"] == "MG1234567890abcdef1234567890abcdef"


def test_media_url_on_a_foreign_host_is_dropped_but_its_type_kept() -> None:
    form = load_form("inbound_mms_two_media")
    form["MediaUrl1"] = "https://attacker.example/steal?creds"
    attachments = parse_inbound(form).attachments
    assert attachments[1].content_type == "image/png"
    assert attachments[1].url is None
    assert attachments[0].url


@pytest.mark.parametrize(
    ("url", "trusted"),
    [
        ("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", True),
        ("https://mms.twiliocdn.com/AC1/abc", True),
        ("https://s3-external-1.twiliocdn.com/x", True),
        ("http://api.twilio.com/x", False),
        ("https://api.twilio.com.attacker.example/x", False),
        ("https://eviltwiliocdn.com/x", False),
        ("https://user:pw@api.twilio.com/x", False),
        ("https://[::1/x", False),
        ("", False),
    ],
)
def test_only_twilio_media_hosts_are_trusted(url: str, trusted: bool) -> None:
    assert is_twilio_media_url(url) is trusted


def test_local_number_format_is_normalized_to_e164() -> None:
    form = load_form("inbound_sms") | {"From": "+1 (415) 555-0123"}
    assert parse_inbound(form).sender == "+14155550123"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("From", ""),
        ("From", "not a number"),
        ("From", "whatsapp:"),
        ("From", "4155550123"),
        ("MessageSid", ""),
        ("MessageSid", "SM123"),
        ("NumMedia", "eleven"),
        ("NumMedia", "11"),
        ("NumMedia", "-1"),
    ],
)
def test_bad_field_is_a_bad_request_naming_it(field: str, value: str) -> None:
    form = load_form("inbound_sms") | {field: value}
    with pytest.raises(BadRequestError) as raised:
        parse_inbound(form)
    assert raised.value.field == field


def test_missing_body_is_an_empty_text() -> None:
    form = load_form("inbound_mms_two_media")
    del form["Body"]
    assert parse_inbound(form).text == ""


FIELDS = st.sampled_from(
    ["From", "To", "Body", "MessageSid", "NumMedia", "MediaUrl0", "MediaContentType0", "WaId"]
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.one_of(FIELDS, st.text(max_size=12)), st.text(max_size=40)))
def test_arbitrary_form_never_raises_anything_but_bad_request(form: dict[str, str]) -> None:
    try:
        parse_inbound(form)
    except BadRequestError as error:
        assert error.field


@settings(max_examples=200, deadline=None)
@given(
    overrides=st.dictionaries(
        st.sampled_from(["From", "NumMedia", "MediaUrl0", "MediaContentType0", "MediaUrl1"]),
        st.text(max_size=60),
    )
)
def test_valid_form_with_arbitrary_fields_parses_or_names_the_field(
    overrides: dict[str, str],
) -> None:
    form = load_form("inbound_mms_two_media") | overrides
    try:
        message = parse_inbound(form)
    except BadRequestError as error:
        assert error.field in overrides
        return
    assert all(a.url is None or is_twilio_media_url(a.url) for a in message.attachments)
