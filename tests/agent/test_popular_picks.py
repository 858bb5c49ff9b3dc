"""'What's popular?': the catalog has no sales figures, so the picks say so (rules backend)."""

from __future__ import annotations

import pytest

from training.agent_run import AgentRun


@pytest.mark.parametrize("text", ["what's your most popular item", "show me your bestsellers"])
def test_popularity_is_not_claimed(text: str) -> None:
    result = AgentRun().answer(text)
    assert result.reply.startswith("I can't see what sells best, but you might like: ")
    assert "didn't find anything matching" not in result.reply
    assert not result.fallback
