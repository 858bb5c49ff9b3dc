"""What a reply or forward header looks like, in any language: a grammar of dates, names and fields."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Multilingual data. Words are compared lowercase, without the dots and commas around them.
MONTHS = frozenset(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    janvier février mars avril mai juin juillet août septembre octobre novembre décembre
    janv févr avr juil déc
    januar februar märz april juni juli oktober dezember mär okt dez
    enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
    ene abr ago dic
    janeiro fevereiro março maio junho julho setembro outubro novembro dezembro fev set out
    gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre gen mag giu lug ott
    januari februari maart mei augustus mrt
    marts maj desember des augusti
    tammikuuta helmikuuta maaliskuuta huhtikuuta toukokuuta kesäkuuta heinäkuuta elokuuta
    syyskuuta lokakuuta marraskuuta joulukuuta tammikuu helmikuu maaliskuu huhtikuu toukokuu
    kesäkuu heinäkuu elokuu syyskuu lokakuu marraskuu joulukuu
    stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada
    grudnia styczeń luty marzec kwiecień czerwiec lipiec sierpień wrzesień październik listopad
    grudzień sty lut kwi cze lip sie wrz paź lis gru
    января февраля марта апреля мая июня июля августа сентября октября ноября декабря
    январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь
    янв фев февр апр июн июл авг сен сент окт ноя нояб дек
    ιανουαρίου φεβρουαρίου μαρτίου απριλίου μαΐου ιουνίου ιουλίου αυγούστου σεπτεμβρίου
    οκτωβρίου νοεμβρίου δεκεμβρίου ιαν φεβ μαρ απρ μαΐ ιουν ιουλ αυγ σεπ οκτ νοε δεκ
    ianuarie februarie martie aprilie iunie iulie septembrie octombrie noiembrie decembrie
    ian iun iul
    يناير فبراير مارس أبريل ابريل مايو يونيو يوليو أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر
    ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık
    """.split()
)
WEEKDAYS = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
    lundi mardi mercredi jeudi vendredi samedi dimanche lun mer jeu ven sam dim
    montag dienstag mittwoch donnerstag freitag samstag sonntag mo di mi do fr sa so
    lunes martes miércoles jueves viernes sábado domingo mié jue vie sáb dom
    segunda-feira terça-feira quarta-feira quinta-feira sexta-feira seg ter qua qui sex
    lunedì martedì mercoledì giovedì venerdì sabato domenica gio sab
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag ma wo vr za zo
    mandag tirsdag onsdag torsdag fredag lørdag søndag man tir tirs ons tor tors fre lør søn
    måndag tisdag lördag söndag mån tis lör sön
    maanantai tiistai keskiviikko torstai perjantai lauantai sunnuntai ti ke to pe la su
    poniedziałek wtorek środa czwartek piątek sobota niedziela pon wt śr czw pt sob niedz nie
    понедельник вторник среда четверг пятница суббота воскресенье пн вт ср чт пт сб вс
    δευτέρα τρίτη τετάρτη πέμπτη παρασκευή σάββατο κυριακή δευ τρί τετ πέμ παρ σάβ κυρ
    luni marți miercuri joi vineri sâmbătă duminică mie vin sâm dum
    الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد
    pazartesi salı çarşamba perşembe cuma cumartesi pazar
    """.split()
)
# Verbs of writing that end "On <date>, <name> wrote:" in each language.
WRITING_VERBS = frozenset(
    """
    wrote writes écrit schrieb geschrieben escribió escreveu scritto schreef geschreven skrev
    skrevet pisze kirjoitti napisał napisała napisał(a) написал написала написал(а) написав пишет
    έγραψε scris كتب yazdı napsal napsala napsal(a) írta 写道 寫道 כתב
    """.split()
)
# The small words around the date and the name in reply headers.
GLUE = frozenset(
    """
    on at am um uhr le à a de del el la las los op om il giorno alle ore ha em às no dia da do
    di den kl kl. klo klockan kello dnia o godz w в г г. пользователь от στις ο η pe în
    في م ص الساعة بتاريخ from by et und y e en och og ja i и και și utc gmt cet cest est pst
    am pm a.m p.m vorm nachm μ π dniu użytkownik heeft het volgende
    """.split()
)
# Headers name people in the third person: a pronoun means someone is writing a sentence.
PRONOUNS = frozenset(
    """
    i my me we our us you your je mon ma mes nous notre vous votre ich mein meine meinen wir unser
    yo mis nosotros nuestro eu meu minha nós io mio mia noi ik mijn wij jeg mitt vi jag minun me
    mój moja moje my я мой моя мы наш εγώ μου εμείς eu meu
    """.split()
) - (MONTHS | WEEKDAYS | GLUE)  # 'Mon,' 'Ma' and 'Mi.' are weekdays first
KNOWN = MONTHS | WEEKDAYS | GLUE | WRITING_VERBS
# Outlook's header fields, by what they are, in each language.
FIELDS = {
    "from": "from von de da van fra från lähettäjä od от από de la من kimden feladó odesílatel",
    "date": "sent date gesendet datum envoyé envoyé le enviado enviada data inviato verzonden "
    "sendt dato skickat lähetetty päivämäärä wysłano wysłane отправлено дата στάλθηκε "
    "ημερομηνία trimis أرسل أرسلت التاريخ tarih gönderildi odesláno elküldve fecha",
    "to": "to an à a para aan til till vastaanottaja do кому προς către catre إلى kime komu címzett",
    "cc": "cc kopie copie kopia копия κοιν bilgi",
    "subject": "subject betreff objet asunto assunto oggetto onderwerp emne ämne aihe temat тема "
    "θέμα subiect الموضوع konu předmět tárgy",
}
FIELD_KEYS = {key: kind for kind, keys in FIELDS.items() for key in keys.split()}
FIELD_KEYS.update({"envoyé le": "date", "de la": "from", "enviado el": "date", "sent at": "date"})
# Nouns of "-----Original Message-----" separators in each language.
MESSAGE_NOUNS = (
    "message",
    "nachricht",
    "meddelelse",
    "besked",
    "melding",
    "meddelande",
    "viesti",
    "mensaje",
    "mensagem",
    "messaggio",
    "bericht",
    "wiadomość",
    "сообщение",
    "μήνυμα",
    "mesaj",
    "zpráva",
    "üzenet",
    "رسالة",
    "الرسالة",
    "forwarded",
    "original",
)
# A forward shares another mail: its words are what the customer sends us, not our history.
FORWARD = re.compile(
    r"forward|weitergeleitet|transféré|réexpédié|reenviado|reencaminhad|encaminhad|inoltrat"
    r"|doorgestuurd|videresend|vidarebefordra|välitetty|przekazan|пересыла|переслан|προωθημένο"
    r"|redirecționat|iletilen|přeposlan|továbbított|معاد توجيه",
    re.IGNORECASE,
)
DEVICE_FOOTER = re.compile(
    r"(sent (from|with|via|using)|envoy[ée] (de|depuis|avec|à partir)|enviad[oa] (desde|de|do|com|con)"
    r"|inviato (da|dal|con)|verstuurd (vanaf|met)|verzonden (vanaf|met)|sendt fra|skickat från"
    r"|wysłan[eo] (z|ze)|отправлено (с|со|из)|απεστάλη από|trimis (de pe|de|cu|din)"
    r"|von meinem|gesendet (von|mit)|lähetetty|odesláno z|أرسلت من|مرسل من"
    r"|(get|obtenir|télécharger|obtener|baixe o|scarica|ottieni|hol dir|holen sie sich|hämta|hent"
    r"|hanki|pobierz|скачайте|получите|descarcă|λήψη) outlook)\b.{0,60}"
    r"|.{1,50}\b(gesendet|gönderildi|lähetetty)",
    re.IGNORECASE,
)
DEVICES = re.compile(
    r"iphone|ipad|android|galaxy|blackberry|samsung|huawei|xiaomi|pixel|mobile|móvil|movil|"
    r"celular|telefon|phone|handy|smartphone|телефон|outlook|yahoo|mail|gmail|zoho|яндекс|"
    r"typeapp|spark|proton|appareil|dispositivo|device|устройств|iphonesta|iphone-ul|"
    r"windows|почты",
    re.IGNORECASE,
)
# "Sent from my <anything short>": the possessive names a device, whatever its brand.
OWN_DEVICE = re.compile(
    r"(sent from my|envoyé de mon|envoyé depuis mon|enviado desde mi|enviado do meu|enviado de meu"
    r"|inviato dal mio|inviato da|verstuurd vanaf mijn|sendt fra min|skickat från min"
    r"|wysłane z mojego|wysłano z mojego|отправлено с моего|απεστάλη από το|trimis de pe"
    r"|von meinem)( \S+){1,5}",
    re.IGNORECASE,
)
FOOTER_URL = re.compile(r"\s*(<[^<>\s]*>|\([^()\s]*\))\s*$")

ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")
TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}\b")
NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}([./-]\d{1,4})?\b")
YEAR = re.compile(r"\b(19|20)\d\d\b")
DAY = re.compile(r"\b\d{1,2}\b")
MARKED_WORD = re.compile(r"(?<!\w)([^\W\d_]{2,})[.,]")
CJK_DATE = re.compile(r"\d+\s*[年月日]")
WORD = re.compile(r"[^\W\d_][\w'’()-]*")
FRAME = re.compile(r"^[\s\-_=*]+|[\s\-_=*]+$")
FRAMED = re.compile(r"[-_=]{2,}\s*(\S.{0,80}?)\s*[-_=]{2,}")
FIELD = re.compile(r"^\s*[*_]*\s*([^\W\d_][\w .'-]{0,20}?)\s*[*_]*\s*[:：]\s*[*_]*(.*)$")
HEADER_MAX_CHARS = 320
FOOTER_MAX_CHARS = 200  # also bounds the separator lines read
MAX_UNKNOWN_WORDS = 3
# Over unquoted text a header cuts the rest: one stray word at most ('I emailed you on 23/11 from
# ava@example.com:' is the customer writing, not a header).
STRICT_UNKNOWN_WORDS = 1


@dataclass(frozen=True)
class HeaderReading:
    """What a candidate header holds: a date, a party (name or address), a writing verb, stray words."""

    date: bool
    address: bool
    name: bool
    verb: bool
    unknown: int
    end: bool
    pronoun: bool = False


def words_of(text: str) -> list[str]:
    """Words of a header, lowercase, without surrounding punctuation."""
    return [w.lower().strip(".,'’-()") for w in WORD.findall(text)]


def has_date(text: str) -> bool:
    """A time, a numeric date, a year, a day with a month name, or a CJK date."""
    if TIME.search(text) or NUMERIC_DATE.search(text) or YEAR.search(text) or CJK_DATE.search(text):
        return True
    if any(day.lower() in WEEKDAYS for day in MARKED_WORD.findall(text)):
        return True  # 'Mon,' 'Mi.,': a weekday as headers write it
    return bool(DAY.search(text)) and any(w.strip(".") in MONTHS for w in words_of(text))


def is_name_word(word: str) -> bool:
    """A capitalised word (or one of a script without case) that is no date or glue word."""
    bare = word.strip(".,'’-()\"«»")
    if len(bare) < 2 or bare.lower() in KNOWN:
        return False
    first = bare[0]
    return first.isupper() or (first.isalpha() and first.lower() == first.upper())


def read_header(text: str) -> HeaderReading:
    """The header parts found in one candidate block (joined lines)."""
    core = FRAME.sub("", text)
    raw_words = WORD.findall(ADDRESS.sub(" ", core.replace("mailto:", " ")))
    lowered = [w.lower().strip(".,'’-()") for w in raw_words]
    unknown = sum(
        1
        for raw, low in zip(raw_words, lowered, strict=True)
        if low in PRONOUNS or (low not in KNOWN and not is_name_word(raw))
    )
    return HeaderReading(
        date=has_date(core),
        address=bool(ADDRESS.search(core)),
        name=any(is_name_word(raw) for raw in raw_words) or '"' in core,
        verb=any(low in WRITING_VERBS for low in lowered),
        unknown=unknown,
        end=core.endswith((":", "\uff1a", ">")) or (bool(lowered) and lowered[-1] in WRITING_VERBS),
        pronoun=any(low in PRONOUNS for low in lowered),
    )


@lru_cache(maxsize=1024)
def is_reply_header(text: str, *, strict: bool) -> bool:
    """A short block with a date and a name or address, ending as headers end; strict: over history."""
    if len(text) > 2 * HEADER_MAX_CHARS:
        return False
    text = " ".join(text.split())
    if len(text) > HEADER_MAX_CHARS or "?" in ADDRESS.sub("", text) or "!" in text:
        return False
    reading = read_header(text)
    if FRAMED.fullmatch(text) and reading.verb and reading.unknown <= 1:
        return True  # Android's '---- John Smith wrote ----'
    party = reading.address or reading.name or reading.verb
    if not (reading.date and reading.end and party) or reading.unknown > MAX_UNKNOWN_WORDS:
        return False
    if strict:
        closes = FRAME.sub("", text).endswith((":", "\uff1a")) or reading.verb
        budget = STRICT_UNKNOWN_WORDS
        sure = closes and not reading.pronoun and reading.unknown <= budget
        return sure and (reading.address or reading.verb)
    return True


def field_kind(line: str) -> str | None:
    """'from', 'date', 'to', 'cc' or 'subject' for an Outlook header field line, else None."""
    match = FIELD.match(line)
    if not match:
        return None
    key = " ".join(match.group(1).lower().split())
    return FIELD_KEYS.get(key)


def is_framed_separator(line: str) -> bool:
    """'-----Original Message-----' in any language (a message noun framed by dashes)."""
    match = FRAMED.fullmatch(line.strip()) if len(line) < FOOTER_MAX_CHARS else None
    if not match:
        return False
    inner = match.group(1).lower()
    return any(noun in inner for noun in MESSAGE_NOUNS)


def is_forward_marker(line: str) -> bool:
    """'---------- Forwarded message ---------', 'Begin forwarded message:' and their kin."""
    text = line.strip()
    if len(text) > FOOTER_MAX_CHARS or not FORWARD.search(text):
        return False
    return bool(FRAMED.fullmatch(text)) or (text.endswith(":") and len(text.split()) <= 5)


def is_device_footer(line: str) -> bool:
    """'Sent from my iPhone' and its kin in any language: a short line naming a device or app."""
    if len(line) > FOOTER_MAX_CHARS:
        return False
    text = FOOTER_URL.sub("", unicodedata.normalize("NFC", line.strip()))
    if not text or len(text) > 70 or text.count(" ") > 8 or text[-1:] in ".,;:?!":
        return False
    return bool(OWN_DEVICE.fullmatch(text) or (DEVICE_FOOTER.match(text) and DEVICES.search(text)))
