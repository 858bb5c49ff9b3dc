"""The offline rules backend: triage, then deterministic answers from the customer's own tools."""

from __future__ import annotations

import re

from chalicelib.agent.base import Escalation, TurnContext, TurnResult
from chalicelib.agent.dialogue import read_state
from chalicelib.agent.guardrails import triage_turn
from chalicelib.agent.intents import Intent, IntentKind, from_understanding, order_number
from chalicelib.agent.knowledge import STOPWORDS, WORD, question_parts, question_terms, terms
from chalicelib.agent.product_facts import ASKS, SIZE_ASKED, Fact
from chalicelib.agent.question_words import QUESTION_START, SENTENCES, question_sentences, rewrite
from chalicelib.agent.recommend import QUALITIES
from chalicelib.agent.rules_answers import (
    ASKS_HOW_IT_GOES,
    CART_QUESTION,
    HOW_ARE_YOU,
    ORDER_WORDS,
    PERSONAL,
    POINTS_QUESTION,
    REMIND_WORDS,
    RULES,
    WHERE_IT_GOES,
    Answer,
    asks_for_a_service,
    asks_of_a_product,
    cart,
    dont_know,
    from_catalog,
    from_knowledge,
    known_code,
    own_orders,
    person_offer,
    points,
    praise_of_their_own,
    quote,
)
from chalicelib.agent.rules_dialogue import in_context, interest, refer_back, shows_interest
from chalicelib.agent.understanding import Understanding, catalog_names, understand
from chalicelib.agent.understood_answers import (
    ASKS_FOR_DISCOUNT,
    clarifying_question,
    order_by_item,
)
from chalicelib.agent.understood_triage import asks_who
from chalicelib.agent.voice import as_sent, fit_to_channel, holding_reply
from chalicelib.config.store_config import StoreConfig, load_store_config
from chalicelib.runtime.patterns import lazy

# When something gets to the customer: with an item of their own order named, that order.
ARRIVAL = lazy(
    r"\b(?:arriv\w*|show\s+up|turn\s+up|get\s+(?:here|to\s+me)|be\s+delivered|"
    r"be\s+here|come\s+through|land)\b",
    re.IGNORECASE,
)
# Asking how something stands: "any news on ...", "what's happening with ..."
ORDER_NEWS = lazy(
    r"\b(?:news|updates?|word)\s+(?:on|about|for|with)\b"
    r"|\bwhat(?:['\u2019]?s|\s+is)\s+(?:happening|going\s+on|up)\s+with\b",
    re.IGNORECASE,
)
ABOUT_ORDERS = (IntentKind.ORDER_STATUS, IntentKind.DELIVERY_TIME)  # the customer's own order
ABOUT_PRODUCTS = (IntentKind.PRODUCT_QUESTION, IntentKind.RECOMMENDATION, IntentKind.INTEREST)
# A subject of the store's policies that neither the catalog nor an order holds, in the articles'
# words (matched on the rewritten question: "washer" is "wash", "send it back" is "return"): asked
# of a product or an order ("can my wool throw go in the washer?"), a policy answers, or no one.
POLICY_SUBJECT = lazy(
    r"\b(?:wash\w*|dry|dryer|clean\w*|iron\w*|shrink\w*|shrank|bleach\w*|microwave\w*|"
    r"dishwasher\w*|oven\w*|hem\w*|exchange\w*|return\w*|refund\w*|warranty|covered|"
    r"duties\s+and\s+taxes|runs?\s+(?:small|large|big)|true\s+to\s+size|size\s+(?:up|down)|"
    r"roomy|fitted|snug|gift[\s-]*wrap\w*|wrapping)\b",
    re.IGNORECASE,
)
DEFAULT_SLA_SECONDS = 86400
SMALL_TALK_FROM = 0.5  # a weaker small-talk guess is mostly gibberish: it gets the fallback
CHAT_WORDS = 3  # unless it asks nothing in this many plain words ("it's been raining all week")
SURE_OF_INTENT = 0.6  # a weaker guess yields to the catalog's facts about a product named


