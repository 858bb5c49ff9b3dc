"""How customers word knowledge questions: synonyms, words that carry no topic, question types."""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache
from pathlib import Path

from chalicelib.runtime.patterns import lazy

FLAGS = re.IGNORECASE
SENTENCES = lazy(r"(?<=[.!?])\s+")  # where a message's sentences end
ASKED_SPLIT = lazy(r"(?<=[.!?])\s+|\n+")  # a message's sentences, or its lines
# A clause that starts asking, after a comma or a dash: "I'm a medium, *which size should I get?*"
QUESTION_START = lazy(
    r"(?:what|what's|whats|how|when|where|which|who|why|can|could|do|does|did|is|are|will|would|"
    r"should|shall|may|am|any)\b",
    re.IGNORECASE,
)
ASKING_CLAUSE = lazy(
    r"(?:,|\s[-\u2013\u2014])\s+(?=(?:what|what's|whats|how|when|where|which|who|why|can|could|"
    r"do|does|did|is|are|will|would|should|shall|may|am|any)\b)",
    re.IGNORECASE,
)

# Customers' words rewritten to the words policy articles use (applied to the question only).
REWRITES: list[tuple[re.Pattern[str], str]] = [
    (lazy(pattern, FLAGS), replacement)
    for pattern, replacement in [
        # "when do you take the money?": when the card is charged (before "the money" is a refund)
        (
            r"\b(?:take|takes|took|taken|taking|debit\w*)\s+(?:the\s+|my\s+|your\s+)?"
            r"(?:money|payment)\b(?!\s+back)",
            "charged",
        ),
        # "when is the money actually taken from my card?": the charge, said the other way round
        (
            r"\b(?:the\s+|my\s+)?(?:money|payment)\s+(?:\w+\s+)?(?:taken|debited|deducted|"
            r"come\s+out|comes\s+out)\b",
            "payment charged",
        ),
        # "I no longer want my order": cancelling it; "no longer" alone is not a duration
        (
            r"\b(?:no\s+longer|don['\u2019]?t|do\s+not)\s+(?:want|need)\s+(?=(?:it|them|(?:my|the|this)\s+(?:order|parcel|package|items?|stuff))\b)",
            "cancel ",
        ),
        (r"\bno\s+longer\b|\bany\s*more\b", ""),
        (
            r"\bmoney\s+(?:\w+\s+){0,3}?back\b|\breimburse\w*|\bpaid\s+(?:me\s+|us\s+)?back\b",
            "refund",
        ),
        (
            r"\bstop\s+(?:the|my|this)\s+order\b",
            "cancel the order",
        ),  # "can you just stop the order"
        (r"\b(?:post|postal|zip)\s*codes?\b|\bzip\b|\beircode\b", "address"),  # part of one
        # "uni student here", "I'm at college": a student
        (
            r"\b(?:uni|university|college|grad|postgrad|undergrad)\s+(?=students?\b)|"
            r"\b(?:at|in)\s+(?:uni|university|college)\b",
            "student ",
        ),
        (r"\b(?:my|the|our|your)\s+money\b", "the refund"),  # "see the money from my return"
        (
            r"\b(?:send|sends|sending|sent|ship|shipped|shipping|take|took|taking|bring|bringing|"
            r"post|posted|posting|mail|mailed|mailing)\s+(?:\w+\s+){0,2}?back\b",
            "return",
        ),
        (r"\bleaves?\s+(?:the|your|ur|our)\s+warehouse\b", "ships from the warehouse"),
        (r"\bcomplimentary\b", "free"),  # "complimentary delivery"
        (r"\bbilled\b", "charged"),
        (r"\breduced\s+pric\w*|\breductions?\b", "discount"),  # "reduced pricing for students"
        # "trade it for a medium" is an exchange; "trade pricing" or "a trade account" is not
        (
            r"\bswap\w*|\bswitch\w*\s+(?:for|to)\b|"
            r"\btrade\b(?!\s+(?:pric\w*|prices?|accounts?|discounts?|customers?|rates?|terms))",
            "exchange",
        ),
        (r"\bcall(?:ing|ed)?\s+(?:\w+\s+){0,2}?off\b", "cancel"),
        (r"\bdispatch\w*|\bsend\s+out\b|\bsent\s+out\b|\bpost(?:ed|ing)?\b", "ship"),
        (r"\bnext\s+time\b|\bin\s+(?:the\s+)?future\b|\bfrom\s+now\s+on\b", ""),  # "...next time?"
        (r"\bsame[\s-]+day\b", "sameday"),  # an option of its own: not "1 business day"
        (r"\bnext[\s-]+day\b|\bovernight\b|\bquick(?:er|est)\b|\bfast(?:er|est)\b", "express"),
        (r"\bpostage\b|\bdelivery\s+(?:fee|cost|charge)s?\b", "shipping cost"),
        # "what do you charge to wrap a present?", "is there a charge to swap?": a price
        (
            r"\b(?:what\s+(?:do|would|will)|do|does|would|will)\s+(?:you|u|ya)\s+charge\b"
            r"(?!\s+(?:my|me|the\s+card|your|it\s+to)\b)"  # "do you charge my card when...": when
            r"|\bis\s+there\s+(?:a|any)\s+charge\b|\bcharge\s+extra\b",
            "cost",
        ),
        (r"\bamex\b", "american express"),
        (r"\buk\b|\bbritain\b|\bengland\b|\bscotland\b|\bwales\b", "united kingdom"),
        (r"\beu\b|\beurope\b", "european union"),
        (
            r"\boutside\s+(?:of\s+)?(?:the\s+)?(?:us|usa|u\.s\.?|states|united\s+states|america|country)\b",
            "international",
        ),
        (r"\babroad\b|\boverseas\b|\bworldwide\b|\bother\s+countries\b", "international"),
        (r"\bcustoms\b|\bimport\s+(?:tax\w*|fees?|charges?)\b|\bvat\b", "duties and taxes"),
        # "do I have to pay duties?": the duties are the topic, paying them is what duties are
        (r"\b(?:have\s+to\s+)?pay(?:s|ing)?\s+(?:(?:any|the|for|some)\s+)*(?=duties\b)", ""),
        (r"\bthresholds?\b|\bminimum\s+(?:spend|order|purchase)\b", "over"),  # free shipping over
        (r"\bcm\b|\bcentimeters?\b", "centimetres"),
        (r"\bcolor\b", "colour"),
        (r"\bdeliver(?:y|ies|ed)?\b", "shipping"),
        # "it doesn't fit": a reason to exchange the size, unless the question asks to return it
        # ("if the tee doesnt fit how do i send it back?"; "send it back" reads "return" by now)
        (
            r"(\b(?:return|refund)\w*\b[^.?!]*?)\b(?:does|did|do|wo)(?:n['\u2019]?t|\s+not)\s+fit\b",
            r"\1return",
        ),
        (
            r"\b(?:does|did|do|wo)(?:n['\u2019]?t|\s+not)\s+fit\b(?=[^.?!]*\b(?:return|refund))",
            "return",
        ),
        (r"\b(?:does|did|do|wo)(?:n['\u2019]?t|\s+not)\s+fit\b", "exchange size"),
        (r"\btoo\s+(?:small|large|big|tight|loose|baggy|long|short)\b", "exchange size"),
        # "swap it for a medium": a size, not the word "fit"
        (
            r"\b(?:a|an|the|in|for)\s+(?:xx?s|s|m|l|small|medium|large|xx?l|xxxl)\b(?!\s+orders?\b)",
            " size",
        ),
        (
            r"\b(?:small|large|big|tight|tighter|loose|looser|baggy|fitted|snug|roomy)\b"
            r"(?!\s+orders?\b)",
            "fit",
        ),
        (r"\b(?:credit|debit)\s+cards?\b", "card"),
        (r"\bpay\s+(?:by|with|using|via|through)\b", "accept"),  # "can I pay with PayPal?"
        # "can I use paypal or do I need a card?": which ways to pay are taken
        (
            r"\b(?:can|could)\s+(?:i|we|u|you)\s+use\s+(?=(?:paypal|apple\s+pay|google\s+pay|visa|"
            r"mastercard|amex|american\s+express|klarna|afterpay|venmo|bitcoin|crypto)\b)",
            "do you accept ",
        ),
        # "will the refund go back on my card?": the way they paid (said of a refund)
        (
            r"(\brefund\w*\b[^.?!]{0,30}?)\s(?:go(?:es)?\s+back\s+|back\s+)?(?:on|to|onto|into)\s+"
            r"(?:my|the\s+same)\s+(?:card|paypal|account|bank\s+account)\b",
            r"\1 to the original payment method",
        ),
        # "which cards do you take?", "do you guys take paypal?"
        (
            r"\b(?:do|does)\s+(?:you|u|the\s+store)(?:\s+guys|\s+all|\s+folks)?\s+take\b",
            "do you accept",
        ),
        (r"\bpresent\b", "gift"),
        # "will the price be showing in the box?", "will she see what I paid?": the price tag
        (
            r"\bprices?\s+(?:be\s+)?(?:shown|showing|show|visible|included|inside|in\s+the\s+box)\b|"
            r"\b(?:see|sees|show|shows|showing|hide|hidden)\s+(?:\w+\s+){0,3}?"
            r"(?:prices?|how\s+much\s+(?:i|we)\s+paid|what\s+(?:i|we)\s+paid)\b",
            "price tag",
        ),
        (r"\b(?:wore|worn|wearing)\b", "unworn"),  # "can I return it if I wore it once?"
        (r"\bchanged?\s+(?:my|our)\s+minds?\b", "return"),  # a return's commonest reason
        (r"\bwashing\s+machine\b|\bmachine\s+wash\w*|\blaunder\w*|\bwasher\b", "wash"),
        (r"\btumble\s*dr\w*|\bdryer\b", "dry"),
        (r"\bblanket\b", "throw"),
        (r"\b(?:turn|turns|turned|show|shows|showed)\s+up\b", "arrive"),
        (
            r"\bbroken\b|\bbroke\b|\bcracked\b|\btorn\b|\bripped\b|\bdefective\b|\bfaulty\b",
            "damaged",
        ),
        (r"\bguarantee\w*\b|\bcovered\b|\b(?:you|u|ya)\s+cover\b", "warranty"),
        (r"\bshorten\w*|\bt(?:ake|aken|aking|ook)\s+up\b|\balter\w*", "hem"),
        (r"\b(?:bigger|smaller|larger)\b(?!\s+(?:orders?|quantit\w*|amounts?))", "size"),
        (r"\bpromo\s*codes?\b|\bcoupons?\b|\bvouchers?\b", "discount code"),
        (r"\brewards?\s*points\b", "points"),
        (r"\bperks?\b|\bbenefits?\b", "member discounts"),  # "what perks do gold members get?"
        # "can I stack it with WELCOME10?", "use both on one order": whether they combine
        (
            r"\bstack\w*|\bcombin\w*|\buse\s+(?:them\s+|the\s+two\s+)?both\b"
            r"|\b(?:use|put|apply)\s+(?:them\s+|both\s+|the\s+two\s+|these\s+)?together\b"
            r"|\btogether\s+with\b",
            "combined",
        ),
        # "is my card charged right away or later?": when ("later" asks it), not what about
        (r"\b(?:right|straight)\s+away\b|\bimmediately\b|\b(?<=later)\s+on\b", ""),
        (r"\bschemes?\b|\bprogrammes?\b|\bclub\b", "program"),  # "a loyalty scheme"
    ]
]

