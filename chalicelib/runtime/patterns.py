"""Regular expressions compiled on first use, not at import.

The rules agent's modules declare about a hundred patterns; compiling them all at import cost a
cold worker about 28 ms of CPU, and one turn uses about a third of them (a "where is my order?"
turn: 35 of 102). A `lazy` pattern compiles the first time it matches, then is the compiled
pattern's own methods.
"""

from __future__ import annotations

import re
from typing import Any, cast


class LazyPattern:
    """A pattern's source and flags; the compiled pattern's methods once one is called."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        # Only for names the slots don't hold: search, match, sub, findall, ...
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.pattern, self.flags)
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r}, {self.flags!r})"


def lazy(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, done when the pattern is first used."""
    return cast("re.Pattern[str]", LazyPattern(pattern, int(flags)))