class RulesAgent:
    """Answers order status, policies, products, discounts and reminders; escalates per triage."""

    def __init__(
        self, config: StoreConfig | None = None, sla_seconds: int = DEFAULT_SLA_SECONDS
    ) -> None:
        self.config = config or load_store_config()
        self.sla_seconds = sla_seconds

    def respond(self, context: TurnContext) -> TurnResult:
        """Answer the customer's new messages."""
        understood = understand(context.text, catalog_names(self.config.catalog))
        intent = _checked(understood, from_understanding(understood))
        if known_code(context.text, self.config):
            intent = Intent(kind=IntentKind.DISCOUNT, confidence=1.0)
        intent = _with_named_order(context, intent)
        intent = _sure_in_words(understood, intent, context.text)
        escalation = triage_turn(context, self.config.escalation, understood)
        if escalation:
            return self._result(context, Answer(""), intent.kind.value, escalation=escalation)
        state = read_state(context)
        answer = in_context(context, state)
        if answer is None and context.verified and CART_QUESTION.search(context.text):
            return self._result(context, cart(context), intent.kind.value)  # "what's in my cart?"
        if answer is None and context.verified and POINTS_QUESTION.search(context.text):
            return self._result(context, points(context), intent.kind.value)  # "my points?"
        praise = praise_of_their_own(context) if answer is None else None
        if praise is not None:  # "the mug set I got from you is gorgeous": thanks, no sales
            return self._result(context, praise, intent.kind.value)
        if answer is None and _asks_a_policy(context, intent):
            # "can the stoneware bowls go in the dishwasher?": the article that answers, or
            # "I don't know"; not the product or the order the message names
            answered = from_knowledge(context, intent, self.config)
            several = _several_questions(context) if answered.fallback else None
            # "is the cushion cover washable and what size is it?": each part its answer
            return self._result(context, several[0] if several else answered, intent.kind.value)
        keen = shows_interest(context.text)
        in_a_size = bool(SIZE_ASKED.search(context.text))
        if answer is None and (keen or in_a_size or intent.kind in ABOUT_PRODUCTS):
            unanswered = context.tools.describe_product(context.text) is None
            if unanswered and not in_a_size:  # "got the linen tee in a medium?": stock, not fit
                # "I like my tees fitted, should I get a small in the linen tee?": what the
                # catalog does not answer ("is it available in medium?" it does), an article that
                # answers with confidence answers before the product (no fit, no gift box there)
                found = context.tools.search_knowledge(context.text, limit=1).get("articles")
                if found:
                    return self._result(context, quote(found[0]), intent.kind.value)
            # "got the oxford shirt in a large?": the product, and that sizes are not known (the
            # catalog's facts first: "is it available in medium?" is in stock, whatever the size)
            if (in_a_size and unanswered) or (keen and not _asks_past(context, intent)):
                answer = interest(context, state)
        if (
            answer is None
            and intent.kind is IntentKind.INTEREST
            and intent.confidence >= SURE_OF_INTENT
        ):
            facts = _stock_or_price(context)  # "are the navy linen shorts back in stock?"
            if facts is not None:
                return self._result(context, from_catalog(context, facts), intent.kind.value)
            if not _asks_past(context, intent):
                answer = interest(context, state)  # "I'm quite keen on the denim jacket"
        if answer is None:
            intent = refer_back(context, intent, state)
            facts = _catalog_facts(context, intent)
            if facts is not None:  # "is the wool throw in stock?": the catalog's answer
                return self._result(context, from_catalog(context, facts), intent.kind.value)
            if _should_clarify(understood, intent):
                # An article that answers with confidence beats asking which topic it is.
                found = context.tools.search_knowledge(context.text, limit=1).get("articles")
                if found:
                    return self._result(context, quote(found[0]), intent.kind.value)
                several = _several_questions(context)
                if several is not None:  # "the jeans are too long, also ... and do you ship to
                    return self._result(context, several[0], intent.kind.value)  # canada": each
                if _own_order_guess(context, intent):
                    answer = RULES[intent.kind](context, intent, self.config)
                    return self._result(context, answer, intent.kind.value)
                if _names_no_order(context, intent):  # "When is Black Friday?": no topic fits
                    return self._result(context, dont_know(context), intent.kind.value)
                question = clarifying_question([label for label, _ in understood.alternatives])
                return self._result(context, Answer(question, fallback=True), intent.kind.value)
            # "How much is express? And do you take PayPal?": each question its article's answer;
            # when only some are answered, the intent's rule first, then those answers
            several = _several_questions(context)
            if several is not None and several[1]:
                answer = several[0]
            else:
                answer = RULES[intent.kind](context, intent, self.config)
                answer = several[0] if several is not None and answer.fallback else answer
        return self._result(context, answer, intent.kind.value)

    def _result(
        self,
        context: TurnContext,
        answer: Answer,
        intent: str,
        escalation: Escalation | None = None,
    ) -> TurnResult:
        """The reply with everything the tools recorded; a holding reply when escalating."""
        tools = context.tools
        decided = escalation or tools.escalation
        text = fit_to_channel(self.config, context.channel, answer.text)
        if decided:
            zone = context.conversation.meta.get("time_zone")  # the web chat shopper's own
            holding = holding_reply(self.config, context.channel, self.sla_seconds, time_zone=zone)
            text = with_holding(self.config, context, answer.text, holding)
        return TurnResult(
            reply=text,
            tools=tools.calls,
            sources=tools.sources,
            actions=tools.actions,
            escalation=decided,
            fallback=answer.fallback and not decided,
            intent=intent,
            offer=None if decided else answer.offer,
        )