# Words that say nothing about which article answers ("do you *offer* ...", "an *item*").
_GENERIC = """offer available avail possible allow allowed option options way ways need want like know
    tell also still already really item items thing things something anything stuff product
    products question questions help able ok okay u ur yes someone anyone one two new much many
    long soon fast quick quickly take takes taking usually normally typically exactly policy
    work works happen happens happening go goes going use using together make put find give
    let see try check send sent whole window timeline deadline timeframe
    come comes coming came land lands landed reach reaches reached
    show shows appear appears hit hits leave leaves left yet place placed placing several few assistance
    guys folks yall mate pal buddy gonna wanna gotta gone went
    buy bought purchase purchased order orders ordered ordering number parcel parcels package packages
    yesterday today tonight tomorrow earlier recently lately morning afternoon evening weekend
    made got get getting information info regarding concerning according entitled expect
    expecting looking roughly approximately approx around exactly precisely idea clue hiya heya
    nothing everything think thought say says said seem seems apparently wonder wondering
    actually actual honestly literally basically ages mistake mistakes mistakenly accident accidentally
    tbh tbf ngl lol lmao imo imho btw fyi idk thx ty omg haha hehe asap ask asking asked stage
    lovely gorgeous beautiful amazing awesome cute nice bunch pile loads heap extra"""
