"""Regular expressions compiled on first use, not at import, and from the package's snapshot.

The rules agent's modules declare about a hundred and fifty patterns; compiling them all at import
cost a cold worker about 28 ms of CPU, and one turn uses about half of them (a "where is my
order?" turn: 80 of 147). A `lazy` pattern compiles the first time it matches, then is the
compiled pattern's own methods.

Compiling is still most of the cost of the patterns a turn uses (about 14 ms for those 80: `re`
parses and assembles each in Python). The package build does that once: it assembles every
declared pattern as `re` would and marshals the result beside this module (`write_snapshot`,
called by infra/bytecode.py). A cold start then makes each pattern from its assembled code
(`_sre.compile`, what `re.compile` ends with), about 0.01 ms each. A pattern the snapshot does not
hold, or a snapshot from another regular-expression engine, compiles as before.
"""

from __future__ import annotations

import marshal
import re
import sys
from array import array
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any, cast

SNAPSHOT = Path(__file__).with_name("compiled_patterns.marshal")
_CODE = "I"  # the engine's code words: `_sre.CODESIZE` (4) bytes each


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
            compiled = self._compiled = compile_pattern(self.pattern, self.flags)
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r}, {self.flags!r})"


def lazy(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, done when the pattern is first used."""
    return cast("re.Pattern[str]", LazyPattern(pattern, int(flags)))


def compile_pattern(pattern: str, flags: int, snapshot: Path = SNAPSHOT) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, from the snapshot's assembled code when it holds it."""
    import _sre

    found = _assembled(snapshot).get((pattern, flags))
    if found is None:
        return re.compile(pattern, flags)
    final_flags, code, groups, groupindex, indexgroup = found
    words = array(_CODE, code).tolist()
    return cast(
        "re.Pattern[str]", _sre.compile(pattern, final_flags, words, groups, groupindex, indexgroup)
    )


def write_snapshot(folder: Path, modules: list[ModuleType] | None = None) -> Path:
    """Assemble every pattern the modules declare (by default, chalicelib's that use `lazy`) as
    `re.compile` does, and marshal them into `folder`."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    assembled = {}
    for declared in sorted(_declared(modules or _declaring_modules()), key=repr):
        parsed = _parser.parse(declared.pattern, declared.flags)
        code = _compiler._code(parsed, declared.flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        assembled[(declared.pattern, declared.flags)] = (
            declared.flags | parsed.state.flags,
            array(_CODE, code).tobytes(),
            parsed.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        )
    target = folder / SNAPSHOT.name
    target.write_bytes(marshal.dumps({"engine": _engine(), "patterns": assembled}))
    return target


@lru_cache(maxsize=4)
def _assembled(snapshot: Path) -> dict[tuple[str, int], tuple[Any, ...]]:
    """The snapshot's patterns, or none (absent, unreadable, or from another engine)."""
    try:
        data: Any = marshal.loads(snapshot.read_bytes())  # noqa: S302  (our own build wrote it)
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if not isinstance(data, dict) or data.get("engine") != _engine():
        return {}
    return cast("dict[tuple[str, int], tuple[Any, ...]]", data["patterns"])


def _engine() -> tuple[Any, ...]:
    """What assembled code depends on: the interpreter's version and its engine's."""
    import _sre

    return (sys.implementation.cache_tag, _sre.MAGIC, _sre.CODESIZE, array(_CODE).itemsize)


def _declaring_modules() -> list[ModuleType]:
    """chalicelib's modules whose source calls `lazy(`, imported."""
    import importlib
    import importlib.util
    import pkgutil

    import chalicelib

    found = []
    for info in pkgutil.walk_packages(chalicelib.__path__, "chalicelib."):
        spec = importlib.util.find_spec(info.name)
        origin = spec.origin if spec else None
        if origin and origin.endswith(".py") and "lazy(" in Path(origin).read_text():
            found.append(importlib.import_module(info.name))
    return found


def _declared(modules: list[ModuleType]) -> set[LazyPattern]:
    """The lazy patterns the modules hold, at their top level or inside their containers."""
    found: set[LazyPattern] = set()
    seen: set[int] = set()
    stack: list[Any] = [vars(module) for module in modules]
    while stack:
        value = stack.pop()
        if isinstance(value, LazyPattern):
            found.add(value)
        elif isinstance(value, (dict, list, tuple, set, frozenset)) and id(value) not in seen:
            seen.add(id(value))
            stack.extend(value.values() if isinstance(value, dict) else value)
    return found
