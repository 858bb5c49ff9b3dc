"""`python -m bench.email_replies`: time reply extraction on every corpus case; max and median."""

from __future__ import annotations

import statistics
import sys
import time

from chalicelib.channels.email_html import html_to_text
from chalicelib.channels.email_mime import read_mail
from chalicelib.channels.email_reply import visible_reply
from tests.channels.reply_corpus import Case, github_cases, peer_cases

RUNS = 25


def extraction_input(case: Case) -> tuple[str, bool]:
    """The text extraction reads (an .eml's chosen part) and whether it is HTML to render first."""
    if case.format == "eml":
        return read_mail(case.body).text, False
    return case.body.decode("utf-8", errors="replace"), case.format == "html"


def time_case(case: Case, runs: int = RUNS) -> float:
    """Median milliseconds of one extraction (HTML rendering included for HTML cases)."""
    text, is_html = extraction_input(case)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        visible_reply(html_to_text(text) if is_html else text)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main(argv: list[str]) -> None:
    """Prints the slowest cases, the max and the median over the corpus."""
    runs = int(argv[0]) if argv else RUNS
    timed = sorted(((time_case(c, runs), c.id) for c in peer_cases() + github_cases()), reverse=True)
    for ms, name in timed[:5]:
        print(f"{ms:8.3f} ms  {name}")
    values = [ms for ms, _ in timed]
    print(f"cases {len(values)}  max {max(values):.3f} ms  median {statistics.median(values):.3f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