GENERIC = frozenset(_GENERIC.split())
# The world's countries (the tz database's iso3166.tab, public domain): "do you ship to *Japan*?"
COUNTRIES_PATH = Path(__file__).with_name("countries.tab")
# Things a customer names while asking about a policy ("my linen *tee*"): a detail, not the topic.
_PRODUCT_NOUNS = """tee tees shirt shirts top tops sweater sweaters jumper jumpers hoodie hoodies jacket jackets
    coat coats trousers pants shorts skirt skirts blouse blouses sock socks shoe shoes cushion
    cushions pillow towel towels sheet sheets clothes clothing outfit piece pieces
    mug mugs bowl bowls plate plates dress dresses jeans"""
PRODUCT_NOUNS = frozenset(_PRODUCT_NOUNS.split())
# Groups of customers a discount or a service can be for ("a *student* discount").
_GROUP_WORDS = """student students teacher teachers nurse nurses military veteran veterans senior
    seniors pensioner pensioners nhs"""
GROUP_WORDS = frozenset(_GROUP_WORDS.split())


class QuestionType(StrEnum):
    """What kind of fact a question asks for."""

    DURATION = "duration"
    MONEY = "money"
    TIME = "time"  # "when will ...": a duration, or the event it waits for ("when it ships")
    PLACE = "place"  # "do you ship to Japan?": the sentence naming where
    STEPS = "steps"  # "how does an exchange work, what do you need from me?": what to do
    COUNT = "count"  # "how many points do I get?": a number of things
    REQUIREMENT = "requirement"  # "how many points do I need for platinum?": a threshold


