"""The webhook's E.164 check without phonenumbers accepts a number only as phonenumbers would."""

from __future__ import annotations

import random

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.channels.twilio.inbound import plain_e164
from chalicelib.channels.twilio.phone_table import CALLING_CODES, PHONENUMBERS_VERSION
from infra.phone_table import entries


def judged(number: str) -> str | None:
    """What phonenumbers makes of `number` (as `normalize_phone` asks it), None when refused."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def test_the_table_is_the_installed_phonenumbers_one() -> None:
    assert phonenumbers.__version__ == PHONENUMBERS_VERSION, "run python -m infra.phone_table"
    assert entries() == CALLING_CODES, "run python -m infra.phone_table"


def test_every_calling_code_and_length_is_judged_as_phonenumbers_judges_it() -> None:
    rng = random.Random(23)
    taken = 0
    for code in CALLING_CODES:
        for length in range(0, 19):
            for _ in range(4):
                number = f"+{code}" + "".join(rng.choice("0123456789") for _ in range(length))
                plain = plain_e164(number)
                if plain is not None:
                    taken += 1
                    assert plain == judged(number), number
    assert taken > 1000  # the check answers most numbers itself


@settings(max_examples=500)
@given(st.from_regex(r"\A\+[0-9]{0,21}\Z") | st.text(max_size=20))
def test_any_text_taken_plainly_is_what_phonenumbers_gives(number: str) -> None:
    plain = plain_e164(number)
    assert plain is None or plain == judged(number)


def test_common_senders_are_answered_without_phonenumbers() -> None:
    for number in ("+14155550123", "+447700900123", "+4915112345678", "+61412345678"):
        assert plain_e164(number) == number == judged(number)
