"""The rules backend's answers, one function per intent, each using only the customer's tools."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalicelib.agent import understood_answers
from chalicelib.agent.base import TurnContext
from chalicelib.agent.intents import Intent, IntentKind, order_number
from chalicelib.agent.knowledge import DETAILS, TYPE_TERMS, question_terms, terms
from chalicelib.agent.order_text import STATUS_WORDS, describe_orders
from chalicelib.agent.product_facts import Fact, be, listed
from chalicelib.agent.question_words import (
    GROUP_WORDS,
    SENTENCES,
    QuestionType,
    asked_types,
    question_sentences,
)
from chalicelib.agent.recommend import BUDGET, QUALITIES
from chalicelib.agent.triage import sentiment
from chalicelib.agent.understood_triage import PRAISE, asks_who
from chalicelib.config.store_config import StoreConfig
from chalicelib.runtime.patterns import lazy

SIGN_IN = (
    "I can help with that once I know it's you. Please sign in, or write from the email address "
    "or phone number on your account."
)
MENU = "order status, shipping, returns, sizing, products and discounts"
DONT_KNOW = (
    "Sorry, I don't know the answer to that, and I'd rather not guess. Would you like me to pass "
    "your question to a person on our team?"
)
PERSON_OFFER = {"kind": "person"}
BEYOND = (
    "It doesn't say more than that, and I'd rather not guess. Would you like me to pass your "
    "question to a person on our team?"
)
# A question about a product ("is the wool throw itchy?", "does the linen shrink?")
QUESTION = lazy(
    r"\s*(?:is|are|does|do|did|can|could|will|would|how|what|which|who|where|why|has|have)\b", re.I
)
# Why a follow-up was not scheduled (its `reason`), in the customer's words.
NOT_SCHEDULED = {
    "no_consent": "you haven't agreed to receive messages from us (your account settings)",
    "opted_out": "you've asked us not to message you",
    "no_address": "there's no email or phone on your account to send it to",
    "already_bought": "you've already bought it",
}
# Below this confidence, a question whose subject is not an order is not answered with one.
SURE_OF_AN_ORDER = 0.6
CLAUSE_BREAK = lazy(r",|\s[-\u2013\u2014]\s")  # where a sentence's clauses part
# What the customer says they already have: "the mug set I got from you", "the throw I bought"
OWNED = lazy(
    r"\b(?:i|we)(?:['\u2019]ve|\s+have)?\s+(?:got|bought|ordered|received|purchased)\b"
    r"(?!\s+(?:to|a\s+few|some\s+questions?|a\s+question))|\bmy\s+new\b"
    r"|\b(?:use|using|wear|wearing)\s+(?:it|them)\s+(?:every|all\s+the\s+time|daily|constantly)",
    re.IGNORECASE,
)
TRACKING_DETAIL = lazy(
    r"\btracking\s+(?:numbers?|links?|codes?|info\w*|details?|emails?|ids?|updates?)\b", re.I
)
WHEN = {QuestionType.TIME, QuestionType.DURATION}
# Still waiting for a refund ("still haven't had the money back"), not a problem with one ("I only
# got part of it"): when refunds arrive answers it
WAITING = lazy(
    r"\b(?:still\s+(?:no|not|nothing|waiting)|(?:have|has|did)\s*(?:n['\u2019]?t|\s+not)\s+"
    r"(?:seen|had|got|gotten|received|come|arrived|shown|hit)|not\s+(?:yet|received|arrived)|"
    r"no\s+sign|nothing\s+yet|yet)\b",
    re.IGNORECASE,
)
SURE_OF_A_REFUND = 0.8  # a refund-status guess this sure asks about the refund in any words
# A change of address the model is at least this sure of gets the policy on changing one.
SURE_OF_ADDRESS = 0.8
# "12 Oak Street": a new address named makes a weaker guess at an address change sure.
STREET_ADDRESS = lazy(
    r"\b\d+[a-z]?\s+(?:[a-z]+\s+){1,3}(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|close|"
    r"court|ct|boulevard|blvd|place|pl|terrace|crescent|square)\b",
    re.IGNORECASE,
)
# How customers ask to hear back ("back in stock?" alone asks about stock): without one of these,
# a weak guess at a reminder is none.
REMIND_WORDS = lazy(
    r"\b(?:remind\w*|let\s+me\s+know|tell\s+me\s+when|notify|alert|ping|follow\s*-?\s*up|"
    r"message\s+me|text\s+me|e-?mail\s+me|get\s+back\s+to\s+me|"
    r"heads\s*-?\s*up|give\s+me\s+a\s+(?:shout|nudge|buzz))\b",
    re.IGNORECASE,
)
GREETING = lazy(r"\s*(?:hi|hello|hey|hiya|good\s+(?:morning|afternoon|evening))\b", re.I)
# Asked how the agent is or how its day goes: answered in kind, not thanked for praise
ASKS_HOW_IT_GOES = lazy(
    r"\bhow(?:['\u2019]?s|\s+is|\s+are|\s+r)\s+(?:it\s+going|(?:you|u|your\s+day|things)\b)"
    r"|\bhow(?:['\u2019]?s|\s+is|\s+was)\s+(?:your|ur)\s+(?:\w+\s+)?(?:going|been)\b"
    r"|\bhow\s+(?:have\s+you\s+been|(?:are\s+)?(?:you|u)\s+doing)\b",
    re.IGNORECASE,
)
SHORT_PRAISE_WORDS = 5  # "that's great", "perfect, thank you": said of the last answer
ADDRESSED = lazy(
    r"\b(?:you|your|you['\u2019]?(?:ve|re)|u|ur|ya|y'all|yall|guys|team|service)\b", re.I
)
HOW_ARE_YOU = lazy(r"^\W*(?:hi|hello|hey)?\W*how\s+(?:are|r)\s+(?:you|u)\b[^.?!]*[.?!]*\s*$", re.I)
# A problem with a payment the agent can neither see nor change: a person looks at it.
BILLING_PROBLEM = lazy(
    r"\b(?:charged|billed|paid|taken)\s+(?:me\s+)?(?:twice|two\s+times|double|three\s+times)\b"
    r"|\bdouble[\s-]+(?:charged|billed|charge)\b|\bover\s*-?\s*charged\b"
    r"|\bcharged\s+(?:me\s+)?(?:the\s+)?wrong\s+amount\b|\b(?:unknown|unexpected)\s+charge\b",
    re.I,
)
# "can the parcel go to my mum's house instead": sending it elsewhere names a new address too.
REDIRECT = lazy(
    r"\b(?:go|goes|sent|send|deliver\w*|ship\w*|redirect\w*|drop\w*)\b[^.?!]{0,40}?"
    r"\b(?:instead|rather\s+than)\b",
    re.IGNORECASE,
)
ABOUT_REFUNDS = lazy(r"\W*(?:\w+\W+){0,3}refunds?\b", re.I)  # a sentence about refunds
# "can I change where my parcel is going": where it goes is its address.
WHERE_IT_GOES = lazy(
    r"\bchange\s+where\b|\bwhere\s+(?:it|my\s+\w+|the\s+\w+)\s+(?:is\s+)?(?:going|goes|sent|delivered)\b",
    re.IGNORECASE,
)
# Below this, a guess at an address change is too weak even with a new address named.
SURE_OF_A_REDIRECT = 0.5
ADDRESS_CUE = lazy(
    r"\b(?:address\w*|addy|street|st|road|rd|avenue|ave|zip|zipcode|post\s*code|postal|apartment|"
    r"apt|flat|suite|city|town|moved|moving|parents|neighbou?r|work|office|house|home|place|"
    r"(?:send|sent|ship|deliver|go)\w*\s+(?:it\s+)?to)\b|\bchange\s+where\b",
    re.IGNORECASE,
)
ACCOUNT_DETAIL = lazy(
    r"\b(?:e-?mail|account|password|log\s*in|login|username|phone|billing)\b", re.IGNORECASE
)
# What a question about the customer's own order is about: its order data answers these.
# The customer's own: "where is *my* parcel" asks about their order, not the policy.
PERSONAL = lazy(r"\b(?:my|mine|our|ours|me|i['\u2019]?ve|i\s+(?:ordered|bought|paid))\b", re.I)
ORDER_WORDS = DETAILS | frozenset(
    terms("ship deliver arrive track parcel package eta order item status purchase lost missing")
    + terms("stolen courier carrier")
)
CODE_AFTER_WORD = lazy(r"\bcode\s+([A-Za-z0-9-]{3,24})\b", re.IGNORECASE)
CODE_LIKE = lazy(r"\b(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9-]{4,24}\b")
# "gift wrapping", "engraving": a service, never a product ("wrap dress") by a shared stem.
GERUND = lazy(
    r"(?!(?:clothing|bedding|leggings|earrings|housewarming|wedding)\b)[A-Za-z]{3,}ings?\W*", re.I
)
SERVICE = lazy(
    r"\b(?:do|does|can)\s+(?:you|the\s+store)\s+(?:offer|provide|do|have|sell|carry|make)\b", re.I
)
SURE_OF_PICKS = 0.6  # a recommendation the model is this sure of asks for picks, whatever it names
# A question asking for picks ("what goes with the wrap dress?", "anything like the denim jacket?")
PICKS = lazy(
    r"\b(?:recommend\w*|suggest\w*|similar|alternatives?|instead|go(?:es)?\s+(?:well\s+)?with|match\w*|"
    r"pair\w*|ideas?|other|else|like\s+(?:the|this|that|it)|anything|something|what\s+should\s+i)\b",
    re.IGNORECASE,
)
# Words of someone shopping ("need *ideas* for a secret santa"): picks suit them, a guess or not.
SHOPPING = lazy(
    r"\b(?:ideas?|gifts?|presents?|something|anything|recommend\w*|suggest\w*|buy|shop\w*|"
    r"looking\s+for|wear|outfit|sell|cheap\w*|budget)\b",
    re.IGNORECASE,
)
# "what's in my cart?", "show me my basket": the cart's contents
CART_QUESTION = lazy(
    r"\b(?:what(?:'|\u2019)?s|what\s+is|what\s+do\s+i\s+have)\s+in\s+my\s+(?:cart|basket|bag)\b"
    r"|\b(?:show|see|check)\s+(?:me\s+)?my\s+(?:cart|basket)\b",
    re.IGNORECASE,
)
# "how many points do I have?", "what's my points balance": the profile's loyalty points
POINTS_QUESTION = lazy(
    r"\bhow\s+many\s+(?:loyalty\s+|reward\s+)?points\s+(?:do\s+i\s+have|have\s+i\s+(?:got|earned)|"
    r"i\s+(?:have|got)|are\s+(?:on|in)\s+my)\b|\b(?:my|our)\s+(?:loyalty\s+|reward\s+)?"
    r"points?\s+(?:balance|total)\b|\bpoints?\s+balance\b",
    re.IGNORECASE,
)
POINTS = lazy(r"\bpoints?\b", re.IGNORECASE)
# "a student discount", "military discounts": a kind of discount the store may not have.
KIND_OF_DISCOUNT = lazy(r"\b([a-z]+)\s+(?:discount|deal|rate|pricing)s?\b", re.IGNORECASE)
# "a discount for college students", "deals for nurses": a kind of discount, named after it
GROUPS = "|".join(sorted(GROUP_WORDS, key=len, reverse=True)) + r"|(?:key|healthcare)\s+workers?"
DISCOUNT_FOR = lazy(
    rf"\b(?:discount|deal|rate|pricing)s?\s+for\s+(?:\w+\s+)?({GROUPS})\b", re.IGNORECASE
)
GROUP = lazy(rf"\b(?:{GROUPS})\b", re.IGNORECASE)
HOW_OR_WHAT = lazy(
    r"\s*(?:how|why|when|where|who|what|which|is\s+there|are\s+there|(?:you\s+)?got\s+any|any|"
    r"(?:do|can|could)\s+(?:i|we|you)\s+(?:have|get|offer)\s+any)\b",
    re.IGNORECASE,
)  # a question about discounts ("got any deals on?"): offered, not applied
# "can I use two promo codes?": a question about combining codes, not a request for one
# "apply the best discount to my cart": asked in words to apply one
APPLY = lazy(r"\b(?:apply|add|put)\b", re.IGNORECASE)
NOT_WORKING = lazy(
    r"\b(?:(?:is|does|do|did|wo|are)(?:n['\u2019]?t|\s+not)\s+(?:work\w*|accept\w*|apply\w*)|"
    r"not\s+working|invalid|rejected|declined|expired)\b",
    re.IGNORECASE,
)
SURE_OF_A_DISCOUNT = 0.8  # a discount request this sure applies the best code
COMBINING = lazy(
    r"\b(?:two|2|multiple|several|both|combin\w*|stack\w*|together|more\s+than\s+one|"
    r"(?:on|in)\s+the\s+same\s+(?:order|purchase|basket|cart)|on\s+top\s+of)\b",
    re.I,
)
# A question that asks only for the store's codes ("do you have any discount codes?")
CODE_WORDS = frozenset(
    terms("discount discounts code codes deal deals offer offers promo promos coupon coupons sale")
    + terms("sales voucher vouchers moment now currently today")
    + terms("member members membership tier silver gold platinum")  # "as a gold member"
)
TIER_WORDS = frozenset(terms("member members membership tier tiers silver gold platinum"))
# Words before "discount" that ask for the store's own codes, not for a kind of discount.
_OURS = """a an any the some my your our this that what which loyalty member members membership
    tier gold silver platinum vip best biggest extra little small good code another other first"""
OUR_DISCOUNT_WORDS = frozenset(_OURS.split())
CARE = lazy(
    r"\b(?:wash\w*|care|clean\w*|dry\w*|dryer|iron\w*|material|fabric|made\s+of|shrink\w*|"
    r"siz(?:e|es|ing)|fit|fits|run\s+(?:small|big|large)|true\s+to\s+size|inseam|microwave\w*|"
    r"dishwasher\w*|oven\w*)\b",
    re.I,
)
# "what's trending?": the catalog has no sales figures, so the agent says so before its picks.
POPULAR = lazy(
    r"\b(?:popular|trending|best[\s-]*sell\w*|top[\s-]*sell\w*|selling\s+well|favou?rites?|"
    r"people\s+(?:are\s+)?buy\w*|most\s+people\s+buy|what(?:'|\u2019)?s\s+(?:hot|good))\b",
    re.IGNORECASE,
)
FILLER = lazy(
    r"\b(?:recommend\w*|suggest\w*|ideas?|something|anything|looking|for|gift|do|you|have|sell|"
    r"stock|available|remind|me|about|notify|know|let|when|back|please|the|a|an|any|in|is|are)\b",
    re.IGNORECASE,
)


@dataclass
class Answer:
    """What a rule says, and whether it could not really answer."""

    text: str
    fallback: bool = False
    offer: dict[str, Any] | None = None  # what the answer offers to do next (dialogue.py)


Rule = Callable[[TurnContext, Intent, StoreConfig], Answer]


def order_status(context: TurnContext, intent: Intent, config: StoreConfig) -> Answer:
    """The customer's own orders: a named one, the open ones, or the latest. A question asked in
    general ("how long does delivery take?", no "my") that an article answers gets the article's
    passage too: it may ask about the policy or about the order."""
    if context.verified and not order_number(context.text):  # "#1001" is about an order
        other = _about_something_else(context, intent)
        if other is not None:
            return other
        if not PERSONAL.search(context.text):
            found = context.tools.search_knowledge(context.text, limit=1).get("articles") or []
            found = found or _tracking_policy(context, intent)
            orders = own_orders(context, intent)
            return Answer(f"{quote(found[0]).text} {orders.text}") if found else orders
    return own_orders(context, intent)


def _tracking_policy(context: TurnContext, intent: Intent) -> list[dict[str, Any]]:
    """Asked in general about a tracking number or link ("will I get a tracking number when it
    goes out?"): that word of the order's own policy is evidence enough when the model is sure the
    question is about orders, so the article that says how tracking works answers, with the
    order ("I want to track an order" asks for the order alone)."""
    if not TRACKING_DETAIL.search(context.text):
        return []
    found = context.tools.knowledge_on_topic(context.text, "tracking", str(intent.kind))
    return found.get("articles") or []


def own_orders(context: TurnContext, intent: Intent) -> Answer:
    """What the customer's orders say (the one named, or the open ones)."""
    found = context.tools.lookup_orders(order_number=intent.order_number)
    if "error" in found:
        return Answer(SIGN_IN)
    if not found["orders"]:
        if intent.order_number:
            return Answer(
                f"I couldn't find an order #{intent.order_number} on your account. Could you check the "
                "number? It's in your order confirmation email."
            )
        return Answer("I don't see any orders on your account yet.")
    return Answer(describe_orders(found["orders"], found.get("total_orders", 0)))


def delivery_time(context: TurnContext, intent: Intent, config: StoreConfig) -> Answer:
    """When it arrives: the customer's own order (status, carrier, ETA); else the shipping times.
    "When will my *exchange* ship?" asks about what the order does not hold: its policy answers."""
    if not context.verified:
        return from_knowledge(context, intent, config)
    return order_status(context, intent, config)


def _about_something_else(context: TurnContext, intent: Intent) -> Answer | None:
    """When the question's subject is no part of an order ("when will my *exchange* ship?",
    "when is *Black Friday*?"): the article about it, or "I don't know" when the model was not
    sure it asked about an order; None when the order answers."""
    # its subject: the first word naming a thing, not a number or a kind of fact ("10 *days*")
    words = [w for w in question_terms(context.text) if not w.isdigit() and w not in TYPE_TERMS]
    subject = next(iter(words), None)
    if subject is None or subject in ORDER_WORDS:
        return None
    found = context.tools.search_knowledge(context.text, limit=1).get("articles") or []
    if found and subject in terms(found[0]["title"]):
        return quote(found[0])
    if set(words) & ORDER_WORDS:  # "pretty sure my package got *lost*": no article's, the order's
        return None
    return dont_know(context) if intent.confidence < SURE_OF_AN_ORDER else None


def from_knowledge(context: TurnContext, intent: Intent, config: StoreConfig) -> Answer:
    """The passage of a store article that answers, citing it; else 'I don't know' and a person."""
    found = context.tools.search_knowledge(context.text, limit=1)
    articles = found.get("articles") or []
    if (
        not articles
        and "error" not in found
        and (topic := understood_answers.TOPIC_WORDS.get(intent.kind))
    ):
        # No article holds the customer's words, but the understanding step is sure which policy
        # they ask about (a weak guess was asked to clarify before): quote that policy's article.
        found = context.tools.knowledge_on_topic(context.text, topic, str(intent.kind))
        articles = found.get("articles") or []
    if articles:
        return quote(articles[0])
    return fallback(context, intent, config) if "error" in found else dont_know(context)


def order_change(context: TurnContext, intent: Intent, config: StoreConfig) -> Answer:
    """Changing or cancelling an order, or its address: the policy, then where the customer's
    order stands; a change of address the model is sure of gets the policy on changing it even
    when the message is mostly the new address ("ship to 12 Oak Street instead")."""
    sure = (
        intent.kind is IntentKind.ADDRESS_CHANGE
        and (
            intent.confidence >= SURE_OF_ADDRESS
            or STREET_ADDRESS.search(context.text)
            or (intent.confidence >= SURE_OF_A_REDIRECT and REDIRECT.search(context.text))
        )
        and ADDRESS_CUE.search(context.text)  # "shipping update please" names no address
        and not ACCOUNT_DETAIL.search(context.text)  # "the email address on my account"
    )
    if (
        intent.kind is IntentKind.ADDRESS_CHANGE
        and context.verified
        and intent.confidence < SURE_OF_ADDRESS
        and not ADDRESS_CUE.search(context.text)
    ):  # "shipping update please": no address named, so no address change; the order answers
        return own_orders(context, intent)
    answer = Answer("", fallback=True)
    if sure:  # the policy's passage on changing an address, whatever else the message says
        answer = _refund_time(context, intent) or answer
    if answer.fallback:
        answer = from_knowledge(context, intent, config)
    if answer.fallback or not context.verified:
        return answer
    found = context.tools.lookup_orders(order_number=intent.order_number, limit=1)
    orders = found.get("orders") or []
    if not orders:
        return answer
    order = orders[0]
    stands = (
        f"Your order #{order['order_number']} {STATUS_WORDS.get(order['status'], order['status'])}."
    )
    if intent.kind is not IntentKind.ADDRESS_CHANGE:
        return Answer(f"{answer.text} {stands}")
    ask = "Would you like me to pass your new address to a person on our team?"
    offer = {**PERSON_OFFER, "question": context.text[:300]}
    return Answer(f"{answer.text} {stands} {ask}", offer=offer)


def refund_status(context: TurnContext, intent: Intent, config: StoreConfig) -> Answer:
    """Where a refund stands: the refunds recorded on the customer's order (none yet is an
    answer too), then the refund time an article gives, or the offer of a person when no
    article answers what was asked ("I only got part of my refund")."""
    answer = from_knowledge(context, intent, config)
    # "... see the money": the refund; so is "still no money" when the model is sure of it
    asks_refund = "refund" in question_terms(context.text) or intent.confidence >= SURE_OF_A_REFUND
    # "when should I actually see the money back on the card?", however long the story around it:
    # a refund question asking when is answered by the refund time
    asks_when = bool(asked_types(context.text) & WHEN)
    if (asks_when or not answer.fallback) and asks_refund and not ABOUT_REFUNDS.match(answer.text):
        # "how long after you get my return will I see the money": the refund's time, not the
        # return window the question's first word led to
        answer = _refund_time(context, intent) or answer
    # a weaker guess that names the refund ("I sent it back two weeks ago and haven't seen the
    # money, what's going on?") is shown the order's refunds too: they answer it or cost nothing
    if not context.verified or (intent.confidence < SURE_OF_AN_ORDER and not asks_refund):
        return answer
    orders = context.tools.lookup_orders(order_number=intent.order_number, limit=1).get("orders")
    if not orders:
        return answer
    order = orders[0]
    refunds = order.get("refunds") or []
    number = order["order_number"]
    stands = f"I don't see a refund on your order #{number} yet."
    if refunds:
        paid = listed([f"{_amount(r['amount'])} {r['currency']}" for r in refunds])
        some = "Refunds of" if len(refunds) > 1 else "A refund of"
        have = "have" if len(refunds) > 1 else "has"
        stands = f"{some} {paid} {have} been issued on your order #{number}."
    waiting = intent.kind is IntentKind.REFUND_STATUS and bool(WAITING.search(context.text))
    if not refunds and asks_refund and answer.fallback and waiting:
        # "sent it back two weeks ago and still no money, what's going on?": none issued yet,
        # and when refunds arrive says why (with a refund issued, a problem with it is a person's)
        answer = _refund_time(context, intent) or answer
    if not answer.fallback:
        return Answer(f"{stands} {answer.text}")
    ask = "Would you like me to pass this to a person on our team?"
    return Answer(f"{stands} {ask}", fallback=True, offer=person_offer(context))


def _refund_time(context: TurnContext, intent: Intent) -> Answer | None:
    """The passage of the refund-status topic's article: when refunds arrive."""
    topic = understood_answers.TOPIC_WORDS[intent.kind]
    found = context.tools.knowledge_on_topic(topic, topic, str(intent.kind))
    return quote(found["articles"][0]) if found.get("articles") else None


def _amount(value: Any) -> str:
    """40.0 as 40, 12.5 as 12.50."""
    number = float(value)
    return f"{number:.0f}" if number.is_integer() else f"{number:.2f}"


def quote(article: dict[str, Any]) -> Answer:
    """The passage that answers, citing its article."""
    return Answer(f"{article['snippet']} (From our {article['title']} policy.)")


def dont_know(context: TurnContext) -> Answer:
    """'I don't know' and the offer of a person (a fallback: asked again, it escalates)."""
    return Answer(DONT_KNOW, fallback=True, offer=person_offer(context))


def person_offer(context: TurnContext) -> dict[str, Any]:
    """The offer of a person, with the question they would answer."""
    return {**PERSON_OFFER, "question": context.text[:300]}


def product(context: TurnContext, intent: Intent, config: StoreConfig) -> Answer:
    """A store article when one answers ('do you offer gift wrapping?'), else products in stock."""
    if intent.kind is IntentKind.PRODUCT_QUESTION and CARE.search(context.text):
        return from_knowledge(context, intent, config)
    found = context.tools.search_knowledge(context.text, limit=1).get("articles") or []
    if found:
        return quote(found[0])
    if asks_of_a_product(context.text, intent):
        known = context.tools.product_summary(context.text)
        if known:  # "is the wool throw itchy?": what its entry says, and no guess past it
            return Answer(
                f"Here's what I know about the {known} {BEYOND}", True, person_offer(context)
            )
        asked = " ".join(s for s in SENTENCES.split(context.text.strip()) if _asks(s))
        shopping = SHOPPING.search(asked) or POPULAR.search(asked)  # "what are people buying?"
        if not shopping and _matches_nothing(context, asked):
            # "...I'd hate her to see what I spent. Will the price be shown in the parcel?"
            return dont_know(context)
    if asks_for_a_service(context):  # "...your linen pieces. Do you do wholesale pricing?"
        return dont_know(context)
    query = " ".join(w for w in FILLER.sub(" ", context.text).split() if not _gerund(w))
    products = context.tools.recommend_products(query=query, limit=2).get("products") or []
    asks_about = intent.kind is IntentKind.PRODUCT_QUESTION and question_terms(context.text)
    if not products and (asks_about or SERVICE.search(context.text)):
        # "where are your clothes made?": a question no article or product answers, no guess
        # ("help me buy something" names nothing: it gets picks below)
        return dont_know(context)
    lead = "You might like"
    if POPULAR.search(context.text):  # no sales figures to go by: say so, then the picks
        products = context.tools.recommend_products(limit=2).get("products") or []
        lead = "I can't see what sells best, but you might like"
    elif (
        not products
        and query
        and intent.confidence < SURE_OF_AN_ORDER
        and not SHOPPING.search(context.text)
    ):
        # a weak guess that nothing in the catalog fits ("what's the weather like in new york",
        # 0.42): no picks for what is likely no shopping question
        return fallback(context, intent, config)
    elif not products and query:  # nothing in the catalog fits the words: say so, then the picks
        budget = BUDGET.search(context.text)  # within the sum named ("anything cosy under $20?")
        within = context.tools.recommend_products(query=budget.group(0) if budget else "", limit=2)
        products = within.get("products") or []
        lead = "I didn't find anything matching that in our catalog, but you might like"
    if not products:
        return Answer("I couldn't find a match in stock right now. What are you looking for?")
    picks = "; ".join(_product_line(item) for item in products)
    first = products[0]
    offer = {"kind": "reminder", "sku": first["sku"], "name": first["name"]}
    ask = f"Want me to remind you about the {first['name']} later?" if context.verified else ""
    return Answer(f"{lead}: {picks}. {ask}".strip(), offer=offer if ask else None)


def asks_of_a_product(text: str, intent: Intent) -> bool:
    """A question asked of a product, not for picks: "is the wool throw itchy?", "could I get my
    initials embroidered on the oxford shirt? It's a gift" (a product question, or any question
    that asks for no recommendation, whatever the model guessed; "do you sell linen shirts?"
    asks for products)."""
    sure_picks = intent.kind is IntentKind.RECOMMENDATION and intent.confidence >= SURE_OF_PICKS
    if SERVICE.search(text) or sure_picks:
        return False
    if intent.kind is IntentKind.PRODUCT_QUESTION and QUESTION.match(text):
        return True
    asked = [s for s in SENTENCES.split(text.strip()) if _asks(s)]
    return bool(asked) and not any(PICKS.search(sentence) for sentence in asked)


def asks_for_a_service(context: TurnContext) -> bool:
    """'Do you do wholesale or bulk pricing?', 'do you offer engraving?': what the store is asked
    to do or have names nothing of the catalog (the story around it may: "your linen pieces")."""
    asked = SERVICE.search(context.text)
    if asked is None:
        return False
    return _matches_nothing(context, SENTENCES.split(context.text[asked.end() :])[0])


def _matches_nothing(context: TurnContext, text: str) -> bool:
    """Whether words of `text` name something and nothing in the catalog matches them."""
    query = " ".join(w for w in FILLER.sub(" ", text).split() if not _gerund(w))
    if not question_terms(query):
        return False
    return not context.tools.recommend_products(query=query, limit=1).get("products")


def _asks(sentence: str) -> bool:
    """A sentence that asks: it ends with "?" or starts as a question."""
    return sentence.endswith("?") or bool(QUESTION.match(sentence))


def _gerund(word: str) -> bool:
    """A word like "looking" says nothing about what to pick, unless it is a quality the catalog
    has words for ("likes *cooking*": mugs and bowls)."""
    return bool(GERUND.fullmatch(word)) and not set(terms(word)) & QUALITIES.keys()


def from_catalog(context: TurnContext, facts: Fact) -> Answer:
    """The catalog's facts, offering a reminder when the product is out of stock (signed in); a
    question they leave unanswered (when it is back) counts as one: asked again, it escalates."""
    if facts.offer is None or not context.verified:
        return Answer(facts.text, fallback=facts.unknown)
    subject = "they are" if be(str(facts.offer["name"])) == "are" else "it is"
    text = f"{facts.text} Want me to tell you when {subject} back?"
    return Answer(text, fallback=facts.unknown, offer=facts.offer)


def _product_line(item: dict[str, Any]) -> str:
    line = f"{item['name']} ({item['price']:g} {item['currency']})"
    return f"{line} {item['url']}" if item.get("url") else line


def discount(context: TurnContext, intent: Intent, config: StoreConfig) -> Answer:
    """A code the customer names, or the best one their tier and cart qualify for, per policy."""
    from chalicelib.agent.discounts import eligible_codes

    if not context.verified:
        return Answer(SIGN_IN)
    policy, profile = config.discounts, context.customer.profile
    total = float((context.customer.cart or {}).get("total") or 0)
    named = _named_code(context.text, config)
    kinds = [KIND_OF_DISCOUNT.search(context.text), DISCOUNT_FOR.search(context.text)]
    of_a_kind = any(k is not None and k.group(1).lower() not in OUR_DISCOUNT_WORDS for k in kinds)
    of_a_kind = of_a_kind or bool(GROUP.search(context.text))  # "how do *students* verify?"
    # what its questions ask ("got any discount codes going? feel like I'm a regular by now")
    asked = " ".join(question_sentences(context.text))
    asks = HOW_OR_WHAT.match(asked or context.text) or COMBINING.search(context.text)
    with_points = bool(POINTS.search(context.text))
    if named and COMBINING.search(context.text) and not with_points:
        # "can I use the student code together with WELCOME10?": a question about combining
        # codes, which an article may answer, or no one: nothing is applied on a question (with
        # points, a person judges: `apply_discount` escalates)
        return from_knowledge(context, intent, config)
    words = set(question_terms(asked or context.text))
    # "got any deals on?", "do you have a discount for me?" ("what do platinum members get"
    # names no code: the loyalty article answers it)
    only_codes = words <= CODE_WORDS and not COMBINING.search(context.text)
    names_codes = bool(words & CODE_WORDS - TIER_WORDS)
    if not named and NOT_WORKING.search(context.text):  # "my discount code isn't working"
        return Answer("Sorry about that! Which code did you try? Send it to me and I'll check it.")
    # A request for a discount ("can I get a discount?", "apply the best discount") applies the
    # best code; a weaker guess or a message about more than codes ("do you have a loyalty
    # scheme", 0.51) applies nothing unasked
    request = intent.confidence >= SURE_OF_A_DISCOUNT and (only_codes or APPLY.search(context.text))
    if not named and (of_a_kind or asks or not request):
        # "a *military* discount?", "what discounts can I get?": a question, not a request for a
        # code: its article answers, or the codes the customer qualifies for are offered (not
        # applied: "yes" applies one), or "I don't know".
        offered = _offer(context, config, total) if only_codes and names_codes else None
        if offered:
            return offered
        answer = from_knowledge(context, intent, config)
        # no article answers: the codes the customer qualifies for are offered ("can I get
        # money off?"), not for a question about points ("do loyalty points expire?": the
        # program, which a person knows) or about a kind of discount
        offered = None
        if answer.fallback and not of_a_kind and not with_points:
            offered = _offer(context, config, total)
        return offered or answer
    candidates = [named] if named else eligible_codes(policy, profile.get("loyalty_tier"), total)
    tier_codes = [c.code for c in policy.codes_for(profile.get("loyalty_tier"))]
    for code in candidates or tier_codes[:1]:
        result = context.tools.apply_discount(code, with_loyalty_points=with_points)
        if result.get("applied") or result.get("error") == "needs_a_person" or named:
            return _applied(result)
    return Answer("Sorry, there's no discount I can apply to your cart right now.")


def apply_code(context: TurnContext, code: str) -> Answer:
    """Apply one code (one the customer accepted) and say what happened."""
    return _applied(context.tools.apply_discount(code))


def _applied(result: dict[str, Any]) -> Answer:
    """What applying a code did: applied, or why not."""
    if result.get("applied"):
        return Answer(f"Done: I've applied {result['code']} ({result['discount']}) for you.")
    return Answer(f"Sorry, I can't apply that: {result.get('message') or 'it was refused'}.")


def _offer(context: TurnContext, config: StoreConfig, total: float) -> Answer | None:
    """The codes the customer's tier and cart qualify for, the best one offered."""
    from chalicelib.agent.discounts import describe, eligible_codes

    tier = context.customer.profile.get("loyalty_tier")
    codes = {c.code: c for c in config.discounts.codes_for(tier)}
    found = [codes[code] for code in eligible_codes(config.discounts, tier, total)]
    if not found:
        return None
    listed = ", ".join(f"{code.code} ({describe(code)})" for code in found)
    offer = {"kind": "discount", "code": found[0].code}
    return Answer(f"You qualify for {listed}. Want me to apply {found[0].code}?", offer=offer)


def known_code(text: str, config: StoreConfig) -> str | None:
    """One of the store's discount codes, if the text names it."""
    known = {c.code.upper() for codes in config.discounts.by_loyalty_tier.values() for c in codes}
    return next((w.upper() for w in re.findall(r"[A-Za-z0-9]+", text) if w.upper() in known), None)


def _named_code(text: str, config: StoreConfig) -> str | None:
    """A discount code the customer typed: one of the store's, or any word shaped like a code."""
    if found := known_code(text, config):
        return found
    after = CODE_AFTER_WORD.search(text)
    if after and (after.group(1).isupper() or CODE_LIKE.fullmatch(after.group(1))):
        return after.group(1).upper()
    match = CODE_LIKE.search(text)
    return match.group(0).upper() if match else None


def follow_up(context: TurnContext, intent: Intent, config: StoreConfig) -> Answer:
    """'Remind me about ...': schedule a follow-up and remember the interest."""
    if not context.verified:
        return Answer(SIGN_IN)
    query = " ".join(FILLER.sub(" ", context.text).split())
    if intent.confidence < SURE_OF_AN_ORDER and not REMIND_WORDS.search(query):
        # A weak guess, and no reminder asked for in words ("When is Black Friday?", "when is the
        # last day I can send back my jeans"): an article may answer; no follow-up is scheduled.
        return from_knowledge(context, intent, config)
    found = context.tools.find_product(query)
    if found is None:
        return Answer("Happy to remind you! Which product should I remind you about?", True)
    return remind(context, found["sku"], found["name"], context.text)


def remind(context: TurnContext, sku: str, name: str, reason: str) -> Answer:
    """Record the interest and schedule the follow-up; say only what actually happened."""
    context.tools.record_interest(sku, note=reason[:200])
    result = context.tools.schedule_follow_up(sku, reason=reason[:200])
    if result.get("scheduled") is True:
        return Answer(f"Will do: I'll follow up with you about the {name}.")
    why = result.get("message") or NOT_SCHEDULED.get(
        str(result.get("reason")), "it could not be set"
    )
    return Answer(f"Sorry, I couldn't set a reminder about the {name}: {why.rstrip('.')}.", True)


def hours(context: TurnContext, intent: Intent, config: StoreConfig) -> Answer:
    """When the team is available, from the store config."""
    return Answer(understood_answers.store_hours(context, intent, config))


def small_talk(context: TurnContext, intent: Intent, config: StoreConfig) -> Answer:
    """You're welcome for thanks or praise ("you've been so helpful"); hello for anything else."""
    text = context.text
    if asks_who(text):  # "are you a bot?": the agent says what it is, and that a person can help
        return Answer(
            f"I'm the store's AI assistant. I can help with {MENU}, and I can pass you to a "
            "person on our team whenever you like."
        )
    if ASKS_HOW_IT_GOES.search(text):  # "hope you're having a good day! how's it going?"
        return Answer(
            f"I'm doing well, thanks for asking! I can help with {MENU}. What can I do for you?"
        )
    # praise of the agent or the store ("you've been so helpful", "that's great"), not a remark
    # about something else ("it's been raining all week, perfect excuse to stay in"), is thanked
    short = len(text.split()) <= SHORT_PRAISE_WORDS
    praised = sentiment(text) >= PRAISE and not GREETING.match(text)
    praised = praised and (short or bool(ADDRESSED.search(text)))
    said_thanks = understood_answers.THANKS.search(text) or praised
    return (thanks if said_thanks else greeting)(context, intent, config)


def greeting(context: TurnContext, intent: Intent, config: StoreConfig) -> Answer:
    """Hello, by first name when the customer is verified."""
    name = context.customer.first_name if context.verified else ""
    return Answer(f"Hi{' ' + name if name else ''}! I can help with {MENU}. What do you need?")


def thanks(context: TurnContext, intent: Intent, config: StoreConfig) -> Answer:
    """You're welcome."""
    return Answer("You're welcome! Anything else I can help with?")


def praise_of_their_own(context: TurnContext) -> Answer | None:
    """Praise of something the customer already has ("the mug set I got from you is gorgeous,
    use it every morning"), asking nothing: thanks, not an offer to buy it or be reminded of it."""
    text = context.text
    clauses = [c for s in SENTENCES.split(text) for c in CLAUSE_BREAK.split(s)]
    if any(_asks(c.strip()) for c in clauses) or not OWNED.search(text) or sentiment(text) < PRAISE:
        return None
    return Answer("So glad you love it, thank you for telling us! Anything else I can help with?")


def unescalated_complaint(context: TurnContext, intent: Intent, config: StoreConfig) -> Answer:
    """A complaint triage let through: words of thanks are thanks ("cheers, you've been really
    helpful" reads as praise), else an article may answer."""
    if understood_answers.THANKS.search(context.text) or sentiment(context.text) >= PRAISE:
        return thanks(context, intent, config)  # "you've been so helpful today"
    return from_knowledge(context, intent, config)


def payment(context: TurnContext, intent: Intent, config: StoreConfig) -> Answer:
    """How to pay, from the articles; a charge that went wrong ("I was charged twice") is for a
    person: the agent can neither see nor change payments, and says so."""
    if BILLING_PROBLEM.search(context.text):
        text = (
            "I can't see or change payments, so a person on our team should look at this charge. "
            "Would you like me to pass it on?"
        )
        return Answer(text, offer=person_offer(context))
    return from_knowledge(context, intent, config)


def out_of_scope(context: TurnContext, intent: Intent, config: StoreConfig) -> Answer:
    """A store article may answer what no rule knows; "what's trending?" gets picks."""
    if POPULAR.search(context.text):
        return product(context, intent, config)
    return from_knowledge(context, intent, config)


def cart(context: TurnContext) -> Answer:
    """What the customer's cart holds (the shop's cart, as the profile keeps it) and its total."""
    found = context.customer.cart or {}
    items = found.get("items") or []
    if not items:
        return Answer("Your cart is empty right now.")
    held = listed([_cart_item(item) for item in items])
    total = f"{found.get('total')} {found.get('currency') or 'USD'}"
    link = f" Check out here: {found['checkout_url']}" if found.get("checkout_url") else ""
    return Answer(f"Your cart has {held}, {total} in all.{link}")


def points(context: TurnContext) -> Answer:
    """The signed-in customer's loyalty points and tier, as their profile holds them."""
    profile = context.customer.profile
    held, tier = profile.get("loyalty_points"), profile.get("loyalty_tier")
    if not isinstance(held, int):
        return Answer(
            "I can't see a points balance on your account. Would you like me to pass "
            "this to a person on our team?",
            fallback=True,
            offer=person_offer(context),
        )
    member = f" as a {tier} member" if tier else ""
    return Answer(f"You have {held:,} loyalty points{member}.")


def _cart_item(item: dict[str, Any]) -> str:
    """ "the Wrap dress (olive)", or "2 x Linen tee (white)"."""
    name = str(item.get("name") or item.get("sku") or "an item")
    quantity = item.get("quantity")
    return f"{quantity} x {name}" if isinstance(quantity, int) and quantity > 1 else f"the {name}"


def fallback(context: TurnContext, intent: Intent, config: StoreConfig) -> Answer:
    """A polite 'I can't answer that', flagged so a second one in a row escalates."""
    return Answer(
        f"Sorry, I'm not sure about that one. I can help with {MENU}. Could you rephrase?", True
    )


RULES: dict[IntentKind, Rule] = {
    IntentKind.ORDER_STATUS: order_status,
    IntentKind.DELIVERY_TIME: delivery_time,
    IntentKind.RETURNS_POLICY: from_knowledge,
    IntentKind.REFUND_STATUS: refund_status,
    IntentKind.CANCEL_OR_CHANGE: order_change,
    IntentKind.ADDRESS_CHANGE: order_change,
    IntentKind.SHIPPING_OPTIONS: from_knowledge,
    IntentKind.PAYMENT: payment,
    IntentKind.PRODUCT_QUESTION: product,
    IntentKind.RECOMMENDATION: product,
    IntentKind.DISCOUNT: discount,
    IntentKind.INTEREST: product,
    IntentKind.REMINDER: follow_up,
    IntentKind.SMALL_TALK: small_talk,
    IntentKind.STORE_HOURS: hours,
    # Escalating intents reach a rule only when triage let them through (a trigger turned off,
    # or the model unsure): an article may still answer (warranty, order changes, ...).
    IntentKind.HUMAN_REQUEST: from_knowledge,
    IntentKind.COMPLAINT: unescalated_complaint,
    IntentKind.DAMAGED_ITEM: from_knowledge,
    IntentKind.COMPETITOR: from_knowledge,
    IntentKind.LEGAL_OR_CHARGEBACK: from_knowledge,
    IntentKind.MULTI_ISSUE: from_knowledge,
    IntentKind.OUT_OF_SCOPE: out_of_scope,
}