ASKS: dict[QuestionType, re.Pattern[str]] = {
    QuestionType.DURATION: lazy(
        r"\bhow\s+(?:long|soon|fast|quickly|many\s+(?:days|weeks|hours))\b|\btimeline\b|\bdelay"
        r"|\btoo\s+late\b|\bhow\s+late\b|\bdeadline\b|\bwindow\b"
        r"|\b(?:delivery|shipping|transit)\s+times?\b|\bslow(?:s|er|ing)?\b|\btakes?\s+longer\b",
        FLAGS,
    ),
    QuestionType.TIME: lazy(
        r"(?:^|[.?!,;:\u2013\u2014-]\s*|\b(?:and|so|but|ok|okay|then)\s+)when\s+(?:will|would|do|does|did|is|are|"
        r"can|could|should|shall|am)\b|\blater\b",
        FLAGS,
    ),
    QuestionType.MONEY: lazy(
        r"\bhow\s+much\b|\bcosts?\b|\bprices?\b|\bfees?\b|\bfree\b|\bpay\s+for\b|\bcharged?\s+for\b"
        r"|\bcheap(?:er|est)?\b",
        FLAGS,
    ),
    QuestionType.STEPS: lazy(
        r"\bhow\s+(?:do|does|can|would|will)\s+(?:\w+\s+){0,3}?work\b|\bwhat\s+do\s+you\s+need\b|"
        r"\bwhat\s+(?:do|should)\s+i\s+(?:do|send|need\s+to\s+do)\b|\bwhat(?:'s|\s+is)\s+the\s+process\b|"
        r"\bhow\s+(?:do|can)\s+i\s+(?:actually\s+|even\s+|go\s+and\s+)?(?:start|go\s+about|request|"
        r"arrange|apply|sign\s+up|get\s+hold\s+of|get|obtain|claim|redeem)\b",
        FLAGS,
    ),
    QuestionType.COUNT: lazy(
        r"\bhow\s+many\b(?!\s+(?:days|weeks|hours|minutes|months|years)\b)", FLAGS
    ),
    QuestionType.REQUIREMENT: lazy(
        r"\bhow\s+(?:many|much)\s+(?:\w+\s+){0,2}?(?:do|would|will|does)\s+(?:i|you|we|one)\s+"
        r"(?:need|have\s+to\s+(?:spend|earn|get))\b|\bminimum\b|\bmin\s+spend\b"
        r"|\bhow\s+many\s+\w+\s+(?:\w+\s+){0,2}?(?:til|till|until|before|to\s+(?:get|reach|hit|make))\b",
        FLAGS,
    ),
}
NUMBER_WORD = r"(?:\d+|one|two|three|four|five|six|seven|ten|thirty)"
DURATION_STATED = rf"\b{NUMBER_WORD}(?:\s+to\s+{NUMBER_WORD})?\s+(?:business\s+)?(?:days?|hours?|weeks?|months?|years?)\b"
STATES: dict[QuestionType, re.Pattern[str]] = {
    QuestionType.DURATION: lazy(DURATION_STATED, FLAGS),
    QuestionType.TIME: lazy(
        rf"{DURATION_STATED}|\b(?:when|as\s+soon\s+as|once|until|before|after)\s+(?:the|your|our|it|its|you|we)\b",
        FLAGS,
    ),
    QuestionType.MONEY: lazy(
        r"\b\d+(?:\.\d+)?\s*(?:USD|EUR|GBP|dollars?)\b|[$€£]\s?\d|\b\d+\s?%|\bfree\b", FLAGS
    ),
    # "one point per dollar", "four mugs": a number of things (not of days)
    QuestionType.COUNT: lazy(
        rf"\b{NUMBER_WORD}\s+(?!(?:to|business|days?|hours?|weeks?|months?|years?|USD|EUR|GBP)\b)[a-z]+",
        FLAGS,
    ),
    # "free on orders over 75 USD": a threshold to reach
    QuestionType.REQUIREMENT: lazy(
        r"\b(?:over|above|at\s+least|minimum\s+of)\s+[$€£]?\s?\d", FLAGS
    ),
    # what the customer does: a sentence that tells them ("Tell us the size you want", "Start a
    # return from your order page", "Sign up with your student email")
    QuestionType.STEPS: lazy(
        r"^(?:tell|start|add|sign\s+up|send|ask|email|contact|enter|choose|select|use)\b|"
        r"\b(?:tell|ask|email|contact)\s+us\b|\bsign\s+up\b",
        FLAGS,
    ),
}


