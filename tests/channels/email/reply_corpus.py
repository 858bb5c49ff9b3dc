"""The reply-extraction corpus: peers' cases and GitHub's, read as the pipeline reads mail, scored.

`python -m tests.channels.email.reply_corpus` prints the per-source table (`-v` lists the misses outside the held-out cases).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chalicelib.channels.email.html import html_to_text
from chalicelib.channels.email.mime import read_mail
from chalicelib.channels.email.reply import visible_reply

EMAIL_EVENTS = Path(__file__).parents[2] / "events" / "email"
PEERS = EMAIL_EVENTS / "peers"
GITHUB = EMAIL_EVENTS / "github"
SPACES = re.compile(r"\s+")
# Held out, fixed before any failure was looked at: every fourth peer case in cases.json order
# (index 3, 7, 11, ...), 36 of 144. Never tuned on; reported apart.
HELD_OUT_EVERY = 4


@dataclass(frozen=True)
class Case:
    """One reply and what its source asserts about the visible text."""

    id: str
    source: str
    format: str  # text | eml | html
    body: bytes
    equals: str | None = None
    tail: str = ""
    checks: list[dict[str, str]] = field(default_factory=list)
    history_from: str = ""
    held_out: bool = False


@dataclass(frozen=True)
class Verdict:
    """Kept: none of the customer's words lost. Clean: kept, and every assertion of the source holds."""

    kept: bool
    clean: bool
    problems: list[str]


def norm(text: str) -> str:
    """Runs of whitespace made one space, ends stripped."""
    return SPACES.sub(" ", text).strip()


def peer_cases() -> list[Case]:
    """The 144 cases restated from crisp-oss/email-reply-parser and mailgun/talon."""
    cases = json.loads((PEERS / "cases.json").read_text())
    return [peer_case(index, case) for index, case in enumerate(cases)]


def peer_case(index: int, case: dict[str, Any]) -> Case:
    """One entry of cases.json."""
    if "input_file" in case:
        body = (PEERS / case["input_file"]).read_bytes()
    else:
        body = case["input"].encode("utf-8")
    return Case(
        id=case["id"],
        source=case["id"].split("/", 1)[0],
        format=case["format"],
        body=body,
        equals=case.get("equals"),
        tail=case.get("signature_tail", ""),
        checks=case.get("checks", []),
        history_from=case.get("history_from", ""),
        held_out=index % HELD_OUT_EVERY == HELD_OUT_EVERY - 1,
    )


def github_cases() -> list[Case]:
    """The 17 cases of GitHub's email_reply_parser suite (expected.json)."""
    expected: dict[str, dict[str, Any]] = json.loads((GITHUB / "expected.json").read_text())
    return [github_case(name, rules) for name, rules in sorted(expected.items())]


def github_case(name: str, rules: dict[str, Any]) -> Case:
    """One entry of expected.json, its rules as checks."""
    checks = (
        [{"kind": "starts_with", "value": rules["starts_with"]}] if "starts_with" in rules else []
    )
    checks += [{"kind": "contains", "value": v} for v in rules.get("contains", [])]
    checks += [{"kind": "excludes", "value": v} for v in rules.get("excludes", [])]
    return Case(
        id=f"github/{name}",
        source="github",
        format="text",
        body=(GITHUB / name).read_bytes(),
        equals=rules.get("equals"),
        checks=checks,
    )


def body_text(case: Case) -> str:
    """The mail's readable text, as the pipeline reads it (MIME part choice, HTML rendering)."""
    if case.format == "eml":
        return read_mail(case.body).text
    text = case.body.decode("utf-8", errors="replace")
    return html_to_text(text) if case.format == "html" else text


def customer_text(case: Case) -> str:
    """What the pipeline stores as the customer's text (the whole body when extraction is empty)."""
    text = body_text(case)
    return visible_reply(text) or text.strip()


def judge(case: Case, out: str) -> Verdict:
    """Whether the customer's words are all in `out`, and whether every assertion holds."""
    got = norm(out)
    lost = [f"lost {w!r}" for w in customer_words(case) if norm(w) not in got]
    extra = [p for check in case.checks if (p := failed_check(check, got))]
    if case.equals is not None and got not in {norm(case.equals), norm(without_tail(case))}:
        extra.append("not equal")
    if case.history_from and norm(case.history_from) in got:
        extra.append(f"history left {case.history_from!r}")
    return Verdict(kept=not lost, clean=not lost and not extra, problems=lost + extra)


def customer_words(case: Case) -> list[str]:
    """Texts the customer wrote that must survive: the expected reply, contained and leading texts."""
    words = [without_tail(case)] if case.equals is not None else []
    kinds = {"contains", "starts_with"}
    return words + [c["value"] for c in case.checks if c["kind"] in kinds]


def without_tail(case: Case) -> str:
    """The expected reply without the sign-off the source strips (keeping it is fine too)."""
    equals = case.equals or ""
    if case.tail and equals.rstrip().endswith(case.tail.rstrip()):
        return equals.rstrip()[: -len(case.tail.rstrip())]
    return equals


def failed_check(check: dict[str, str], got: str) -> str:
    """A description of the check's failure on the normalised text, or ''."""
    value = norm(check["value"])
    kind = check["kind"]
    failed = {
        "contains": value not in got,
        "excludes": value in got,
        "starts_with": not got.startswith(value),
        "ends_with": not got.endswith(value),
    }[kind]
    return f"{kind} {check['value']!r}" if failed else ""


def table(rows: Iterable[tuple[str, list[Verdict]]]) -> str:
    """Per-group counts: cases, customer's text kept, clean, lost."""
    lines = [f"{'group':<22}{'cases':>6}{'clean':>8}{'clean %':>9}{'lost':>6}"]
    for name, verdicts in rows:
        clean = sum(v.clean for v in verdicts)
        lost = sum(not v.kept for v in verdicts)
        pct = 100 * clean / len(verdicts) if verdicts else 0.0
        lines.append(f"{name:<22}{len(verdicts):>6}{clean:>8}{pct:>8.1f}%{lost:>6}")
    return "\n".join(lines)


def report(verbose: bool = False) -> str:
    """The per-source table of the whole corpus (and each miss when verbose)."""
    peers = [(case, judge(case, customer_text(case))) for case in peer_cases()]
    github = [(case, judge(case, customer_text(case))) for case in github_cases()]

    def pick(pairs: list[tuple[Case, Verdict]], keep: Any) -> list[Verdict]:
        return [v for c, v in pairs if keep(c)]

    rows = [
        ("crisp", pick(peers, lambda c: c.source == "crisp")),
        ("talon", pick(peers, lambda c: c.source == "talon")),
        ("peers (all 144)", pick(peers, lambda c: True)),
        ("peers tuning", pick(peers, lambda c: not c.held_out)),
        ("peers held out", pick(peers, lambda c: c.held_out)),
        ("github", pick(github, lambda c: True)),
    ]
    text = table(rows)
    if verbose:
        # Misses of the tuning cases only: the held-out ones are judged, never studied.
        misses = [(c, v) for c, v in peers + github if not v.clean and not c.held_out]
        text += "\n\n" + "\n".join(f"{c.id}: {v.problems}" for c, v in misses)
    return text


if __name__ == "__main__":
    print(report(verbose="-v" in sys.argv[1:]))
