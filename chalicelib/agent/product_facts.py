"""What the catalog says about a product the customer names: its price, stock, colours, material
and size, answered from the catalog entry (store data), or nothing when the entry does not say."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chalicelib.agent.entities import CatalogName, products
from chalicelib.agent.question_words import question_sentences
from chalicelib.runtime.patterns import lazy

FLAGS = re.IGNORECASE
# What a question asks about a product, in the words customers use.
ASKS: dict[str, re.Pattern[str]] = {
    "price": lazy(
        r"\b(?:price[sd]?|pricing|cost[s]?|how\s+much|expensive|cheap(?:er)?|afford\w*)\b|\$", FLAGS
    ),
    "stock": lazy(
        r"\b(?:(?:in|out\s+of|back\s+in)\s+stock|sold\s+out|restock\w*|available|availability|"
        r"any\s+left|still\s+(?:have|got|sell)|(?:be|come|comes|coming)\s+back\b|pre-?orders?\b)",
        FLAGS,
    ),
    "colour": lazy(r"\b(?:colou?rs?|shades?|what\s+colou?r)\b", FLAGS),
    "material": lazy(
        r"\b(?:material|fabric|made\s+(?:of|from|out\s+of)|what\s+(?:is\s+it|are\s+they)\s+made)\b",
        FLAGS,
    ),
    "dimensions": lazy(
        r"\b(?:how\s+(?:big|large|wide|long|tall)|dimensions?|measurements?|what\s+size\s+is)\b",
        FLAGS,
    ),
}
# A policy's subject: the question is about the policy for the product, not the product.
POLICY = lazy(
    r"\b(?:ship\w*|deliver\w*|postage|return\w*|refund\w*|exchang\w*|swap\w*|switch\w*|cancel\w*|"
    r"wash\w*|care|"
    r"clean\w*|warrant\w*|guarantee\w*|discount\w*|codes?|coupons?|vouchers?|(?<!pre-)(?<!pre)orders?|"
    r"gift[\s-]*wrap\w*|wrapping|wrapped|wrap\s+(?:it|them|this|that|the|my|up)|price\s+tags?|"
    r"receipts?|(?:what|how\s+much)\s+(?:i|we)\s+paid|prices?\s+(?:be\s+)?(?:in|inside|on|shown|"
    r"showing|visible)|wholesale|bulk|trade\s+pric\w*|gift\s*cards?|visa|mastercard|amex|"
    r"american\s+express|paypal|apple\s+pay|google\s+pay|klarna|afterpay|instal{1,2}ments?|"
    r"split\s+(?:the\s+)?(?:payment|cost|bill))\b",
    FLAGS,
)
MATERIALS = lazy(
    r"\b(?:organic\s+)?(?:linen|cotton|denim|lambswool|wool|viscose|polyester|silk|cashmere|"
    r"leather|stoneware|ceramic|porcelain)\b",
    FLAGS,
)
MEASURE = lazy(r"\b\d+(?:\.\d+)?\s*(?:x|\u00d7)\s*\d+(?:\.\d+)?\s*(?:cm|mm|in|inches)\b", FLAGS)
COLOUR_WORDS = lazy(
    r"\b(?:black|white|grey|gray|navy|blue|red|green|olive|pink|purple|yellow|orange|brown|beige|"
    r"cream|sand|sage|indigo|khaki|burgundy|teal|oatmeal|charcoal)\b",
    FLAGS,
)
# A size the customer names ("in xl", "a size 12"): the catalog's stock is per product, not size.
SIZE_NAMED = lazy(
    r"\b(?:in|an?|size)\s+(?:xx?s|s|m|l|xx?l|xxxl|small|medium|large|extra\s+large|\d{1,2})\b",
    FLAGS,
)
# A size asked for ("in a medium", "in size 16"), not any size word ("a small cafe").
SIZE_ASKED = lazy(
    r"\b(?:in\s+(?:an?\s+)?(?:size\s+)?|size\s+)"
    r"(?:xx?s|s|m|l|xx?l|xxxl|small|medium|large|extra\s+large|\d{1,2})\b",
    FLAGS,
)
# When a product comes back: no catalog entry says ("when will the shorts be back in stock?").
WHEN_BACK = lazy(r"\b(?:when|how\s+(?:long|soon)|any\s+idea|eta|soon|date)\b", FLAGS)
NAMED_FROM = 0.55  # "the jeans" names the catalog's only jeans; a shared word alone does not


@dataclass(frozen=True)
class Fact:
    """What the catalog says in answer, and whether it leaves the customer a reminder to accept."""

    text: str
    offer: dict[str, Any] | None = None
    unknown: bool = False  # it also asks what no entry says (when a product is back): not answered


def named(text: str, catalog: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The catalog entries the message names: the best-named product and its colour variants."""
    entries = {str(p["sku"]): p for p in catalog}
    found = products(text, [CatalogName(sku, str(p["name"])) for sku, p in entries.items()])
    best = [e for e in found if e.confidence >= NAMED_FROM]
    if not best:
        return []
    top = [entries[e.value] for e in best if e.confidence == best[0].confidence]
    bases = {base_name(str(p["name"])) for p in top}
    return top if len(bases) == 1 else []  # two different products: not sure which


def base_name(name: str) -> str:
    """'Linen tee (white)' -> 'Linen tee'."""
    return name.split(" (")[0]


