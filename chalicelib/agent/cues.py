"""Word lists and patterns the triage guardrails look for, each matched on word boundaries."""

from __future__ import annotations

import re

from chalicelib.runtime.patterns import lazy

FLAGS = re.IGNORECASE

HUMAN_REQUEST = lazy(
    r"\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a\s+|an\s+|some\s+|your\s+)?"
    r"(?:real\s+|live\s+|actual\s+)?(?:human|person|people|agent|someone|somebody|"
    r"representative|rep|manager|supervisor|staff)\b"
    r"|\b(?:real|live|actual)\s+(?:human|person|agent)\b"
    r"|\brepresentative\b|\bhuman\s+(?:being|agent|please)\b"
    r"|\b(?:want|need|get\s+me)\s+(?:a|an)\s+(?:real\s+|live\s+)?"
    r"(?:human|person|agent|manager|supervisor)\b"
    r"|\b(?:connect|transfer|put)\s+me\s+(?:through\s+)?(?:to|with)\s+(?:a|an|someone|somebody)\b"
    r"|^\W*(?:human|agent|operator)\W*$",
    FLAGS,
)
# "I don't need to talk to a person" is not a request for one.
HUMAN_NEGATION = lazy(r"\b(?:don'?t|do\s+not|no\s+need|not)\b[\w\s']{0,20}$", FLAGS)

FRUSTRATION_PHRASES = lazy(
    r"\b(?:worst|ridiculous|unacceptable|useless|pathetic|disgusting|fed\s+up|sick\s+of|"
    r"(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th))\s+(?:time|email|e-mail|message|call)|sort\s+it\s+out|how\s+many\s+times|still\s+(?:waiting|nothing)|"
    r"waste\s+of\s+(?:time|money)|never\s+again|furious|livid|not\s+good\s+enough|fuming|"
    r"(?:no\s*one|nobody)\s+(?:ever\s+|even\s+)?(?:cares?|answers?|answered|repl(?:y|ies|ied)|"
    r"respond(?:s|ed)?|gets?\s+back|got\s+back|helps?|helped|listens?|bothered)|"
    r"been\s+waiting\s+(?:for\s+)?(?:ages|forever|weeks|months|(?:two|three|four|\d+)\s+weeks))\b",
    FLAGS,
)
# How the customer says they feel: alone, the sentiment threshold decides ("I'm a bit
# disappointed" is no handover); with a frustration phrase, both together are ("pretty annoyed
# ... nobody answered my email", which VADER reads as cheerful for "pretty").
FEELINGS = lazy(
    r"(?<!not\s)(?<!n't\s)(?<!n\u2019t\s)\b(?:annoyed|frustrat(?:ed|ing)|disappointed|"
    r"disappointing|gutted|upset)\b|\bnot\s+(?:happy|impressed)\s+(?:with|about|at\s+all)\b",
    FLAGS,
)
# Scorn whose words VADER reads as cheerful ("joke" is positive in its lexicon): angry as it is.
SCORN = lazy(
    r"\b(?:this|that|it)(?:\s+is|'s|\u2019s|s)\s+(?:a|an\s+absolute|a\s+complete|a\s+total)"
    r"\s+joke\b|\bwhat\s+a\s+joke\b|\byou(?:'re|\u2019re|\s+are)\s+(?:a\s+)?joke\b",
    FLAGS,
)
EXCLAMATION_RUN = lazy(r"[!?]*![!?]*!+")
CAPS_WORD = lazy(r"\b[A-Z]{3,}\b")
# Capitalized on purpose, not shouting.
ACRONYMS = frozenset({"UPS", "DHL", "USPS", "USA", "FAQ", "SKU", "USD", "EUR", "GBP", "ETA", "OK"})

PROFANITY = frozenset(
    {
        "fuck", "fucking", "fucked", "fucker", "fucks", "motherfucker", "shit", "shitty",
        "bullshit", "bitch", "asshole", "bastard", "cunt", "dickhead", "wtf", "stfu", "goddamn",
        "crap", "piss",
    }
)  # fmt: skip
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "$": "s", "@": "a"})
OBFUSCATED_WORD = lazy(r"[a-z0-9@$*]*[a-z*][a-z0-9@$*]*", FLAGS)

