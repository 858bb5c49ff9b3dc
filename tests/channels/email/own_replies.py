"""Twenty customer replies written for Tandem, one per mail client and language, as real MIME.

Each answers the store's previous mail (a refund for order #987, quoted as its client quotes it)
with a question about order #1001. `python -m tests.channels.email.own_replies` writes them to
tests/events/email/replies/*.eml; REPLIES holds what the customer wrote in each.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

OUT = Path(__file__).parents[2] / "events" / "email" / "replies"
STORE = "Northwind Threads <support@northwind.example>"
STORE_HTML = html.escape(STORE)
HISTORY = [
    "Hello Ava,",
    "",
    "Your refund for order #987 has been processed and should reach your card within 5 days.",
    "",
    "Northwind Threads",
]


@dataclass(frozen=True)
class Reply:
    """One reply: its client and language, the customer's words, and how the client wraps them."""

    name: str
    client: str
    language: str
    text: str  # what the customer wrote: the only text the agent may read
    plain: str | None  # the text/plain part (None: an HTML-only mail)
    html: str | None = None


def quoted(lines: list[str] = HISTORY) -> str:
    """The history quoted with '> ' as most clients do."""
    return "\n".join(f"> {line}".rstrip() for line in lines)


def unquoted() -> str:
    """The history pasted under a header block, as Outlook does."""
    return "\n".join(HISTORY)


def history_html() -> str:
    """The history as HTML paragraphs."""
    return "".join(f"<div>{html.escape(line) or '<br>'}</div>" for line in HISTORY)


def paragraphs(text: str) -> str:
    """The customer's text as HTML divs, one per line."""
    return "".join(f"<div>{html.escape(line) or '<br>'}</div>" for line in text.split("\n"))


def reply_list() -> list[Reply]:
    """The twenty replies."""
    return [
        gmail_en(),
        apple_mail_fr(),
        outlook_desktop_de(),
        outlook_web_da(),
        ios_pt(),
        samsung_android_es(),
        yahoo_it(),
        thunderbird_pl(),
        zoho_en(),
        mailru_ru(),
        yandex_ru(),
        gmail_el(),
        gmail_ro(),
        gmail_ar(),
        outlook_desktop_fi(),
        gmail_no(),
        outlook_ios_sv(),
        outlook_web_fr(),
        gmail_android_de(),
        outlook_desktop_ru(),
    ]


def gmail_en() -> Reply:
    """Gmail on the web, English, text and HTML (gmail_quote)."""
    text = "Hi, is there any news on order #1001? It has been a week.\n\nAva"
    header = f"On Mon, Nov 23, 2026 at 6:02 PM {STORE} wrote:"
    page = (
        f'<div dir="ltr">{paragraphs(text)}</div><br>'
        f'<div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">'
        f"{html.escape(header)}<br></div>"
        f'<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">{history_html()}'
        "</blockquote></div>"
    )
    return Reply(
        "gmail_en", "Gmail web", "English", text, f"{text}\n\n{header}\n\n{quoted()}\n", page
    )


def apple_mail_fr() -> Reply:
    """Apple Mail on macOS, French, text and HTML (blockquote type=cite); 'Il est' opens a line."""
    text = (
        "Bonjour,\n\nIl est presque midi et la commande #1001 n'est toujours pas là.\n"
        "Pouvez-vous vérifier ?\n\nMerci,\nAva"
    )
    header = f"Le 23 nov. 2026 à 18:02, {STORE} a écrit :"
    page = (
        f'<html><body>{paragraphs(text)}<div><br><blockquote type="cite">'
        f'<div>{html.escape(header)}</div><br class="Apple-interchange-newline">'
        f"{history_html()}</blockquote></div></body></html>"
    )
    return Reply(
        "apple_mail_fr", "Apple Mail", "French", text, f"{text}\n\n{header}\n\n{quoted()}\n", page
    )


