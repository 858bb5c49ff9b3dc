"""The webhook's pydantic-free record of an inbound message is the JSON the model would write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.inbound_record import InboundRecord, json_datetime
from chalicelib.domain.messages import InboundMessage
from chalicelib.domain.vocabulary import Channel

OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
MOMENTS = st.one_of(
    st.datetimes(timezones=st.one_of(st.just(UTC), OFFSETS)),
    st.datetimes(),  # naive
)
JSONISH = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.text(max_size=8),
        st.floats(allow_nan=False, allow_infinity=False),
    ),
    lambda inner: st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
ATTACHMENT = st.fixed_dictionaries(
    {"content_type": st.text(max_size=10)},
    optional={"url": st.none() | st.text(max_size=10), "size": st.none() | st.integers(0, 10**9)},
)
CUSTOMER = st.none() | st.fixed_dictionaries(
    {}, optional={"customer_id": st.text(max_size=5), "phone": st.text(max_size=5)}
)


@given(
    channel=st.sampled_from(list(Channel)),
    text=st.text(max_size=30),
    received_at=MOMENTS,
    verified=st.booleans(),
    customer=CUSTOMER,
    conversation_id=st.none() | st.text(max_size=8),
    attachments=st.lists(ATTACHMENT, max_size=3),
    meta=st.dictionaries(st.text(max_size=8), JSONISH, max_size=4),
)
def test_a_record_as_json_is_what_the_model_dumps(**fields: Any) -> None:
    fields |= {"source": "twilio", "external_id": "SM" + "a" * 32, "sender": "+14155550123"}
    record = InboundRecord(**fields)
    model = InboundMessage(**fields)
    assert record.as_json() == model.model_dump(mode="json")
    assert list(record.as_json()) == list(model.model_dump(mode="json"))
    assert InboundMessage.model_validate(record.as_json()) == model


def test_a_utc_moment_is_written_with_a_z_as_pydantic_writes_it() -> None:
    moment = datetime(2026, 12, 7, 14, 5, 28, 120000, UTC)
    assert json_datetime(moment) == "2026-12-07T14:05:28.120000Z"
    assert json_datetime(moment.replace(microsecond=0)) == "2026-12-07T14:05:28Z"
