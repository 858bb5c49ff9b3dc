"""The bounded JSON parser: what a client may send parses as json does; the rest is a 400."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.errors import BadRequestError
from chalicelib.domain.json_body import MAX_DEPTH, parse_json

plain_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=20)
values = st.recursive(
    st.one_of(
        plain_text,
        st.integers(min_value=-(10**30), max_value=10**30),
        st.booleans(),
        st.none(),
        st.floats(min_value=-1e100, max_value=1e100).filter(lambda x: x == 0 or abs(x) > 1e-100),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(plain_text, inner, max_size=3)
    ),
    max_leaves=10,
)


@given(values)
def test_ordinary_json_parses_as_the_standard_library_does(value: Any) -> None:
    text = json.dumps(value)
    assert parse_json(text) == json.loads(text)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "nests deeper"),
        ("[" * 200_000 + "]" * 200_000, "nested too deeply"),
        ("1" * 4_301, "more than 40 characters"),
        ("1e999", "out of range"),
        ("-Infinity", "not JSON"),
        ('"\\ud800"', "unpaired surrogate"),
        ('{"a": ["\\udc00x"]}', "unpaired surrogate"),
        ('{"a": 1, "a": 2}', 'key "a" twice'),
        ('{"a": 1', "not valid JSON"),
    ],
)
def test_hostile_json_is_a_400_saying_why(raw: str, words: str) -> None:
    with pytest.raises(BadRequestError) as refused:
        parse_json(raw)
    assert words in str(refused.value) and refused.value.status == 400


def test_a_paired_surrogate_escape_is_the_character() -> None:
    assert parse_json('"\\ud83d\\udce6"') == "\U0001f4e6"
