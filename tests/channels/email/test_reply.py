"""Only what the customer just wrote is kept: quoted history, signatures and footers go."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from chalicelib.channels.email.reply import visible_reply

# GitHub's email_reply_parser suite (MIT, tests/events/email/github/LICENSE).
REPLY_FIXTURES = Path(__file__).parents[2] / "events" / "email" / "github"
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


QUOTE = "\n> Your refund for order #987 was processed.\n> Northwind Threads\n"
HISTORY = "\n\nHello Ava,\nYour refund for order #987 was processed.\nNorthwind Threads\n"


@pytest.mark.parametrize(
    ("header", "history"),
    [
        ("On 22 Aug 2015, at 19:21, Adam <a@b.com> wrote:", QUOTE),  # no blank line above
        ("Στις Δευ 23 Νοε 2026 στις 6:02 μ.μ., ο/η Shop <s@shop.example> έγραψε:", QUOTE),
        ("În lun., 23 nov. 2026 la 18:02, Shop <s@shop.example> a scris:", QUOTE),
        ("في الاثنين، 23 نوفمبر 2026 في 6:02 م، كتب Shop <s@shop.example>:", QUOTE),
        ("ср, 30 апр. 2025 г. в 15:19, John Doe <doe@example.com>:", QUOTE),
        ("Dnia 23 listopada 2026 18:02 Shop <s@shop.example> napisał(a):", HISTORY),
        ("ma 23.11.2026 klo 18.02 Shop <s@shop.example> kirjoitti:", QUOTE),
        ("tir. 18. apr. 2017 kl. 13:09 skrev Shop <s@shop.example>:", QUOTE),
        ("In data 23 novembre 2026 18:02:11, Shop <s@shop.example> ha scritto:", HISTORY),
        ("2026-11-23 18:02 GMT+01:00 Shop <s@shop.example>:", QUOTE),
        ('23.11.2026, 18:02, "Shop" <s@shop.example>:', HISTORY),
        ("Shop <s@shop.example> schrieb am Mo., 23. Nov. 2026, 18:02:", QUOTE),
        ("Shop schrieb am 23.11.2026 um 18:02:", HISTORY),
        ("---- On Mon, 23 Nov 2026 18:02:05 +0100 Shop <s@shop.example> wrote ----", HISTORY),
        ("---- Shop wrote ----", QUOTE),
        (
            "On Tue, Apr 11, 2017 at 10:07 PM Shop\n\n<\nmailto:Shop <s@shop.example>\n> wrote:",
            HISTORY,
        ),
        ("man. 23. nov. 2026 kl. 18:02 skrev Shop <\ns@shop.example>:", QUOTE),
        ("Понедельник, 23 ноября 2026, 18:02 +03:00 от Shop <s@shop.example>:", QUOTE),
    ],
)
def test_reply_headers_by_structure_in_any_language_end_the_reply(
    header: str, history: str
) -> None:
    assert visible_reply(f"Hello\n{header}{history}") == "Hello"
    assert visible_reply(f"Hello\n\n{header}\n{history}") == "Hello"


@pytest.mark.parametrize(
    "block",
    [
        "Fra: Shop <s@shop.example>\nSendt: 23. november 2026 18:02\nTil: Ava\nEmne: Ordre",
        "Från: Shop <s@shop.example>\nSkickat: den 23 november 2026 18:02\nTill: Ava\nÄmne: Order",
        "От: Shop <s@shop.example>\nОтправлено: 23 ноября 2026 г. 18:02\nКому: Ava\nТема: Заказ",
        "*De :* Shop <s@shop.example>\n*Envoyé le :* lundi 23 novembre 2026 18:02\n*À :* Ava",
        "-----Ursprüngliche Nachricht-----\nVon: Shop\nBetreff: Bestellung",
        "-----Oprindelig meddelelse-----\nFra: Shop\nEmne: Ordre",
        "-------- Mensaje original --------\nDe: Shop",
        "Lähettäjä: Shop <s@shop.example>\nLähetetty: maanantai 23. marraskuuta 2026 18.02\nAihe: X",
        "From: Human Resources\n<hr@shop.example>\nSent: Monday, August 26, 2019 4:37 PM\nTo: Ava",
        "Date: Wed, 16 May 2012 00:15:02 -0600\nTo: ava@example.com",
    ],
)
def test_outlook_and_forward_blocks_in_any_language_end_the_reply(block: str) -> None:
    assert (
        visible_reply(f"Please check order #1001.\n\n{block}{HISTORY}")
        == "Please check order #1001."
    )


@pytest.mark.parametrize(
    "footer",
    [
        "Enviado do meu iPhone",
        "Inviato da iPhone",
        "Sendt fra min iPhone",
        "Skickat från min iPhone",
        "Lähetetty iPhonesta",
        "Wysłane z mojego iPhone'a",
        "Отправлено с iPhone",
        "Απεστάλη από το iPhone μου",
        "Trimis de pe iPhone-ul meu",
        "Sent from my Wiko RIDGE FAB 4G",
        "Sent from TypeApp<http://www.typeapp.com/r?b=2621>",
        "Sent from Yahoo Mail on Android",
        "Hämta Outlook för iOS",
    ],
)
def test_device_footers_in_any_language_end_the_reply_also_mid_thread(footer: str) -> None:
    assert visible_reply(f"Where is order #1001?\n\n{footer}\n") == "Where is order #1001?"
    thread = f"Where is order #1001?\n\n{footer}\n\nNo dia 04/12/2024, às 00:19, s@shop.example escreveu:{HISTORY}"
    assert visible_reply(thread) == "Where is order #1001?"


@pytest.mark.parametrize(
    "body",
    [
        "Bonjour,\nIl est signalé que le colis #1001 est en retard.\nMerci",
        "Dear customer,\n\nService  Expire\n--------------------------\nDomain   Jun 27, 2018\n\nThanks",
        "On Monday 23 Nov at 10:00 I wrote to you:\n- item 1\n- item 2",
        "Hi\n\nI emailed you on 23/11 from ava@example.com:\nplease cancel order 1005",
        "Hi\n\nMy order from 12/05/2026 (Ava <ava@example.com>):\nPlease cancel it.",
        "Hi\n\nDer Paketbote schrieb am Montag auf den Zettel:\nnicht zu Hause",
        "Sent from my iPhone yesterday, the photos are attached.",
        "Hello\n\nFrom: my old address ava@old.example\nTo: my new one ava@new.example\nPlease update.",
        "Visit us now for assistance...\n>>> >>>  http://www.domain.com <<<\nVisit our site",
        "On 12/05 John <john@x.com> wrote:\nWhat he wrote was wrong, I never got my parcel.",
    ],
)
def test_customer_words_that_only_look_like_history_are_kept(body: str) -> None:
    assert visible_reply(body) == body


@pytest.mark.parametrize(
    "marker",
    [
        "---------- Forwarded message ---------",
        "Begin forwarded message:",
        "-------- Message transféré --------",
        "---------- Weitergeleitete Nachricht ----------",
        "-------- Пересылаемое сообщение --------",
    ],
)
def test_a_forwarded_mail_is_kept_as_what_the_customer_sends(marker: str) -> None:
    body = (
        f"FYI, the carrier sent me this about #1001:\n\n{marker}\nFrom: UPS <ups@ups.example>\n"
        "Date: Mon, 23 Nov 2026 18:02\nSubject: Delivery failed\n\nWe could not deliver your parcel."
    )
    assert visible_reply(body) == body


def test_a_header_that_would_leave_the_reply_empty_is_not_a_cut() -> None:
    forward = "---------- Forwarded message ---------\nFrom: Shop <s@shop.example>\nDate: Mon, 23 Nov 2026\n\nYour order"
    assert visible_reply(forward) == forward


def test_a_reply_sharing_its_line_with_the_header_keeps_the_start_of_the_line() -> None:
    body = "Thanks, that works--- On Wed, Apr 4, 2012 at 3:59 PM, me@domain.com wrote:\n> Hi"
    assert visible_reply(body) == "Thanks, that works"


def test_quote_lines_wrapped_by_the_client_are_quote_not_reply() -> None:
    body = (
        "Got it.\n\nOn Mon, 23 Nov 2026 at 18:02, Shop <s@shop.example> wrote:\n"
        "> Your parcel left our warehouse this morning and should reach you by Friday at t\n"
        "he latest.\n>\n> Shop\n"
    )
    assert visible_reply(body) == "Got it."


def test_a_header_over_quotes_that_would_leave_nothing_is_kept_with_its_line() -> None:
    body = "reply On Wed, Apr 4, 2012 at 3:59 PM, bob@example.com wrote:\n> Hi"
    assert visible_reply(body) == "reply On Wed, Apr 4, 2012 at 3:59 PM, bob@example.com wrote:"
