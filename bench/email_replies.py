"""`python -m bench.email_replies`: time reply extraction on every corpus case; max and median.

Per case, over RUNS: the median wall time, the median of the thread's CPU time (what the
extraction costs, without the time the scheduler gives other processes on a busy machine), and the
fastest wall time (timeit's figure: the run the machine disturbed least).
"""

from __future__ import annotations

import statistics
import sys
import time

from chalicelib.channels.email.headers import is_reply_header
from chalicelib.channels.email.html import html_to_text
from chalicelib.channels.email.mime import read_mail
from chalicelib.channels.email.reply import visible_reply
from tests.channels.email.reply_corpus import Case, github_cases, peer_cases

RUNS = 25


def extraction_input(case: Case) -> tuple[str, bool]:
    """The text extraction reads (an .eml's chosen part) and whether it is HTML to render first."""
    if case.format == "eml":
        return read_mail(case.body).text, False
    return case.body.decode("utf-8", errors="replace"), case.format == "html"


def time_case(case: Case, runs: int = RUNS) -> tuple[float, float, float]:
    """Median wall, median CPU and least wall milliseconds of one extraction (HTML rendered too)."""
    text, is_html = extraction_input(case)
    wall, cpu = [], []
    for _ in range(runs):
        is_reply_header.cache_clear()  # time a first reading, not a remembered one
        started, started_cpu = time.perf_counter(), time.thread_time()
        visible_reply(html_to_text(text) if is_html else text)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return statistics.median(wall), statistics.median(cpu), min(wall)


def main(argv: list[str]) -> None:
    """Prints the slowest cases, the max and the median over the corpus."""
    runs = int(argv[0]) if argv else RUNS
    timed = sorted(
        ((time_case(c, runs), c.id) for c in peer_cases() + github_cases()), reverse=True
    )
    print(f"{'wall ms':>9}{'cpu ms':>9}{'min ms':>9}  case")
    for (wall, cpu, least), name in timed[:5]:
        print(f"{wall:9.3f}{cpu:9.3f}{least:9.3f}  {name}")
    for clock, index in (("wall", 0), ("cpu", 1), ("least wall", 2)):
        values = [times[index] for times, _ in timed]
        print(
            f"{clock}: cases {len(values)}  max {max(values):.3f} ms"
            f"  median {statistics.median(values):.3f} ms"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