def colour_of(name: str) -> str | None:
    """'Linen tee (white)' -> 'white'."""
    return name[name.index("(") + 1 : name.rindex(")")] if "(" in name and ")" in name else None


def answer(
    text: str, catalog: Iterable[dict[str, Any]], named_in: str | None = None
) -> Fact | None:
    """The catalog's answer to what the message asks about a product it names (or that
    `named_in`, the whole message of one of its questions, names); None when it names none, asks
    nothing these facts hold, or asks what the entry does not say."""
    entries = list(catalog)
    found = named(named_in or text, entries)
    # what its questions ask, when it has some ("...because the colour wasn't what I expected.
    # When will I see the money back?" asks no colour)
    questions = " ".join(question_sentences(text)) or text
    asked = [kind for kind, pattern in ASKS.items() if pattern.search(questions)]
    if not found or not asked or POLICY.search(text):
        return None
    family = [p for p in entries if base_name(str(p["name"])) == base_name(str(found[0]["name"]))]
    wanted = {m.group(0).lower() for m in COLOUR_WORDS.finditer(text)}
    have = {str(colour_of(str(p["name"])) or "").lower() for p in family}
    if wanted and not any(w in c for w in wanted for c in have):
        # "is the denim jacket available in black?": not in stock, it does not come in black
        colours = _fact("colour", found, family)
        return Fact(
            f"Sorry, the {base_name(str(found[0]['name']))} doesn't come in {listed(sorted(wanted))}. {colours}"
        )
    said = [_fact(kind, found, family) for kind in asked]
    if any(part is None for part in said):
        return None  # asks something the catalog does not hold: not half an answer
    said = list(dict.fromkeys(said))  # size and material may both be the description
    if "stock" in asked and SIZE_NAMED.search(text):  # "in xl": the catalog keeps no sizes
        said.append("I can't see stock by size, though.")
    offer = _back_in_stock_offer(found) if "stock" in asked else None
    unknown = offer is not None and bool(WHEN_BACK.search(questions))
    if unknown:  # "when will the navy linen shorts be back?": out of stock, and no date known
        said.append(
            f"I can't see when {'they' if be(str(found[0]['name'])) == 'are' else 'it'}'ll be back."
        )
    url = found[0].get("url")
    link = f" {url}" if url and len(found) == 1 else ""
    return Fact(" ".join(str(part) for part in said) + link, offer, unknown)


def summary(text: str, catalog: Iterable[dict[str, Any]]) -> str | None:
    """What the catalog entry of the one product the message names says, whatever it asks (of a
    product in several colours, "the linen tee": its shortest description, every colour named)."""
    found = named(text, list(catalog))
    if not found:
        return None
    product = min(found, key=lambda p: len(str(p.get("description", ""))))
    prices = sorted({float(p["price"]) for p in found})
    currency = product.get("currency", "USD")
    price = "-".join(f"{p:g}" for p in dict.fromkeys((prices[0], prices[-1])))
    colours = [c for c in (colour_of(str(p["name"])) for p in found) if c]
    name = str(product["name"])
    if len(found) > 1:
        name = f"{base_name(name)} ({' or '.join(colours)})" if colours else base_name(name)
    description = str(product.get("description", "")).rstrip(".")
    return f"{name} ({price} {currency}): {description}." if description else None


def _fact(kind: str, found: list[dict[str, Any]], family: list[dict[str, Any]]) -> str | None:
    """One fact about the named product, or None when its entry does not state it."""
    product, base = found[0], base_name(str(found[0]["name"]))
    label = str(product["name"]) if len(found) == 1 else base
    if kind == "price":
        return (
            f"The {label} {be(base)} {float(product['price']):g} {product.get('currency', 'USD')}."
        )
    if kind == "stock":
        return _stock(found, label)
    if kind == "colour":
        colours = [c for c in (colour_of(str(p["name"])) for p in family) if c]
        if not colours:  # one entry, no colour named: the catalog has no other
            return f"The {base} comes in one colour only." if len(family) == 1 else None
        return f"The {base} comes in {listed(colours)}."
    description = str(product.get("description", ""))
    pattern = MATERIALS if kind == "material" else MEASURE
    if not pattern.search(description):
        return None
    return f"The {label}: {description.rstrip('.')}."


def _stock(found: list[dict[str, Any]], label: str) -> str:
    """In stock or not (each variant named when they differ)."""
    stocked = [p for p in found if p.get("in_stock", True)]
    if len(stocked) == len(found):
        return f"Yes, the {label} {be(label)} in stock."
    if not stocked:
        return f"The {label} {be(label)} out of stock right now."
    names = listed([str(colour_of(str(p["name"])) or p["name"]) for p in stocked])
    return f"The {label} {be(label)} in stock in {names} only."


def _back_in_stock_offer(found: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A reminder to offer when the one product named is out of stock."""
    if len(found) != 1 or found[0].get("in_stock", True):
        return None
    return {"kind": "reminder", "sku": found[0]["sku"], "name": found[0]["name"]}


def be(name: str) -> str:
    """'is' for a tee, 'are' for jeans: the name's last word before its variant."""
    head = base_name(name).split()[-1].lower() if name.split() else ""
    return "are" if head.endswith("s") and not head.endswith("ss") else "is"


def listed(words: list[str]) -> str:
    """'white', 'white and sand', 'white, sand and navy'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