def outlook_desktop_de() -> Reply:
    """Outlook for Windows, German: the history unquoted under Von:/Gesendet:/An:/Betreff:."""
    text = "Hallo,\n\nwo bleibt meine Bestellung #1001? Ich warte seit einer Woche.\n\nViele Grüße\nAva Lee"
    block = (
        f"Von: {STORE}\nGesendet: Montag, 23. November 2026 18:02\n"
        "An: Ava Lee <ava@example.com>\nBetreff: Ihre Rückerstattung"
    )
    page = (
        f'<div class="WordSection1">{paragraphs(text)}<div><div style="border:none;'
        f'border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal">'
        f"<b>Von:</b> {STORE_HTML}<br><b>Gesendet:</b> Montag, 23. November 2026 18:02<br>"
        f"<b>An:</b> Ava Lee &lt;ava@example.com&gt;<br><b>Betreff:</b> Ihre Rückerstattung</p>"
        f"</div></div>{history_html()}</div>"
    )
    plain = f"{text}\n\n{block}\n\n{unquoted()}\n"
    return Reply("outlook_desktop_de", "Outlook desktop", "German", text, plain, page)


def outlook_web_da() -> Reply:
    """Outlook on the web, Danish, HTML only (divRplyFwdMsg with bold Fra:/Sendt:/Til:/Emne:)."""
    text = "Hej,\n\nhvor er min ordre #1001 henne?\n\nVenlig hilsen\nAva"
    page = (
        f'<html><body>{paragraphs(text)}<div id="appendonsend"></div>'
        '<hr style="display:inline-block;width:98%" tabindex="-1">'
        '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif">'
        f"<b>Fra:</b> {STORE_HTML}<br><b>Sendt:</b> 23. november 2026 18:02<br>"
        "<b>Til:</b> Ava Lee &lt;ava@example.com&gt;<br><b>Emne:</b> Din refusion</font>"
        f"<div>&nbsp;</div></div><div>{history_html()}</div></body></html>"
    )
    return Reply("outlook_web_da", "Outlook web", "Danish", text, None, page)


def ios_pt() -> Reply:
    """iOS Mail, Portuguese: 'Enviado do meu iPhone' above 'No dia ..., às ..., ... escreveu:'."""
    text = "Olá, a encomenda #1001 ainda não chegou. Podem ver onde está?"
    plain = (
        f"{text}\n\nEnviado do meu iPhone\n\n"
        "No dia 23/11/2026, às 18:02, support@northwind.example escreveu:\n\n"
        f"{quoted()}\n"
    )
    return Reply("ios_pt", "iOS Mail", "Portuguese", text, plain)


def samsung_android_es() -> Reply:
    """Samsung Email on Android, Spanish: device footer, then an unquoted 'Mensaje original'."""
    text = "Hola, ¿dónde está mi pedido #1001?"
    plain = (
        f"{text}\n\n\n\nEnviado desde mi Samsung Galaxy\n\n\n"
        "-------- Mensaje original --------\n"
        f"De: {STORE}\nFecha: 23/11/26 18:02 (GMT+01:00)\n"
        "Para: Ava Lee <ava@example.com>\nAsunto: Su reembolso\n\n"
        f"{unquoted()}\n"
    )
    return Reply("samsung_android_es", "Samsung Email (Android)", "Spanish", text, plain)


def yahoo_it() -> Reply:
    """Yahoo Mail, Italian, HTML only (yahoo_quoted)."""
    text = "Buongiorno, il mio ordine #1001 non è ancora arrivato. Dove si trova?"
    header = f"Il lunedì 23 novembre 2026, 18:02:11 CET, {STORE} ha scritto:"
    page = (
        f'<html><body><div class="ydp4e1f2c3fyahoo-style-wrap"><div>{html.escape(text)}</div>'
        '<div><br></div></div><div id="yahoo_quoted_8412937261" class="yahoo_quoted">'
        f'<div style="font-family:Helvetica"><div>{html.escape(header)}</div><div><br></div>'
        f"{history_html()}</div></div></body></html>"
    )
    return Reply("yahoo_it", "Yahoo Mail", "Italian", text, None, page)