def _checked(understood: Understanding, intent: Intent) -> Intent:
    """Deterministic rules over the model's guess: a weak guess naming an order is about that order,
    a weak small-talk guess is no greeting (gibberish gets the fallback), and no discount is applied
    unless the customer asks for one."""
    kind = intent.kind
    if understood.unsure and intent.order_number:
        kind = IntentKind.ORDER_STATUS  # a weak guess, but an order named: it is about that order
    elif (
        HOW_ARE_YOU.match(understood.text)
        or ASKS_HOW_IT_GOES.search(understood.text)
        or asks_who(understood.text)
    ):
        kind = IntentKind.SMALL_TALK  # "how are you today?", "are you a bot?": small talk
    elif (
        kind is IntentKind.SMALL_TALK
        and understood.confidence < SMALL_TALK_FROM
        and not _chat(understood.text)
    ):
        # gibberish gets the fallback; a product named ("got any bowls?", 0.36) is asked about
        named = understood.entity("product") is not None
        kind = IntentKind.PRODUCT_QUESTION if named else IntentKind.OUT_OF_SCOPE
    elif kind is IntentKind.DISCOUNT and not ASKS_FOR_DISCOUNT.search(understood.text):
        others = [label for label, _ in understood.alternatives if label is not kind]
        if understood.entity("product") is not None:
            # "do you have any mugs" (discount, 0.55): a product named, a product question
            others = [label for label in others if label in ABOUT_PRODUCTS] or others
        kind = others[0] if others else IntentKind.OUT_OF_SCOPE
    return intent if kind is intent.kind else intent.model_copy(update={"kind": kind})


def _chat(text: str) -> bool:
    """A remark in plain words that asks nothing ("it's been raining all week here haha, perfect
    excuse to stay in and browse"): chat, not gibberish, whatever the model's confidence."""
    words = WORD.findall(text.lower())
    plain = sum(1 for word in words if word in STOPWORDS)
    asks = any(sentence.strip().endswith("?") for sentence in SENTENCES.split(text))
    return not asks and not QUESTION_START.match(text.strip()) and plain >= CHAT_WORDS


def _with_named_order(context: TurnContext, intent: Intent) -> Intent:
    """An order question naming an item ('my jeans order') is about the order that holds it."""
    if intent.order_number or not context.verified:
        return intent
    guessed = (IntentKind.PRODUCT_QUESTION, IntentKind.RECOMMENDATION, IntentKind.REMINDER)
    arrives = (
        intent.kind in guessed
        and bool(ARRIVAL.search(context.text))
        and not REMIND_WORDS.search(context.text)  # "tell me when the jacket arrives in stock"
    )
    # "any news on that linen tee i ordered?" (interest, 0.62): news of an item of her orders
    news = intent.kind in (*guessed, IntentKind.INTEREST) and bool(ORDER_NEWS.search(context.text))
    if intent.kind not in ABOUT_ORDERS and not arrives and not news:
        return intent
    number = order_by_item(context.text, context.customer.orders_newest_first())
    if (
        number
        and news
        and not (REMIND_WORDS.search(context.text) or ASKS["stock"].search(context.text))
    ):
        return Intent(kind=IntentKind.ORDER_STATUS, order_number=number, confidence=1.0)
    if not arrives and intent.kind not in ABOUT_ORDERS:
        return intent
    if number and arrives:  # "what day should the jeans show up": the jeans she ordered
        return Intent(kind=IntentKind.DELIVERY_TIME, order_number=number, confidence=1.0)
    if arrives and intent.kind is not IntentKind.PRODUCT_QUESTION:
        # "when will the jacket get to me", "any idea what day the jeans will get here" (no jeans
        # in her orders: a recommendation guess, 0.44): a delivery question, never picks
        return Intent(kind=IntentKind.DELIVERY_TIME, confidence=intent.confidence)
    return intent.model_copy(update={"order_number": number}) if number else intent


