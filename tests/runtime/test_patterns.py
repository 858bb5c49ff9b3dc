"""A lazy pattern matches as the compiled one would, and compiles only when first used."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.agent.cues import HUMAN_REQUEST
from chalicelib.runtime.patterns import LazyPattern, lazy

SOURCE = r"\b(?:where|when)\s+is\s+my\s+(\w+)"


def test_a_lazy_pattern_is_not_compiled_until_it_is_used() -> None:
    pattern = lazy(SOURCE, re.IGNORECASE)
    assert isinstance(pattern, LazyPattern) and pattern._compiled is None
    assert pattern.pattern == SOURCE  # its source, without compiling it
    assert pattern.search("Where is my ORDER?")[1] == "ORDER"
    assert pattern._compiled is not None


def test_the_agents_patterns_are_compiled_on_first_use() -> None:
    assert isinstance(HUMAN_REQUEST, LazyPattern)
    assert HUMAN_REQUEST.search("can I talk to a real person please")


@given(st.text(alphabet="where is my order WHEN\n\t", max_size=60))
def test_a_lazy_pattern_matches_as_the_compiled_pattern(text: str) -> None:
    compiled, pattern = re.compile(SOURCE, re.I), lazy(SOURCE, re.I)
    assert pattern.findall(text) == compiled.findall(text)
    assert pattern.sub("<\\1>", text) == compiled.sub("<\\1>", text)
    assert bool(pattern.match(text)) == bool(compiled.match(text))
    assert pattern.split(text) == compiled.split(text)