DAMAGED_ITEM = lazy(
    r"\b(?:damaged|broken|torn|ripped|smashed|crushed|cracked|shattered|dented|defective|faulty|"
    r"stained|leaking|chipped|broke|snapped|tore|(?:fell|falling|came|coming)\s+(?:apart|undone|unstitched|unglued|off)|"
    r"faded|shrank|shrunk|pilled|pilling|bobbled|discolou?red|frayed|fraying|peeling|scratched|"
    r"scuffed|snagged)\b"
    # "the wrap dress has a little hole near the hem", "there's a stain on the collar"
    r"|\b(?:has|had|have|with|there['\u2019]?s|there\s+is|got)\s+(?:a\s+|an\s+)?"
    r"(?:(?:little|small|tiny|big|huge|massive|noticeable)\s+)?"
    r"(?:holes?|tears?|rips?|stains?|scratch(?:es)?|chips?|cracks?|dents?|snags?)\b"
    r"|\bwrong\s+(?:item|items|product|order|parcel|package|one)\b"
    r"|\bwrong\s+(?:size|colou?r)\s+(?:was\s+|were\s+|got\s+)?"
    r"(?:sent|shipped|delivered|arrived|came)\b"
    r"|\b(?:sent|shipped|delivered|received|got|arrived|came)\b[^.?!]{0,25}\bwrong\b"
    r"|\bnot\s+what\s+i\s+ordered\b|\bmissing\s+(?:item|items|piece|pieces|part|parts)\b"
    # "you sent me a blue shirt but I ordered the white tee", "got the mugs instead of the bowls"
    r"|\bbut\s+(?:i|we)\s+(?:had\s+)?ordered\b"
    r"|\b(?:i|we)\s+ordered\s+[^.?!]{0,40}\b(?:but|and)\s+(?:got|received|you\s+sent)\b"
    r"|\b(?:sent|got|received|delivered)\s+[^.?!]{0,40}\binstead\s+of\b",
    FLAGS,
)

LEGAL_OR_CHARGEBACK = lazy(
    r"\b(?:lawyer|lawyers|attorney|solicitor|lawsuit|legal\s+action|small\s+claims|"
    r"charge\s*back|chargeback|bbb|better\s+business\s+bureau|trading\s+standards|"
    r"consumer\s+protection|ombudsman|take\s+you\s+to\s+court|fraud\s+squad)\b"
    r"|\breport(?:ing|ed)?\s+(?:you|this\s+(?:shop|store|company)|your\s+(?:shop|store|company))"
    r"\s+to\s+(?:the\s+)?(?:authorities|police|regulators?|ftc|fca|bbb)\b"
    r"|\b(?:sue|suing)\s+(?:you|your|the|them|this|northwind)\b"
    r"|\b(?:will|going\s+to|gonna|i'?ll)\s+sue\b"
    r"|\bdispute\b[^.?!]{0,30}\b(?:bank|card|credit\s+card|paypal)\b"
    r"|\b(?:bank|card)\b[^.?!]{0,20}\bdispute\b",
    FLAGS,
)

# A competitor the store cannot name: "another shop has it cheaper", "other stores do free shipping".
UNNAMED_COMPETITOR = lazy(
    r"\b(?:another|other|different|a\s+rival|competing)\s+(?:online\s+)?(?:shops?|stores?|"
    r"websites?|sites?|retailers?|sellers?|brands?|companies)\b"
    r"|\b(?:cheaper|for\s+less)\s+(?:elsewhere|somewhere\s+else)\b",
    FLAGS,
)

# Distinct kinds of problem, for "several issues in one message".
ISSUE_KINDS: dict[str, re.Pattern[str]] = {
    "delivery": lazy(
        r"\b(?:late|delayed?|hasn'?t\s+(?:arrived|come)|not\s+(?:arrived|delivered)|"
        r"never\s+(?:arrived|came)|where\s+is\s+my|lost\s+(?:parcel|package)|tracking)\b",
        FLAGS,
    ),
    "billing": lazy(
        r"\b(?:charged|overcharged|double[-\s]charged|billed|wrong\s+charge|charge\s+on|"
        r"payment\s+(?:failed|went|issue)|invoice)\b",
        FLAGS,
    ),
    "returns": lazy(r"\b(?:return|returns|returning|refund|refunded|exchange)\b", FLAGS),
    "damage": DAMAGED_ITEM,
    "cancellation": lazy(r"\bcancel(?:l?ed|ling|lation)?\b", FLAGS),
    "account": lazy(r"\b(?:password|log\s*in|login|sign\s+in|my\s+account)\b", FLAGS),
    "discount": lazy(r"\b(?:promo|coupon|discount|code\s+(?:didn'?t|doesn'?t))\b", FLAGS),
}


def profane_words(text: str) -> list[str]:
    """The words of `text` that are profanity, also when lightly obfuscated (f*ck, sh1t)."""
    return [word for word in OBFUSCATED_WORD.findall(text) if _is_profane(word.lower())]


def _squeeze(word: str) -> str:
    """A word with runs of one letter made single (fuuuck -> fuck)."""
    return re.sub(r"(.)\1+", r"\1", word)


def _is_profane(word: str) -> bool:
    """Whether one whole word is on the list, `*` standing for one letter."""
    plain = _squeeze(word.translate(LEET))
    if "*" not in plain:
        return plain in _SQUEEZED
    pattern = lazy(re.escape(plain).replace(r"\*", "[a-z]+"))
    letters = plain.replace("*", "")
    return len(letters) >= 2 and any(pattern.fullmatch(entry) for entry in _SQUEEZED)


_SQUEEZED = frozenset(_squeeze(entry) for entry in PROFANITY)