def thunderbird_pl() -> Reply:
    """Thunderbird, Polish, text and HTML (moz-cite-prefix, blockquote cite)."""
    text = "Dzień dobry,\n\ngdzie jest moje zamówienie #1001?\n\nPozdrawiam\nAva"
    header = "W dniu 23.11.2026 o 18:02, Northwind Threads pisze:"
    page = (
        f"<html><body><p>{html.escape(text).replace(chr(10), '<br>')}</p>"
        f'<div class="moz-cite-prefix">{html.escape(header)}<br></div>'
        f'<blockquote type="cite" cite="mid:refund-987@northwind.example">{history_html()}'
        "</blockquote></body></html>"
    )
    plain = f"{text}\n\n{header}\n{quoted()}\n"
    return Reply("thunderbird_pl", "Thunderbird", "Polish", text, plain, page)


def zoho_en() -> Reply:
    """Zoho Mail, English: its '---- On ... wrote ----' line over the unquoted history."""
    text = "Hello, could you tell me when order #1001 will arrive?\n\nAva"
    plain = (
        f"{text}\n\n\n---- On Mon, 23 Nov 2026 18:02:05 +0100 {STORE} wrote ----\n\n{unquoted()}\n"
    )
    return Reply("zoho_en", "Zoho Mail", "English", text, plain)


def mailru_ru() -> Reply:
    """mail.ru, Russian: 'Понедельник, 23 ноября 2026, 18:02 +03:00 от ...:' over quotes."""
    text = "Здравствуйте! Где мой заказ #1001?"
    plain = f"{text}\n\n\n\nПонедельник, 23 ноября 2026, 18:02 +03:00 от {STORE}:\n\n{quoted()}\n"
    return Reply("mailru_ru", "mail.ru", "Russian", text, plain)


def yandex_ru() -> Reply:
    """Yandex Mail, Russian: signature, app footer, then a date-first header."""
    text = "Добрый день, подскажите, что с заказом #1001."
    plain = (
        f"{text}\n\n-- \nОтправлено из мобильной Яндекс Почты\n\n"
        f'23.11.2026, 18:02, "Northwind Threads" <support@northwind.example>:\n{quoted()}\n'
    )
    return Reply("yandex_ru", "Yandex Mail", "Russian", text, plain)


def gmail_el() -> Reply:
    """Gmail, Greek: 'Στις ... ο/η ... έγραψε:'."""
    text = "Καλησπέρα, πού βρίσκεται η παραγγελία μου #1001;"
    header = f"Στις Δευ 23 Νοε 2026 στις 6:02 μ.μ., ο/η {STORE} έγραψε:"
    return Reply("gmail_el", "Gmail web", "Greek", text, f"{text}\n\n{header}\n\n{quoted()}\n")


def gmail_ro() -> Reply:
    """Gmail, Romanian: 'În lun., ... a scris:'."""
    text = "Bună ziua, unde este comanda mea #1001?"
    header = f"În lun., 23 nov. 2026 la 18:02, {STORE} a scris:"
    return Reply("gmail_ro", "Gmail web", "Romanian", text, f"{text}\n\n{header}\n\n{quoted()}\n")


def gmail_ar() -> Reply:
    """Gmail, Arabic: 'في الاثنين، ... كتب ...:'."""
    text = "مرحبا، أين طلبي #1001؟"
    header = f"في الاثنين، 23 نوفمبر 2026 في 6:02 م، كتب {STORE}:"
    return Reply("gmail_ar", "Gmail web", "Arabic", text, f"{text}\n\n{header}\n\n{quoted()}\n")


def outlook_desktop_fi() -> Reply:
    """Outlook for Windows, Finnish: Lähettäjä:/Lähetetty:/Vastaanottaja:/Aihe: over history."""
    text = "Hei,\n\nmissä tilaukseni #1001 on?\n\nTerveisin\nAva"
    plain = (
        f"{text}\n\nLähettäjä: {STORE}\nLähetetty: maanantai 23. marraskuuta 2026 18.02\n"
        f"Vastaanottaja: Ava Lee <ava@example.com>\nAihe: Hyvitys\n\n{unquoted()}\n"
    )
    return Reply("outlook_desktop_fi", "Outlook desktop", "Finnish", text, plain)


