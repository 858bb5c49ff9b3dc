"""Only what the customer just wrote is kept: quoted history, signatures and footers go."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from chalicelib.channels.email.reply import visible_reply

# /work/shared sits beside the repository (CI clones the repo with shared/ next to it).
REPLY_FIXTURES = Path(__file__).parents[3] / ".." / "shared" / "fixtures" / "email-replies"
EXPECTED: dict[str, dict[str, Any]] = json.loads((REPLY_FIXTURES / "expected.json").read_text())


def test_the_whole_shared_fixture_suite_is_run() -> None:
    assert len(EXPECTED) == 17


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shared_reply_fixture(name: str) -> None:
    expected = EXPECTED[name]
    body = (REPLY_FIXTURES / name).read_text()
    started = time.perf_counter()
    visible = visible_reply(body)
    assert time.perf_counter() - started <= expected.get("within_seconds", 1)
    if "equals" in expected:
        assert visible == expected["equals"]
    assert visible.startswith(expected.get("starts_with", ""))
    for words in expected.get("contains", []):
        assert words in visible
    for words in expected.get("excludes", []):
        assert words not in visible


@pytest.mark.parametrize(
    "header",
    [
        "On Mon, Nov 23, 2026 at 6:02 PM Shop Support <support@shop.example.com> wrote:",
        "Le lun. 23 nov. 2026 à 18:02, Shop Support <support@shop.example.com> a écrit :",
        "Am Mo., 23. Nov. 2026 um 18:02 Uhr schrieb Shop Support <support@shop.example.com>:",
        "El lun, 23 nov 2026 a las 18:02, Shop Support (<support@shop.example.com>) escribió:",
        "Op ma 23 nov. 2026 om 18:02 schreef Shop Support <support@shop.example.com>:",
        "Il giorno lun 23 nov 2026 alle ore 18:02 Shop Support <support@shop.example.com> ha scritto:",
        "2026年11月23日(月) 18:02 Shop Support <support@shop.example.com>:",
    ],
)
def test_reply_headers_in_many_languages_end_the_reply(header: str) -> None:
    body = f"Where is my parcel?\n\n{header}\n> Your order shipped.\n> Shop Support\n"
    assert visible_reply(body) == "Where is my parcel?"


def test_reply_header_wrapped_over_lines_ends_the_reply() -> None:
    body = "Yes please.\n\nOn Mon, Nov 23, 2026 at 6:02 PM Shop Support\n<s@shop.example.com>\nwrote:\n\n> Want a refund?"
    assert visible_reply(body) == "Yes please."


def test_reply_header_over_unquoted_history_ends_the_reply() -> None:
    body = "Merci !\n\nLe 23/11/2026 à 18:02, Shop Support a écrit :\n\nBonjour, votre commande..."
    assert visible_reply(body) == "Merci !"


@pytest.mark.parametrize(
    "history",
    [
        "-----Original Message-----\nFrom: Shop Support\nSent: Monday\nSubject: Order",
        "From: Shop Support <support@shop.example.com>\nSent: Monday, November 23, 2026 6:02 PM",
        "________________________________\nFrom: Shop Support\nSent: Monday",
        "*From:* Shop Support [mailto:support@shop.example.com]\n*Sent:* Monday",
        "Von: Shop Support <support@shop.example.com>\nGesendet: Montag, 23. November 2026",
        "De : Shop Support\nEnvoyé : lundi 23 novembre 2026 18:02",
    ],
)
def test_outlook_history_blocks_end_the_reply(history: str) -> None:
    body = f"Please cancel order #1005.\n\n{history}\n\nYour order #1005 is confirmed."
    assert visible_reply(body) == "Please cancel order #1005."


@pytest.mark.parametrize(
    "footer",
    [
        "Sent from my iPhone",
        "Sent from my Galaxy",
        "Get Outlook for iOS",
        "Envoyé de mon iPhone",
        "Von meinem iPhone gesendet",
        "Enviado desde mi iPhone",
        "Verstuurd vanaf mijn iPad",
        "-- \nAva Jones\nHead of Purchasing",
    ],
)
def test_mobile_footers_and_signatures_are_removed(footer: str) -> None:
    assert visible_reply(f"Where is my order?\n\n{footer}\n") == "Where is my order?"


def test_inline_answers_between_quotes_are_kept() -> None:
    body = (
        "On Mon, Nov 23, 2026 at 6:02 PM Shop Support <s@shop.example.com> wrote:\n"
        "> Which size?\n\nM please\n\n> Which color?\n\nBlue\n"
    )
    assert visible_reply(body) == "M please\n\nBlue"


def test_sentence_starting_with_on_is_not_a_reply_header() -> None:
    body = "On Monday I ordered two shirts:\n\n- blue\n- green"
    assert visible_reply(body) == body


def test_dashes_inside_a_sentence_are_not_a_signature() -> None:
    body = "The box -- the big one -- was empty."
    assert visible_reply(body) == body


def test_crlf_bodies_are_read_like_lf_bodies() -> None:
    body = "Thanks!\r\n\r\nOn Mon, X <x@example.com> wrote:\r\n> hi\r\n"
    assert visible_reply(body) == "Thanks!"
