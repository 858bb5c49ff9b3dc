"""The local moto's DynamoDB turn-taking: one request at a time, single-item ones first."""

from __future__ import annotations

import threading
import time

from dev.atomic_moto import SINGLE_ITEM, Turn, TurnTaking


def wait_until(condition: object, seconds: float = 5) -> None:
    """Poll `condition` (a callable) until it holds, or fail at the deadline."""
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.005)


def test_a_waiting_single_item_request_goes_before_a_waiting_query() -> None:
    turns = TurnTaking()
    order: list[str] = []

    def request(name: str, short: bool) -> None:
        with turns.held(short):
            order.append(name)

    with turns.held(short=False):  # a worker's Query in progress
        query = threading.Thread(target=request, args=("Query", False))
        query.start()
        wait_until(lambda: turns.waiting == 1)
        put = threading.Thread(target=request, args=("PutItem", True))
        put.start()
        wait_until(lambda: turns.waiting == 2)
    query.join(5)
    put.join(5)
    assert order == ["PutItem", "Query"]


def test_requests_never_overlap() -> None:
    turns = TurnTaking()
    inside, overlaps = [0], []
    lock = threading.Lock()

    def request(short: bool) -> None:
        with turns.held(short):
            with lock:
                inside[0] += 1
                overlaps.append(inside[0])
            time.sleep(0.001)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=request, args=(n % 3 == 0,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert max(overlaps) == 1 and len(overlaps) == 30


def test_a_webhooks_dedupe_write_counts_as_single_item() -> None:
    assert {"PutItem", "GetItem"} <= SINGLE_ITEM
    assert not {"Query", "TransactWriteItems", "Scan"} & SINGLE_ITEM


def test_a_request_gives_its_turn_back_once_its_answer_is_plain_data() -> None:
    turns = TurnTaking()
    turn = Turn(turns, short=False)
    turn.enter()
    turn.enter()  # an action calling another
    turn.leave(plain=True)
    assert turns.busy  # the outer action still runs
    turn.leave(plain=True)
    assert not turns.busy
    turn.release()  # the request's end: nothing more to give back
    assert not turns.busy


def test_a_request_whose_answer_is_not_plain_keeps_its_turn_to_its_end() -> None:
    turns = TurnTaking()
    turn = Turn(turns, short=True)
    turn.enter()
    turn.leave(plain=False)
    assert turns.busy
    turn.release()
    assert not turns.busy
