"""CPU per turn of knowledge retrieval: `python -m bench.knowledge_cpu`.

Times, in this process's CPU time, what `ToolBox.search_knowledge` does per turn with the articles
it read: before (an article index built on every call, then a search) and now (the index of these
article versions from the warm container's cache, then `answer`), over every question of
training/data/knowledge_questions.yaml; plus building the index once per cold start.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from functools import partial

from chalicelib.agent.knowledge import KnowledgeIndex, knowledge_index
from chalicelib.store.knowledge import StoredArticle
from training.knowledge_eval import articles, product_names, questions

REPEATS = 30


def cpu_us(work: Callable[[], object]) -> float:
    """The median CPU time of `work` in microseconds over `REPEATS` runs."""
    samples = []
    for _ in range(REPEATS):
        start = time.process_time_ns()
        work()
        samples.append((time.process_time_ns() - start) / 1000)
    return statistics.median(samples)


def main() -> int:
    """Print the medians over the question set."""
    stored = [StoredArticle(a.id, a.title, a.body, a.version) for a in articles()]
    names = product_names()
    texts = [q.text for q in questions("all")]
    knowledge_index(tuple(stored), frozenset(names))  # the warm container's index

    def before(text: str) -> object:
        return KnowledgeIndex(stored).search(text, limit=1)

    def now(text: str) -> object:
        return knowledge_index(tuple(stored), frozenset(names)).answer(text)

    old = statistics.median(cpu_us(partial(before, text)) for text in texts)
    new = statistics.median(cpu_us(partial(now, text)) for text in texts)
    build = cpu_us(partial(KnowledgeIndex, stored, names))
    print(f"{len(stored)} articles, {len(texts)} questions, median of {REPEATS} runs each")
    print(f"before (index built per call + search): {old:8.1f} us CPU per turn (median)")
    print(f"now (cached index + answer):            {new:8.1f} us CPU per turn (median)")
    print(f"added per turn:                         {new - old:8.1f} us")
    print(f"index build (once per cold start or article change): {build:8.1f} us")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