# Words that only say which kind of fact is asked: an article stating that kind holds them.
TYPE_WORDS: dict[str, QuestionType] = {
    **dict.fromkeys(
        [
            *("fee", "fees", "cost", "costs", "price", "prices", "cheap", "cheapest", "cheaper"),
            "pay",
        ],
        QuestionType.MONEY,
    ),
    **dict.fromkeys(
        [
            "late",
            "delay",
            "delays",
            "minutes",
            "ago",
            "wait",
            "last",
            "day",
            "days",
            "week",
            "weeks",
            "time",
            "times",
            "slow",  # "does hemming slow down my order?": by how long
            "slows",
            "slower",
            "longer",
        ],
        QuestionType.DURATION,
    ),
    "later": QuestionType.TIME,  # "does hemming make it ship later?": when
}


def asked_part(message: str) -> str | None:
    """What a message of several sentences or clauses asks: its sentences that end with "?" (else
    its last), and of those the clauses that start asking ("Need the dress for Saturday, *what's
    the quickest delivery?*"); None when that is the whole message."""
    sentences = [s.strip() for s in ASKED_SPLIT.split(message.strip()) if s.strip()]
    asking = [s for s in sentences if s.endswith("?")] or sentences[-1:]
    clauses = [c.strip() for s in asking for c in ASKING_CLAUSE.split(s) if c.strip()]
    parts = [c for c in clauses if QUESTION_START.match(c)] if len(clauses) > 1 else clauses
    asked = " ".join(parts or asking)
    return asked if asked != message.strip() else None


def question_sentences(text: str) -> list[str]:
    """A message's sentences that end with "?": what it asks, apart from the story around it."""
    return [sentence for sentence in SENTENCES.split(text.strip()) if sentence.endswith("?")]


def rewrite(question: str) -> str:
    """The question in the articles' words (synonyms and customer phrasings replaced)."""
    for pattern, replacement in REWRITES:
        question = pattern.sub(replacement, question)
    return question


def asked_types(question: str) -> set[QuestionType]:
    """The kinds of fact the question asks for ('how long' asks for a duration)."""
    asked = {kind for kind, pattern in ASKS.items() if pattern.search(question)}
    if asked:  # "how long does shipping to Canada take?" asks how long, not where
        return asked
    where = _ship_to().search(rewrite(question))  # "do you ship to Japan?": where they ship
    return {QuestionType.PLACE} if where else set()


def stated_types(passage: str) -> set[QuestionType]:
    """The kinds of fact a passage states (a duration, a price, a place)."""
    stated = {kind for kind, pattern in STATES.items() if pattern.search(passage)}
    return stated | ({QuestionType.PLACE} if _countries().search(passage) else set())


@cache
def country_names() -> tuple[str, ...]:
    """Countries' usual English names, lowercase ("Korea (South)" gives "korea")."""
    lines = COUNTRIES_PATH.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    names = {re.sub(r"\s*\(.*?\)", "", row[1]).strip().lower() for row in rows if len(row) > 1}
    return tuple(sorted(names | {"usa", "america"}))


@cache
def _countries() -> re.Pattern[str]:
    """Any country's name, or the European Union, as whole words."""
    names = sorted((*country_names(), "european union"), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", FLAGS)


@cache
def _ship_to() -> re.Pattern[str]:
    """A shipping verb and a country it goes to ("deliver my order to New Zealand")."""
    country = _countries().pattern
    return re.compile(
        rf"\b(?:ship|send|sent|post|mail|deliver)\w*\b(?:\s+\w+){{0,3}}?\s+to\s+(?:the\s+)?{country}",
        FLAGS,
    )
