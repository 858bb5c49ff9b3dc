"""SMS text: GSM-7 where the content allows, sensible parts of at most 320, never over 1,600."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.sms_text import is_gsm7, segment_count, split_sms, to_gsm7, truncate


def test_smart_typography_is_replaced_to_stay_gsm7() -> None:
    reply = "We\u2019re sorry \u2014 your \u201cLinen tee\u201d ships today\u2026\u00a0Thanks!"
    plain = to_gsm7(reply)
    assert plain == 'We\'re sorry - your "Linen tee" ships today... Thanks!'
    assert is_gsm7(plain)


def test_emoji_keeps_the_text_as_written_in_ucs2() -> None:
    reply = "Your order shipped \U0001f4e6 \u2014 it\u2019s on its way"
    assert to_gsm7(reply) == reply
    assert not is_gsm7(reply)


def test_gsm7_accents_and_extension_characters_stay() -> None:
    assert is_gsm7("Café Müller: 10€ [promo] ~ {ok}")


def test_segments_follow_gsm7_and_ucs2_sizes() -> None:
    assert segment_count("a" * 160) == 1
    assert segment_count("a" * 161) == 2
    assert segment_count("€" * 80) == 1  # extension characters cost two septets
    assert segment_count("\U0001f600" * 35) == 1
    assert segment_count("\U0001f600" * 36) == 2


def test_short_reply_is_one_part() -> None:
    assert split_sms("  Your order #1001 shipped with UPS.  ") == [
        "Your order #1001 shipped with UPS."
    ]


def test_empty_reply_has_no_parts() -> None:
    assert split_sms(" \n ") == []


def test_long_reply_splits_at_sentence_ends() -> None:
    sentence = "Your order #1001 shipped with UPS and should arrive on Thursday. "
    parts = split_sms(sentence * 8)
    assert len(parts) > 1
    assert all(len(part) <= 320 for part in parts)
    assert all(part.endswith(".") for part in parts)


def test_reply_without_sentences_splits_at_words() -> None:
    parts = split_sms("word " * 200)
    assert all(len(part) <= 320 and not part.endswith(" ") for part in parts)
    assert " ".join(parts).split() == ["word"] * 200


def test_word_longer_than_a_part_is_cut_hard() -> None:
    assert [len(part) for part in split_sms("x" * 700)] == [320, 320, 60]


def test_reply_over_1600_is_truncated_with_an_ellipsis() -> None:
    parts = split_sms("Thanks for waiting. " * 200)
    assert sum(len(part) for part in parts) <= 1600
    assert parts[-1].endswith("...")


def test_truncate_leaves_short_text_alone_and_marks_cuts() -> None:
    assert truncate("hello", 10) == "hello"
    assert truncate("abcdefghijklmnop", 10) == "abcdefg..."
    assert truncate("chunky " * 300).endswith(" chunky...")
    assert truncate("\U0001f600" * 20, 10) == "\U0001f600" * 9 + "…"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2500))
def test_parts_never_exceed_the_limits_nor_lose_words(text: str) -> None:
    parts = split_sms(text)
    assert all(0 < len(part) <= 320 for part in parts)
    assert sum(len(part) for part in parts) <= 1600
    if len(to_gsm7(text).strip()) <= 1600:
        assert "".join("".join(parts).split()) == "".join(to_gsm7(text).split())
