"""The labelled utterances and their fixed split: Bitext's corpus mapped onto our intents, plus ours.

The split is a rule over the text, so anyone can rebuild it: within each source intent, the distinct
utterances are ranked by SHA-256 of `salt|utterance`; the first 20% are held out (never trained or
tuned on), the next 15% of the rest validate while tuning, the remainder trains. `split.csv` writes
the result down, and `tests/training/test_dataset.py` checks that the rule still gives that file.
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from chalicelib.agent.intent_labels import Label

DATA = Path(__file__).with_name("data")
BITEXT = DATA / "bitext" / "utterances.csv"
BITEXT_SPLIT = DATA / "bitext" / "split.csv"
OWN_TRAIN = DATA / "own" / "train.tsv"
OWN_HELDOUT = DATA / "own" / "heldout.tsv"
HELDOUT_SHARE = 0.20
VALIDATION_SHARE = 0.15
HELDOUT_SALT = "tandem-heldout-v1"
VALIDATION_SALT = "tandem-validation-v1"

# Bitext's 27 intents onto ours; why each one lands where it does is in training/README.md.
BITEXT_MAP: dict[str, Label] = {
    "track_order": Label.ORDER_STATUS,
    "delivery_period": Label.DELIVERY_TIME,
    "check_refund_policy": Label.RETURNS_POLICY,
    "get_refund": Label.RETURNS_POLICY,
    "track_refund": Label.REFUND_STATUS,
    "cancel_order": Label.CANCEL_OR_CHANGE,
    "change_order": Label.CANCEL_OR_CHANGE,
    "check_cancellation_fee": Label.CANCEL_OR_CHANGE,
    "change_shipping_address": Label.ADDRESS_CHANGE,
    "set_up_shipping_address": Label.ADDRESS_CHANGE,
    "delivery_options": Label.SHIPPING_OPTIONS,
    "check_payment_methods": Label.PAYMENT,
    "payment_issue": Label.PAYMENT,
    "place_order": Label.PRODUCT_QUESTION,
    "complaint": Label.COMPLAINT,
    "contact_human_agent": Label.HUMAN_REQUEST,
    "contact_customer_service": Label.HUMAN_REQUEST,  # unless it asks for the hours, see below
    "review": Label.OUT_OF_SCOPE,
    "check_invoice": Label.OUT_OF_SCOPE,
    "get_invoice": Label.OUT_OF_SCOPE,
    "newsletter_subscription": Label.OUT_OF_SCOPE,
    "create_account": Label.OUT_OF_SCOPE,
    "delete_account": Label.OUT_OF_SCOPE,
    "edit_account": Label.OUT_OF_SCOPE,
    "recover_password": Label.OUT_OF_SCOPE,
    "registration_problems": Label.OUT_OF_SCOPE,
    "switch_account": Label.OUT_OF_SCOPE,
}
# "what hours can I contact customer service?" asks when we are open, not for a person now.
ASKS_HOURS = re.compile(r"\b(?:hours?|time|when|open|available|avialable|schedule)\b", re.I)


@dataclass(frozen=True)
class Example:
    """One labelled utterance and where it comes from."""

    text: str
    label: str
    source: str  # bitext | own
    source_intent: str = ""


def bitext_label(intent: str, text: str) -> Label:
    """Our intent for one Bitext utterance."""
    if intent == "contact_customer_service" and ASKS_HOURS.search(text):
        return Label.STORE_HOURS
    return BITEXT_MAP[intent]


def rank_key(salt: str, text: str) -> str:
    """The stable hash that orders utterances for the split."""
    return hashlib.sha256(f"{salt}|{text.strip().lower()}".encode()).hexdigest()


def first_share(texts: Iterable[str], salt: str, share: float) -> set[str]:
    """The first `share` (rounded up) of the distinct texts, ranked by their hash."""
    distinct = sorted({text.strip().lower() for text in texts}, key=lambda t: rank_key(salt, t))
    return set(distinct[: math.ceil(len(distinct) * share)])


def bitext_rows() -> list[dict[str, str]]:
    """Bitext's rows as in the CSV (flags, utterance, category, intent)."""
    with BITEXT.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def compute_bitext_split(rows: list[dict[str, str]]) -> list[str]:
    """The split of each row (heldout | validation | train), by the rule in the docstring."""
    by_intent: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_intent[row["intent"]].append(row["utterance"])
    heldout: set[tuple[str, str]] = set()
    validation: set[tuple[str, str]] = set()
    for intent, texts in by_intent.items():
        held = first_share(texts, HELDOUT_SALT, HELDOUT_SHARE)
        rest = [t for t in texts if t.strip().lower() not in held]
        heldout |= {(intent, t) for t in held}
        validation |= {(intent, t) for t in first_share(rest, VALIDATION_SALT, VALIDATION_SHARE)}
    return [_which(row, heldout, validation) for row in rows]


def _which(
    row: dict[str, str], heldout: set[tuple[str, str]], validation: set[tuple[str, str]]
) -> str:
    key = (row["intent"], row["utterance"].strip().lower())
    return "heldout" if key in heldout else "validation" if key in validation else "train"


def write_bitext_split(path: Path = BITEXT_SPLIT) -> None:
    """Write the split down: one `row,split` line per utterance of the CSV (row 0 = first)."""
    splits = compute_bitext_split(bitext_rows())
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["row", "split"])
        writer.writerows(enumerate(splits))


def read_bitext_split(path: Path = BITEXT_SPLIT) -> list[str]:
    """The committed split, row by row."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [line["split"] for line in csv.DictReader(handle)]


def bitext_examples(split: str) -> list[Example]:
    """Bitext's examples of one split, with our labels."""
    rows, splits = bitext_rows(), read_bitext_split()
    return [
        Example(
            row["utterance"], bitext_label(row["intent"], row["utterance"]), "bitext", row["intent"]
        )
        for row, which in zip(rows, splits, strict=True)
        if which == split
    ]


def own_examples(path: Path) -> list[Example]:
    """Our own labelled utterances (`intent<TAB>utterance`, a header line first)."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    pairs = [line.split("\t", 1) for line in lines if line.strip() and not line.startswith("#")]
    return [Example(text.strip(), Label(label).value, "own", label) for label, text in pairs]


def own_split(split: str) -> list[Example]:
    """Our utterances of one split: heldout is its own file; validation is carved from train."""
    if split == "heldout":
        return own_examples(OWN_HELDOUT)
    examples = own_examples(OWN_TRAIN)
    validation: set[tuple[str, str]] = set()
    by_label: dict[str, list[str]] = defaultdict(list)
    for example in examples:
        by_label[example.label].append(example.text)
    for label, texts in by_label.items():
        validation |= {(label, t) for t in first_share(texts, VALIDATION_SALT, VALIDATION_SHARE)}
    chosen = [
        e
        for e in examples
        if ((e.label, e.text.strip().lower()) in validation) == (split == "validation")
    ]
    return chosen


def examples(split: str) -> list[Example]:
    """Every example of a split: Bitext's and ours. A text held out anywhere (Bitext's and our
    held-out sets share a few, e.g. "What hours is customer service available?") never trains."""
    found = bitext_examples(split) + own_split(split)
    if split == "heldout":
        return found
    held = {e.text.strip().lower() for e in bitext_examples("heldout") + own_split("heldout")}
    return [e for e in found if e.text.strip().lower() not in held]


if __name__ == "__main__":
    write_bitext_split()
