"""Product recommendations from the catalog: related to what the customer bought, viewed or wants."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from chalicelib.agent.knowledge import terms
from chalicelib.domain.profiles import CustomerBundle
from chalicelib.runtime.patterns import lazy

DESCRIPTION_CHARS = 160
GOES_WITH = lazy(
    r"\b(?:go(?:es)?\s+(?:well\s+)?with|match(?:es)?|pair\w*\s+with|wear\s+with)\b", re.I
)
# A sum of money the shopper names ("got about $60", "under 50 dollars"): the most a pick costs
BUDGET = lazy(
    r"[$\u00a3\u20ac]\s?(\d+(?:\.\d+)?)|\b(\d+(?:\.\d+)?)\s*(?:dollars?|bucks|usd|quid|pounds?|euros?)\b",
    re.IGNORECASE,
)
QUERY_WEIGHT = 3.0
CATEGORY_WEIGHT = 1.0
NAME_WEIGHT = 0.5

# What shoppers ask for, in the words product names and descriptions use: a "cosy" thing is made
# of wool or knit, something for "summer" is linen. Applied to the query only (docs/agent.md).
_QUALITIES = {
    "warm cosy cozy cold winter chilly snug cabin fireplace autumn fall": "wool lambswool knit "
    "fleece cashmere throw blanket jacket coat sweater",
    "cool summer hot heat breathable beach holiday vacation light": "linen cotton breathable "
    "shorts tee dress",
    "coffee tea kitchen cook cooking breakfast dinner table": "mug bowl stoneware",
    "sofa couch living bedroom decor cushion": "cushion throw linen",
    "housewarming home house flat apartment": "home kitchen throw cushion mug bowl",
    "smart office work formal interview": "shirt oxford collar",
}
QUALITIES: dict[str, frozenset[str]] = {
    asked: frozenset(terms(means)) for words, means in _QUALITIES.items() for asked in terms(words)
}


def query_terms(query: str) -> set[str]:
    """The query's words and what they mean in a catalog's words ("cosy": wool, knit, ...)."""
    words = set(terms(query))
    return words.union(*(QUALITIES.get(word, frozenset()) for word in words))


@dataclass
class Signals:
    """What the customer's history says: SKUs owned or in the cart, and what drew their interest."""

    bought: set[str] = field(default_factory=set)
    bought_names: set[str] = field(default_factory=set)
    in_cart: set[str] = field(default_factory=set)
    looked_at: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)


def signals_of(bundle: CustomerBundle | None) -> Signals:
    """Purchase history, cart, product views and recorded interests of a customer."""
    found = Signals()
    if bundle is None:
        return found
    for order in bundle.orders:
        for item in order.items:
            found.bought.add(str(item.get("sku", "")))
            found.bought_names.add(str(item.get("name", "")).lower())
            found.words.update(terms(str(item.get("name", ""))))
    for item in (bundle.cart or {}).get("items") or []:
        found.in_cart.add(str(item.get("sku", "")))
        found.words.update(terms(str(item.get("name", ""))))
    for event in bundle.events:
        if event.get("type") in {"product.viewed", "interest"}:
            found.looked_at.add(str((event.get("data") or {}).get("sku", "")))
    return found


def _product_terms(product: dict[str, Any]) -> set[str]:
    text = " ".join([product.get("name", ""), product.get("description", "")])
    return set(terms(text + " " + " ".join(product.get("categories") or [])))


def recommend(
    catalog: Iterable[dict[str, Any]], signals: Signals, query: str = "", limit: int = 3
) -> list[dict[str, Any]]:
    """In-stock products not already bought, ranked by the query and the customer's history."""
    budget = budget_of(query)
    products = [p for p in catalog if p.get("in_stock", True)]
    by_sku = {p["sku"]: p for p in products}
    if budget is not None:  # "got about $60 to spend": nothing dearer
        products = [p for p in products if float(p.get("price") or 0) <= budget]
    wanted = query_terms(BUDGET.sub(" ", query))  # the sum is no word of a product
    # "what goes with the oxford shirt?": not the shirt itself, things of its kinds
    paired = {p["sku"] for p in products if GOES_WITH.search(query) and _names(p, wanted)}
    related = signals.bought | signals.in_cart | signals.looked_at | paired
    categories = Counter(c for sku in related if sku in by_sku for c in by_sku[sku]["categories"])
    if paired:
        wanted = set()  # the pairing is the query: ranked by the paired product's kinds
    owned = signals.bought | signals.in_cart | paired
    scored = []
    for product in products:
        if product["sku"] in owned or product["name"].lower() in signals.bought_names:
            continue
        words = _product_terms(product)
        match = len(wanted & words)
        if wanted and not match:
            continue
        score = QUERY_WEIGHT * match + NAME_WEIGHT * len(signals.words & words)
        score += CATEGORY_WEIGHT * sum(categories[c] for c in product.get("categories") or [])
        scored.append((score, float(product.get("price", 0)), product))
    scored.sort(key=lambda entry: (-entry[0], entry[1]))
    return [product_view(product) for _, _, product in scored[: max(1, min(limit, 5))]]


def budget_of(query: str) -> float | None:
    """The most the shopper says they will spend, if the query names a sum of money."""
    found = BUDGET.search(query)
    return float(found.group(1) or found.group(2)) if found else None


def _names(product: dict[str, Any], wanted: set[str]) -> bool:
    """Whether the query names the product (two words of its name, or its only one)."""
    name = set(terms(product["name"]))
    return len(name & wanted) >= min(2, len(name))


def product_view(product: dict[str, Any]) -> dict[str, Any]:
    """What the agent may say about a product (the description cut short: it is store-written data)."""
    description = str(product.get("description", ""))[:DESCRIPTION_CHARS]
    return {
        "sku": product["sku"],
        "name": product["name"],
        "price": product.get("price"),
        "currency": product.get("currency", "USD"),
        "url": product.get("url"),
        "description": description,
        "in_stock": bool(product.get("in_stock", True)),
    }


def best_match(catalog: Iterable[dict[str, Any]], query: str) -> dict[str, Any] | None:
    """The product whose name (then description) shares most words with `query`, in stock or not."""
    wanted = set(terms(query))
    if not wanted:
        return None
    scored = [
        (2 * len(wanted & set(terms(p["name"]))) + len(wanted & _product_terms(p)), p)
        for p in catalog
    ]
    score, product = max(scored, key=lambda entry: entry[0], default=(0, None))
    return product_view(product) if product and score > 0 else None
