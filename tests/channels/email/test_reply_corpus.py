"""Every corpus case (peers' 144, GitHub's 17) read as the pipeline reads it; `pytest -s` prints the table."""

from __future__ import annotations

import pytest

from tests.channels.email.reply_corpus import (
    Case,
    customer_text,
    github_cases,
    judge,
    peer_cases,
    report,
)

PEERS = peer_cases()
# Cases no reading can pass: the source asserts a start that only dropping the customer's first
# paragraphs would give (crisp runs its own text_* tests never).
UNREACHABLE = {"crisp/email_reply_header.txt"}


def test_the_whole_corpus_is_run_and_its_table_printed() -> None:
    assert len(PEERS) == 144 and len(github_cases()) == 17
    assert sum(case.held_out for case in PEERS) == 36
    print("\n" + report())


@pytest.mark.parametrize("case", PEERS, ids=[case.id for case in PEERS])
def test_no_peer_case_loses_the_customers_words(case: Case) -> None:
    verdict = judge(case, customer_text(case))
    assert verdict.kept, verdict.problems


def test_peer_cases_are_clean_in_at_least_95_percent() -> None:
    clean = sum(judge(case, customer_text(case)).clean for case in PEERS)
    assert clean / len(PEERS) >= 0.95, clean


@pytest.mark.parametrize("case", github_cases(), ids=[case.id for case in github_cases()])
def test_github_case_passes_in_full(case: Case) -> None:
    verdict = judge(case, customer_text(case))
    assert verdict.clean, verdict.problems


def test_the_unreachable_case_keeps_the_customers_words_all_the_same() -> None:
    [case] = [case for case in PEERS if case.id in UNREACHABLE]
    verdict = judge(case, customer_text(case))
    assert verdict.kept and verdict.problems == ["starts_with 'On the other hand'"]