def _asks_a_policy(context: TurnContext, intent: Intent) -> bool:
    """A policy asked of a product or of an order ("will the linen tee shrink when I wash it?",
    "am I going to get hit with import tax when it arrives?"): picks or the order's status would
    not answer it. An order number typed makes it about that order (an item of an order named does
    not: "if I send the linen tee back, how long until I get my money back?")."""
    about = intent.kind in ABOUT_PRODUCTS or (
        intent.kind in ABOUT_ORDERS and not order_number(context.text)  # typed: about that order
    )
    return about and bool(POLICY_SUBJECT.search(rewrite(context.text)))


def _asks_past(context: TurnContext, intent: Intent) -> bool:
    """Interest shown, and a question asked that the product's name and price do not answer: "I
    love your linen things. Do you do wholesale prices?", "I love the wrap dress. Does it have
    pockets?" (the question asked in words of interest, "do you have it in blue?", is interest)."""
    if asks_for_a_service(context):
        return True
    asked = question_sentences(context.text)
    apart = asked and not any(shows_interest(sentence) for sentence in asked)
    return bool(apart) and asks_of_a_product(context.text, intent)


def _stock_or_price(context: TurnContext) -> Fact | None:
    """The catalog's stock or price of a product the customer is keen on and asks about: the
    answer, with the offer of a reminder when it is out of stock ("do you have it in blue?" asks
    neither: the interest answer names the colour)."""
    asks = ASKS["stock"].search(context.text) or ASKS["price"].search(context.text)
    return context.tools.describe_product(context.text) if asks else None


def _catalog_facts(context: TurnContext, intent: Intent) -> Fact | None:
    """What the catalog says of a product the message names, for a product question or a message
    the model is not sure of (a reminder has its own answer, and so has a sure interest)."""
    if intent.kind is not IntentKind.PRODUCT_QUESTION and intent.confidence >= SURE_OF_INTENT:
        return None
    if intent.kind in (IntentKind.REMINDER, IntentKind.DISCOUNT):
        return None  # a weak interest guess gets the facts asked ("are the linen shorts in stock")
    if intent.kind not in ABOUT_PRODUCTS and POLICY_SUBJECT.search(rewrite(context.text)):
        return None  # "if I trade my dress for a different colour, do I have to wait...": a policy
    return context.tools.describe_product(context.text)


def _own_order_guess(context: TurnContext, intent: Intent) -> bool:
    """A weak guess that a signed-in customer asks about their order ("when's it getting
    here"): showing them their own order answers it or costs nothing, so no question first."""
    if not context.verified or intent.kind not in ABOUT_ORDERS:
        return False
    words = question_terms(context.text)  # none but an order's ("is it here yet"), or one of them
    return not words or any(word in ORDER_WORDS for word in words)


def _sure_in_words(understood: Understanding, intent: Intent, text: str) -> Intent:
    """A weak guess (below `SURE_OF_INTENT`) made sure by what the message says in words, as a
    typed code is: a reminder asked for a named product ("ping me tomorrow about the dress":
    0.23), a quality the catalog has words for ("something cosy for the sofa": 0.26), a change of
    where the parcel goes ("can I change where my parcel is going"), a refund named in a weak
    order guess."""
    if intent.confidence >= SURE_OF_INTENT:
        return intent
    likely = [label for label, _ in understood.alternatives]
    named = understood.entity("product") is not None
    if IntentKind.REMINDER in likely and named and REMIND_WORDS.search(text):
        return Intent(kind=IntentKind.REMINDER, confidence=1.0)
    quality = set(terms(text)) & QUALITIES.keys()
    if IntentKind.RECOMMENDATION in likely and quality and not order_number(text):
        return Intent(kind=IntentKind.RECOMMENDATION, confidence=1.0)
    if WHERE_IT_GOES.search(text):
        return Intent(kind=IntentKind.ADDRESS_CHANGE, confidence=1.0)
    refund_guess = intent.kind in (*ABOUT_ORDERS, IntentKind.REFUND_STATUS)
    if refund_guess and "refund" in question_terms(text):
        # "I sent some things back last week, have I been paid back yet?" (an order, 0.45; "...
        # whether the money has been put back on my card", a refund at 0.34): where it stands
        return Intent(kind=IntentKind.REFUND_STATUS, confidence=1.0)
    return intent


