"""The emulated functions run below the webhook path's CPU priority, as on AWS they never share it."""

from __future__ import annotations

import os
import threading

from dev.emulators import BACKGROUND_NICE, RateRule, run_in_background


def thread_nice() -> int:
    """The calling thread's nice value (Linux: per thread)."""
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def niceness_in_a_thread(target: object) -> dict[str, int]:
    """Run `target` in a new thread; the nice values it and a thread it starts ended with."""
    seen: dict[str, int] = {}

    def body() -> None:
        target()  # type: ignore[operator]
        seen["thread"] = thread_nice()
        child = threading.Thread(target=lambda: seen.setdefault("child", thread_nice()))
        child.start()
        child.join(5)

    thread = threading.Thread(target=body)
    thread.start()
    thread.join(5)
    return seen


def test_a_background_thread_and_the_threads_it_starts_run_at_lower_priority() -> None:
    before = thread_nice()
    expected = min(19, before + BACKGROUND_NICE)
    assert niceness_in_a_thread(run_in_background) == {"thread": expected, "child": expected}
    assert thread_nice() == before  # the caller's own thread is untouched


def test_a_rate_rule_invokes_its_handler_at_background_priority() -> None:
    before = thread_nice()
    seen: list[int] = []
    ran = threading.Event()

    def handler(event: dict[str, object], context: object) -> None:
        seen.append(thread_nice())
        ran.set()

    rule = RateRule("resolve_idle", handler, interval=0.01)
    rule.start()
    assert ran.wait(5)
    rule.stop()
    rule.join(5)
    assert seen[0] == min(19, before + BACKGROUND_NICE)
