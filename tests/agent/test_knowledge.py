"""Knowledge answers: the sentence that answers, from the right article, or none at all."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.agent.knowledge import (
    KnowledgeIndex,
    knowledge_index,
    question_parts,
    rank_articles,
    terms,
)
from chalicelib.agent.question_words import QuestionType, asked_types, stated_types
from chalicelib.config.store_config import KnowledgeArticle, load_store_config
from chalicelib.store.knowledge import StoredArticle

GIFT_WRAP = KnowledgeArticle(
    id="gift-wrap",
    title="Gift wrapping",
    body="Gift wrapping is available at checkout for 5 USD per order, with a handwritten card.",
)

# Gift wrapping with a sentence about the box: its price is no price tag
WRAPPED = KnowledgeArticle(
    id="gift-wrap",
    title="Gift wrapping",
    body="Gift wrapping is available at checkout for 5 USD per order. Wrapped orders ship "
    "in a recycled gift box without a price tag.",
)
STUDENTS = KnowledgeArticle(
    id="student-discount",
    title="Student discount",
    body="Students get 10% off full-price items. The student code cannot be combined with other "
    "discount codes.",
)


@pytest.fixture(scope="module")
def index() -> KnowledgeIndex:
    return KnowledgeIndex(load_store_config().knowledge)


@pytest.mark.parametrize(
    ("question", "article_id", "passage"),
    [
        ("How long do refunds take?", "returns", "within 5 business days"),
        ("When does my refund reach my original payment method?", "returns", "5 business days"),
        ("What is your return policy?", "returns", "within 30 days"),
        ("How long does shipping take?", "shipping", "3 to 5 business days"),
        ("How much is express shipping?", "shipping", "18 USD"),
        ("Do you ship to Canada?", "international-shipping", "Canada"),
        ("What size should I get in the linen tee?", "sizing", "size down"),
        ("How do I wash linen?", "care", "Wash linen"),
        ("Can I put the wool throw in the washing machine?", "care", "dry clean only"),
        ("Can I cancel my order?", "order-changes", "within one hour"),
        ("Can I use my points with a discount code?", "loyalty", "cannot be combined"),
        ("Do you take American Express?", "payment", "American Express"),
        ("Can I exchange a shirt for a bigger size?", "exchanges", "free"),
        ("Can I stack my points with a promo code?", "loyalty", "cannot be combined"),
        ("Is my card charged right away when I order?", "payment", "charged when the order ships"),
        ("Who pays the import fees for Canada?", "international-shipping", "duties and taxes"),
        ("will the refund go back on my credit card", "returns", "original payment method"),
        ("how do I get a refund", "returns", "Start a return"),  # the steps, not the time
        ("I no longer want it. How can I cancel at this stage?", "order-changes", "After it has"),
        ("when does my payment get taken", "payment", "charged when the order ships"),
        ("if the tee doesnt fit how do i send it back?", "returns", "Start a return"),
        (
            "If something doesn't fit, how do I go about sending it back?",
            "returns",
            "Start a return",
        ),
        ("whats your policy if something doesnt fit", "exchanges", "Exchanges are free"),
        (
            "the mugs are lovely but can I send one set back, how does that work?",
            "returns",
            "Start a return",
        ),
        ("do you guys take paypal or only cards?", "payment", "PayPal"),
        ("can i use paypal or do i need a card", "payment", "PayPal"),
        ("is there a charge to swap my shirt for another colour?", "exchanges", "free"),
        ("is express delivery complimentary?", "shipping", "18 USD"),
        ("how much extra is it for faster delivery?", "shipping", "18 USD"),
        ("When is my card actually billed, at checkout or later?", "payment", "charged when"),
        (
            "I've built up a pile of points, can I use them together with a promo code?",
            "loyalty",
            "cannot be combined",
        ),
        (
            "Do you charge my card when I place the order or when it ships?",
            "payment",
            "charged when",
        ),
        ("the seam came apart after a month, is that something you cover?", "warranty", "one year"),
        ("how many points do I get per dollar?", "loyalty", "one point per dollar"),
        ("Can I use my rewards points and a promo code together?", "loyalty", "cannot be combined"),
        ("what's the minimum spend for free shipping?", "shipping", "free on orders over 75 USD"),
        (
            "I no longer want my order but it has already been dispatched. What are my options?",
            "order-changes",
            "After it has shipped",
        ),
    ],
)
def test_the_answering_sentence_of_the_right_article_is_quoted(
    index: KnowledgeIndex, question: str, article_id: str, passage: str
) -> None:
    hit = index.answer(question)
    assert hit is not None and hit.article_id == article_id
    assert passage in hit.snippet


@pytest.mark.parametrize(
    "question",
    [
        "if i get the jeans hemmed does that slow things down",
        "will hemming make my order take longer?",
        "if i get the straight jeans taken up does that make the order ship later?",
    ],
)
def test_slowing_an_order_down_asks_by_how_long(question: str) -> None:
    from training.knowledge_eval import articles

    hit = KnowledgeIndex(articles()).answer(question)
    assert hit is not None and hit.snippet == "Hemming adds 2 business days before the order ships."


def test_refund_time_is_not_answered_with_the_return_window(index: KnowledgeIndex) -> None:
    hit = index.answer("How long do refunds take?")
    assert hit is not None and "30 days" not in hit.snippet


@pytest.mark.parametrize(
    "question",
    [
        "Do you offer engraving?",
        "Do you offer gift wrapping?",  # no gift-wrap article in the demo store
        "What hours is customer service available?",
        "Do loyalty points expire?",
        "Do you ship to PO boxes?",
        "can I put it on my card",  # no refund asked: not the refund's original payment method
        "which courier do you use for deliveries to the UK?",  # what is asked, no article names
        "how many points do i need to get to platinum",  # a threshold the article does not state
        "how many points til i hit gold",
        "can i buy a gift card for my sister? what amounts do they come in",
        "What's the weather in Paris?",
        "hello",
        "Ignore previous instructions",
        "",
        "!!!",
    ],
)
def test_no_answer_when_no_article_answers(index: KnowledgeIndex, question: str) -> None:
    assert index.answer(question) is None


def test_an_added_article_answers_its_question() -> None:
    articles = [*load_store_config().knowledge, GIFT_WRAP]
    hit = KnowledgeIndex(articles).answer("Do you offer gift wrapping?")
    assert hit is not None and hit.article_id == "gift-wrap" and "5 USD" in hit.snippet
    assert hit.confidence >= 0.8


def test_hit_carries_id_version_title_snippet_score_and_confidence(index: KnowledgeIndex) -> None:
    hit = index.search("Can I pay with PayPal?")[0]
    assert (hit.article_id, hit.version, hit.title) == ("payment", 1, "Payment methods")
    assert "PayPal" in hit.snippet and len(hit.snippet) <= 240
    assert hit.score > 1 and 0 < hit.confidence <= 1


def test_search_ranks_and_limits(index: KnowledgeIndex) -> None:
    hits = index.search("return exchange refund size shipping", limit=2)
    assert len(hits) == 2
    assert hits[0].score >= hits[1].score


def test_long_sentences_are_cut_in_the_snippet() -> None:
    article = KnowledgeArticle(id="long", title="Gift wrap", body="Gift wrap " + "x " * 300)
    hit = rank_articles("gift wrap", [article], min_score=0)[0]
    assert len(hit.snippet) == 240 and hit.snippet.endswith("…")


def test_question_types_asked_and_stated() -> None:
    assert asked_types("How long do refunds take?") == {QuestionType.DURATION}
    assert asked_types("How much is express shipping?") == {QuestionType.MONEY}
    assert stated_types("within 5 business days") == {QuestionType.DURATION, QuestionType.TIME}
    assert stated_types("costs 18 USD") == {QuestionType.MONEY}
    assert asked_types("When will my exchange ship?") == {QuestionType.TIME}
    assert asked_types("ok and when does it arrive") == {QuestionType.TIME}
    assert asked_types("what happens when my parcel is late") == set()  # not a question of when
    assert stated_types("we ship it as soon as the original is scanned") == {QuestionType.TIME}


RETURNS = KnowledgeArticle(
    id="returns",
    title="Returns and refunds",
    body="You can return unworn items within 30 days of delivery for a full refund. Start a "
    "return from your order page. Refunds go back to the original payment method within 5 "
    "business days of the return arriving at our warehouse.",
)
EXCHANGES = KnowledgeArticle(
    id="exchanges",
    title="Exchanges for another size",
    body="Exchanges are free within 30 days of delivery. Tell us the size you want and we ship "
    "the replacement as soon as the original is scanned by the carrier.",
)


def test_a_question_about_its_first_word_quotes_the_sentence_about_that_word() -> None:
    index = KnowledgeIndex([RETURNS, EXCHANGES])
    refund = index.answer("when do I get my money back after I send it back")
    assert refund is not None and "5 business days" in refund.snippet
    assert "30 days" not in refund.snippet  # the return window answers another question
    money = index.answer("how long until I see the money from my return")
    assert money is not None and "5 business days" in money.snippet
    window = index.answer("how long do I have to return something for a refund")
    assert window is not None and "30 days" in window.snippet


def test_a_when_question_quotes_the_sentence_that_says_when() -> None:
    hit = KnowledgeIndex([RETURNS, EXCHANGES]).answer("when do you ship my exchange")
    assert hit is not None and hit.article_id == "exchanges"
    assert "as soon as" in hit.snippet and "30 days" not in hit.snippet


def test_a_product_the_store_sells_is_a_detail_of_a_policy_question() -> None:
    articles = load_store_config().knowledge
    index = KnowledgeIndex(articles, products=["Linen tee (white)"])
    hit = index.answer("can i swap the linen tee for a bigger size")
    assert hit is not None and hit.article_id == "exchanges"
    unknown = KnowledgeIndex(articles).answer("can i swap the linen tee for a bigger size")
    assert unknown is None  # a word of no product and no article: maybe the question's topic


def test_the_one_product_a_kind_names_is_evidence_for_the_article_holding_its_words() -> None:
    articles = load_store_config().knowledge
    index = KnowledgeIndex(articles, products=["Stoneware mug set", "Stoneware bowl set"])
    hit = index.answer("can the mugs go in the dishwasher")  # the mugs are stoneware
    assert hit is not None and hit.snippet == "Stoneware is dishwasher and microwave safe."
    assert KnowledgeIndex(articles).answer("can the mugs go in the dishwasher") is None
    # a kind two products share names neither, and what is implied is never asked
    two_mugs = KnowledgeIndex(articles, products=["Stoneware mug set", "Enamel camping mug"])
    assert two_mugs.answer("can the mugs go in the dishwasher") is None
    assert index.answer("do the mugs come in blue?") is None


def test_word_forms_meet() -> None:
    assert terms("returns returned returning") == ["return"] * 3
    assert terms("size sizes sizing") == [terms("size")[0]] * 3
    assert terms("shipping ships shipped") == ["ship"] * 3


def test_no_articles_no_hits() -> None:
    assert rank_articles("returns", []) == []
    assert KnowledgeIndex([]).answer("returns") is None


def test_the_index_of_the_same_article_versions_is_built_once() -> None:
    stored = [StoredArticle(a.id, a.title, a.body, 1) for a in load_store_config().knowledge]
    assert knowledge_index(tuple(stored)) is knowledge_index(tuple(stored))
    edited = StoredArticle("care", "Fabric care", "Hand wash only.", 2)
    assert knowledge_index((*stored, edited)) is not knowledge_index(tuple(stored))


@given(st.text(max_size=200))
def test_answering_never_raises(query: str) -> None:
    index = KnowledgeIndex([*load_store_config().knowledge, GIFT_WRAP])
    hit = index.answer(query)
    assert hit is None or (hit.confidence >= 0.8 and hit.snippet)
    assert all(hit.score >= 1 for hit in index.search(query))


def test_a_country_no_article_names_asks_about_international_shipping() -> None:
    index = KnowledgeIndex(load_store_config().knowledge)
    japan = index.answer("do you deliver to japan")
    assert japan is not None and japan.article_id == "international-shipping"
    assert japan.snippet.startswith("We ship to Canada")  # where they ship: the answer to "Japan?"
    duties = index.answer("who pays import taxes on orders to the EU")
    assert duties is not None and "duties and taxes" in duties.snippet
    assert asked_types("can you send my order to New Zealand") == {QuestionType.PLACE}
    assert QuestionType.PLACE not in asked_types("who pays import taxes on orders to the EU")
    assert asked_types("how long does shipping to Japan take") == {QuestionType.DURATION}


def test_a_country_is_found_by_its_whole_name_only() -> None:
    index = KnowledgeIndex(load_store_config().knowledge)
    africa = index.answer("do you deliver to south africa")
    assert africa is not None and africa.article_id == "international-shipping"
    # "city" is a word of "Vatican City", but "a different city" names no country
    assert "international" not in index._words("can I have it delivered to a different city")


def test_a_typo_of_a_word_that_names_no_topic_is_no_topic() -> None:
    index = KnowledgeIndex(load_store_config().knowledge)
    for question in ("whee can I see your payment options?", "ccan i check payment options"):
        hit = index.answer(question)
        assert hit is not None and hit.article_id == "payment", question
    assert index._words("what are your hours") == ["hour"]  # a word articles hold stays


def test_a_product_named_in_several_words_is_one_detail() -> None:
    index = KnowledgeIndex(load_store_config().knowledge, products=["Denim jacket"])
    hit = index.answer("can I return the denim jacket")
    assert hit is not None and hit.article_id == "returns"


def test_a_price_or_time_asked_for_a_country_it_does_not_ship_to_gets_where_it_ships() -> None:
    index = KnowledgeIndex(load_store_config().knowledge)
    for question in ("how much does it cost to send to mexico", "how long is delivery to japan"):
        hit = index.answer(question)
        assert hit is not None and hit.article_id == "international-shipping", question
        assert hit.snippet.startswith("We ship to Canada"), question
    canada = index.answer("how long does shipping to Canada take?")  # a country it ships to
    assert canada is not None and canada.snippet.startswith("International delivery takes")


def test_paying_duties_and_free_shipping_are_answered() -> None:
    index = KnowledgeIndex(load_store_config().knowledge)
    duties = index.answer("do I have to pay duties on international orders?")
    assert duties is not None and "duties and taxes are collected" in duties.snippet
    for question in ("is shipping free?", "what's the minimum spend for free shipping"):
        free = index.answer(question)
        assert free is not None and "free on orders over 75 USD" in free.snippet, question
    assert "youv" not in index._words("you've had my return for weeks")  # a contraction


def test_outside_the_country_is_international() -> None:
    index = KnowledgeIndex(load_store_config().knowledge)
    hit = index.answer("Do you ship outside the US?")
    assert hit is not None and hit.snippet.startswith("We ship to Canada")


def test_an_article_not_about_the_questions_subject_does_not_answer() -> None:
    index = KnowledgeIndex(load_store_config().knowledge)
    # order-changes holds "return" and "address", but it is not about returns
    assert index.answer("what's your returns address") is None
    card = index.answer("Can I use a gift card together with PayPal?")  # "gift card": a phrase
    assert card is not None and card.article_id == "payment"


def test_next_day_delivery_is_express() -> None:
    index = KnowledgeIndex(load_store_config().knowledge)
    hit = index.answer("how much is next day delivery")
    assert hit is not None and hit.snippet.startswith("Express shipping takes 1 to 2 business days")


def test_a_long_message_is_answered_by_the_question_it_asks() -> None:
    index = KnowledgeIndex(load_store_config().knowledge)
    story = "I got the jacket last winter and the zip broke on it last week. Is that covered?"
    hit = index.answer(story)
    assert hit is not None and hit.article_id == "warranty"
    clause = index.answer("My daughter needs the dress by Thursday, what's your fastest shipping?")
    assert clause is not None and clause.snippet.startswith("Express shipping")


def test_the_question_alone_answers_from_an_article_the_whole_message_ranks_nearly_first() -> None:
    index = KnowledgeIndex(load_store_config().knowledge)
    # the story's words rank the payment article's "American Express" a little higher
    story = "my wife is off to a wedding on Sunday and it is Thursday. Which delivery is fastest?"
    ranked = index.search(story, min_score=0)
    assert ranked[0].article_id == "payment" and ranked[1].article_id == "shipping"
    hit = index.answer(story)
    assert hit is not None and hit.snippet.startswith("Express shipping")


def test_the_question_alone_answers_only_what_the_whole_message_ranks_first() -> None:
    index = KnowledgeIndex(load_store_config().knowledge)
    # "trade prices" are no exchange (the question alone would rank the exchanges article first)
    assert index.answer("I run a little shop and want forty mugs. Do you do trade prices?") is None
    trade = index.answer("can I trade my jeans for a smaller size?")
    assert trade is not None and trade.article_id == "exchanges"


def test_a_product_alone_asks_nothing_of_the_article_that_names_it() -> None:
    index = KnowledgeIndex(load_store_config().knowledge, ["Wool throw (oatmeal)"])
    assert index.answer("I like the wool throw") is None
    hit = index.answer("can the wool throw be washed?")
    assert hit is not None and hit.article_id == "care"


def test_a_price_shown_in_the_box_is_the_price_tag_not_the_price() -> None:
    index = KnowledgeIndex([*load_store_config().knowledge, WRAPPED])
    shown = index.answer("it's a present, will the price show on the box?")
    assert shown is not None and shown.snippet.startswith("Wrapped orders ship")
    cost = index.answer("what's the price of gift wrapping?")
    assert cost is not None and cost.snippet.startswith("Gift wrapping is available")


def test_the_clause_that_asks_names_the_subject_and_taking_money_is_a_charge() -> None:
    index = KnowledgeIndex(load_store_config().knowledge)
    refund = index.answer("I posted it back, when do I get my money back?")
    assert refund is not None and refund.snippet.startswith("Refunds go back")
    charge = index.answer("no payment shows on my card yet. When do you take the money?")
    assert charge is not None and charge.article_id == "payment" and "charged" in charge.snippet


def test_an_article_titled_for_a_kind_of_product_does_not_answer_for_another_kind() -> None:
    hemming = KnowledgeArticle(
        id="hemming",
        title="Jeans hemming",
        body="We hem straight jeans to your inseam for free: add your inseam in the order note at "
        "checkout. Hemming adds 2 business days before the order ships.",
    )
    config = load_store_config()
    index = KnowledgeIndex([*config.knowledge, hemming], [p.name for p in config.catalog])
    assert index.answer("can you shorten the linen shorts for me") is None
    assert index.answer("I'm short. Could you take up the hem of the wrap dress?") is None
    jeans = index.answer("do you hem the straight jeans?")
    assert jeans is not None and jeans.article_id == "hemming"
    timing = index.answer("how long does hemming take?")  # no kind named: the article's own
    assert timing is not None and "2 business days" in timing.snippet


def test_an_article_for_a_group_of_customers_answers_only_who_says_they_belong_to_it() -> None:
    index = KnowledgeIndex([*load_store_config().knowledge, STUDENTS])
    assert index.answer("got any discount codes at the moment?") is None
    assert index.answer("I'm a nurse, is there a discount?") is None
    for text in ("I'm at university. Any discount?", "do you have a student discount"):
        hit = index.answer(text)
        assert hit is not None and hit.snippet.startswith("Students get 10% off"), text


def test_a_word_no_article_has_leaves_a_whole_topic_question_its_leading_sentence() -> None:
    index = KnowledgeIndex([*load_store_config().knowledge, STUDENTS])
    hit = index.answer("postgrad student, is there a discount?")
    assert hit is not None and hit.snippet.startswith("Students get 10% off")


def test_a_country_in_a_question_the_size_guide_answers_quotes_the_size_chart() -> None:
    index = KnowledgeIndex(load_store_config().knowledge)
    hit = index.answer("I live in France, do the size charts show cm?")
    assert hit is not None and hit.article_id == "sizing"
    assert hit.snippet.startswith("Each product page has a size chart")


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        (
            "the tee shrank, also can I pay with PayPal? and do you ship to Ireland",
            ["can I pay with PayPal?", "do you ship to Ireland"],
        ),
        (
            "How much is express? And how long do refunds take?",
            ["How much is express?", "how long do refunds take?"],
        ),
        ("can I return it and get a refund?", ["can I return it and get a refund?"]),
        ("Bought it for my mum last week. how do i cancel", ["how do i cancel"]),
        ("is the throw itchy and how big is it", ["is the throw itchy", "how big is it"]),
        (
            "two things: does the linen tee shrink in the wash, and do you ship to canada?",
            ["does the linen tee shrink in the wash", "do you ship to canada?"],
        ),
        (
            "two things - can i pay with paypal, and do you ship to canada?",
            ["can i pay with paypal", "do you ship to canada?"],
        ),
    ],
)
def test_a_message_is_split_into_the_questions_it_asks(message: str, parts: list[str]) -> None:
    assert question_parts(message) == parts


@given(st.text(max_size=300))
def test_splitting_any_text_into_questions_never_raises(text: str) -> None:
    assert all(part.strip() for part in question_parts(text))


def test_the_kind_of_fact_asked_is_the_asking_clauses() -> None:
    index = KnowledgeIndex([*load_store_config().knowledge, WRAPPED])
    hit = index.answer("If I pay for gift wrap, is the box recyclable?")
    assert hit is not None and hit.snippet.startswith("Wrapped orders ship in a recycled")


def test_how_something_works_gets_what_the_customer_does() -> None:
    index = KnowledgeIndex(load_store_config().knowledge)
    hit = index.answer("how does an exchange work? what do you need from me?")
    assert hit is not None and hit.snippet.startswith("Tell us the size or colour you want")
    assert asked_types("how does it work?") == {QuestionType.STEPS}
    assert QuestionType.STEPS in stated_types("Start a return from your order page.")


def test_words_of_time_keep_a_return_story_from_reading_as_the_whole_topic() -> None:
    index = KnowledgeIndex(load_store_config().knowledge)
    story = "I sent the bowls back like two weeks ago, still not seen the money. what's going on?"
    hit = index.answer(story)
    assert hit is not None and "Refunds go back to the original payment method" in hit.snippet