def _names_no_order(context: TurnContext, intent: Intent) -> bool:
    """A weak guess at an order question whose words name nothing an order has ("When is Black
    Friday?"): asking whether it is about the order's arrival helps no one."""
    words = question_terms(context.text)
    return intent.kind in ABOUT_ORDERS and bool(words) and not set(words) & ORDER_WORDS


def _several_questions(context: TurnContext) -> tuple[Answer, bool] | None:
    """A message asking several things: each question an article (or the catalog) answers,
    answered, and the first one none does offered to a person, with whether each one was
    answered ("where's my order? and can I still cancel?" leaves the order to its rule); None
    when it asks one thing, or none is answered."""
    parts = question_parts(context.text)
    if len(parts) < 2:
        return None
    said = [_part_answer(context, part) for part in parts]
    quoted = _without_repeats([text for text in said if text])
    if not quoted:
        return None
    unanswered = [part for part, text in zip(parts, said, strict=True) if not text]
    if not unanswered:
        return Answer(" ".join(quoted)), len(quoted) == len(parts)
    ask = f'I\'m not sure about "{unanswered[0]}": would you like me to pass that to a person?'
    return Answer(" ".join([*quoted, ask]), offer=person_offer(context)), False


def _without_repeats(texts: list[str]) -> list[str]:
    """Each answer with the sentences an earlier one said left out (both passages of "next day
    delivery? and what does postage cost" hold the express sentence); one adding nothing dropped."""
    seen: set[str] = set()
    kept = []
    for text in texts:
        fresh = [s for s in SENTENCES.split(text) if s not in seen or s.startswith("(From our")]
        if any(not sentence.startswith("(From our") for sentence in fresh):
            kept.append(" ".join(fresh))
            seen.update(fresh)
    return kept


def _part_answer(context: TurnContext, part: str) -> str | None:
    """One question of several: the customer's own orders when it asks about them ("when is my
    tee arriving, and also ...?"), what the catalog says of the product the message names ("...
    and what size is it?": the cushion cover's 50 x 50 cm), else the article that answers. Not
    its price: "can I swap them for a 32? does that cost anything?" asks what the swap costs."""
    if context.verified and PERSONAL.search(part):
        understood = understand(part)  # "when is my tee arriving, and also ...?": the order
        if IntentKind(understood.intent.value) in ABOUT_ORDERS and (
            understood.confidence >= SURE_OF_INTENT
        ):
            return own_orders(context, Intent(kind=IntentKind.ORDER_STATUS, confidence=1.0)).text
    if any(ASKS[kind].search(part) for kind in ASKS if kind != "price"):
        fact = context.tools.describe_product(part, named_in=context.text)
        if fact is not None:
            return fact.text
    found = context.tools.search_knowledge(part, limit=1).get("articles")
    return quote(found[0]).text if found else None


def _should_clarify(understood: Understanding, intent: Intent) -> bool:
    """A weak guess at an in-scope intent: ask rather than answer the wrong question.

    A code of the store's or an order number the customer typed is no guess."""
    if intent.confidence >= 1.0 or intent.order_number:
        return False
    answerable_anyway = {IntentKind.OUT_OF_SCOPE, IntentKind.SMALL_TALK}
    return understood.unsure and intent.kind not in answerable_anyway


def with_holding(config: StoreConfig, context: TurnContext, text: str, holding: str) -> str:
    """The answer followed by the holding reply; the holding reply alone when both do not fit."""
    limit = config.brand_voice.max_reply_chars.get(context.channel, 600)
    combined = as_sent(context.channel, f"{text} {holding}")
    return combined if len(combined) <= limit else holding