def gmail_no() -> Reply:
    """Gmail, Norwegian: 'man. 23. nov. 2026 kl. 18:02 skrev ...:' wrapped over two lines."""
    text = "Hei! Hvor er bestillingen min #1001?"
    plain = (
        f"{text}\n\nman. 23. nov. 2026 kl. 18:02 skrev Northwind Threads <\n"
        f"support@northwind.example>:\n\n{quoted()}\n"
    )
    return Reply("gmail_no", "Gmail web", "Norwegian", text, plain)


def outlook_ios_sv() -> Reply:
    """Outlook for iOS, Swedish: 'Hämta Outlook för iOS', then Från:/Datum:/Till:/Ämne:."""
    text = "Hej,\n\nvar är min beställning #1001?\n\nMvh Ava"
    plain = (
        f"{text}\n\nHämta Outlook för iOS\n________________________________\n"
        f"Från: {STORE}\nSkickat: den 23 november 2026 18:02\nTill: Ava Lee <ava@example.com>\n"
        f"Ämne: Återbetalning\n\n{unquoted()}\n"
    )
    return Reply("outlook_ios_sv", "Outlook for iOS", "Swedish", text, plain)


def outlook_web_fr() -> Reply:
    """Outlook on the web, French, text with bold markers (*De :*, *Envoyé :*)."""
    text = "Bonjour,\n\nOù en est ma commande #1001 ?\n\nCordialement,\nAva"
    plain = (
        f"{text}\n\n________________________________\n*De :* {STORE}\n"
        "*Envoyé :* lundi 23 novembre 2026 18:02\n*À :* Ava Lee <ava@example.com>\n"
        f"*Objet :* Votre remboursement\n\n{unquoted()}\n"
    )
    return Reply("outlook_web_fr", "Outlook web", "French", text, plain)


def gmail_android_de() -> Reply:
    """Gmail for Android, German: '<name> schrieb am Mo., 23. Nov. 2026, 18:02:'."""
    text = "Hallo, gibt es Neuigkeiten zu Bestellung #1001?"
    plain = f"{text}\n\n{STORE} schrieb am Mo., 23. Nov. 2026, 18:02:\n\n{quoted()}\n"
    return Reply("gmail_android_de", "Gmail Android", "German", text, plain)


def outlook_desktop_ru() -> Reply:
    """Outlook for Windows, Russian: '-----Исходное сообщение-----' then От:/Отправлено:/Кому:."""
    text = "Добрый день! Заказ #1001 ещё не пришёл, где он сейчас?"
    plain = (
        f"{text}\n\n-----Исходное сообщение-----\nОт: {STORE}\n"
        "Отправлено: 23 ноября 2026 г. 18:02\nКому: Ava Lee <ava@example.com>\nТема: Возврат\n\n"
        f"{unquoted()}\n"
    )
    return Reply("outlook_desktop_ru", "Outlook desktop", "Russian", text, plain)


def mime(reply: Reply, index: int) -> bytes:
    """The reply as its client would send it: text, HTML, or both as multipart/alternative."""
    mail = EmailMessage()
    mail["From"] = "Ava Lee <ava@example.com>"
    mail["To"] = "support@northwind.example"
    mail["Subject"] = "Re: Your refund"
    mail["Date"] = "Tue, 24 Nov 2026 09:15:00 +0100"
    mail["Message-ID"] = f"<reply-{index:02d}-{reply.name}@mail.example.com>"
    mail["In-Reply-To"] = "<refund-987@northwind.example>"
    mail["X-Mailer-Kind"] = f"{reply.client}; {reply.language}"
    if reply.plain is not None:
        mail.set_content(reply.plain)
        if reply.html is not None:
            mail.add_alternative(reply.html, subtype="html")
            mail.set_boundary(f"==alt-{reply.name}==")  # fixed: the stored file is reproducible
    else:
        mail.set_content(reply.html or "", subtype="html")
    return mail.as_bytes()


REPLIES = {reply.name: reply for reply in reply_list()}


def main() -> None:
    """Writes every reply to tests/events/email/replies/<name>.eml."""
    OUT.mkdir(parents=True, exist_ok=True)
    for index, reply in enumerate(reply_list(), start=1):
        (OUT / f"{reply.name}.eml").write_bytes(mime(reply, index))


if __name__ == "__main__":
    main()
