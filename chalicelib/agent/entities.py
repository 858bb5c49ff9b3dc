"""What a message names: order numbers, products of the catalog, dates; each with a confidence."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from chalicelib.runtime.patterns import lazy

FLAGS = re.IGNORECASE
ORDER_NUMBER = lazy(
    r"#\s?(\d{3,})\b|\border\s*(?:number|num|no\.?)?\s*(?:is\s+)?#?\s*(\d{3,})\b", FLAGS
)
BARE_NUMBER = lazy(r"^\W*(\d{3,8})\W*$")
WORD = lazy(r"[a-z0-9]+")
GENERIC_HEADS = frozenset({"set", "cover", "pair", "pack"})
VARIANT = lazy(r"\(([^)]*)\)")
WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
RELATIVE_DATE = lazy(
    rf"\b(today|tonight|tomorrow|yesterday|(?:this|next|last)\s+(?:week|month|weekend|{WEEKDAYS})"
    rf"|(?:on\s+|by\s+)?(?:{WEEKDAYS})|christmas|new\s+year'?s?(?:\s+eve)?|black\s+friday"
    rf"|in\s+(?:a|one|two|three|\d+)\s+(?:days?|weeks?))\b",
    FLAGS,
)
ABSOLUTE_DATE = lazy(
    rf"\b(\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})[a-z]*|(?:{MONTHS})[a-z]*\s+\d{{1,2}}(?:st|nd|rd|th)?)\b",
    FLAGS,
)


@dataclass(frozen=True)
class Entity:
    """Something a message names: its kind, normalized value, the words, and a confidence."""

    kind: str  # order_number | product | date
    value: str
    text: str
    confidence: float


@dataclass(frozen=True)
class CatalogName:
    """A product as the extractor knows it: its SKU and display name."""

    sku: str
    name: str


def order_numbers(text: str) -> list[Entity]:
    """'#1001', 'order 1001', 'order number is 1001'; a message that is only a number, less sure."""
    found = [
        Entity("order_number", match.group(1) or match.group(2), match.group(0).strip(), 0.95)
        for match in ORDER_NUMBER.finditer(text)
    ]
    if not found and (bare := BARE_NUMBER.match(text)):
        found.append(Entity("order_number", bare.group(1), bare.group(1), 0.6))
    return found


def _stem(word: str) -> str:
    """A crude singular: mugs -> mug, dresses -> dress (jeans stays jeans)."""
    if word.endswith("es") and word[:-2].endswith(("ss", "sh", "ch", "x")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "jeans", "shorts")) and len(word) > 3:
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    return [_stem(word) for word in WORD.findall(text.lower().replace("'", ""))]


def _head(core: list[str]) -> str:
    """The word that says what a product is: 'jeans' of straight jeans, 'mug' of mug set."""
    if len(core) > 1 and core[-1] in GENERIC_HEADS:
        return core[-2]
    return core[-1]


def products(text: str, catalog: Iterable[CatalogName]) -> list[Entity]:
    """Catalog products the message names: the whole name (and its variant) or its main word."""
    said = set(_words(text))
    found: list[Entity] = []
    for product in catalog:
        variant = VARIANT.search(product.name)
        core = _words(VARIANT.sub(" ", product.name))
        if not core:
            continue
        matched = sum(word in said for word in core)
        if matched == len(core):
            exact = variant is None or set(_words(variant.group(1))) <= said
            confidence = 0.95 if exact else 0.85
        elif _head(core) in said:
            confidence = 0.4 + 0.3 * matched / len(core)  # "the jeans": which jeans?
        else:
            continue
        found.append(Entity("product", product.sku, product.name, round(confidence, 2)))
    return sorted(found, key=lambda entity: -entity.confidence)


def dates(text: str) -> list[Entity]:
    """Dates as written: explicit ('2026-11-26', '26 Nov') or relative ('tomorrow', 'friday')."""
    absolute = [
        Entity("date", m.group(1).lower(), m.group(1), 0.9) for m in ABSOLUTE_DATE.finditer(text)
    ]
    relative = [
        Entity("date", " ".join(m.group(1).lower().split()), m.group(1), 0.8)
        for m in RELATIVE_DATE.finditer(text)
    ]
    return absolute + relative


def extract(text: str, catalog: Iterable[CatalogName] = ()) -> list[Entity]:
    """Every entity the message names, order numbers first."""
    return order_numbers(text) + products(text, catalog) + dates(text)
