"""VADER's analyzer with its lexicons read from a snapshot, not parsed at every cold start.

`SentimentIntensityAnalyzer()` reads and splits its 430 KB word lexicon and its emoji lexicon line
by line (~20-30 ms of a worker's first turn on a 2-core machine). The package build parses them
once and writes the two dicts beside this module, marshalled (`write_snapshot`, called by
infra/bytecode.py as the package gets its bytecode: the same interpreter, so the same marshal
format). A cold start reads that instead; without a snapshot, or with one made from other lexicon
files than the installed ones, the analyzer reads its files as before.
"""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

SNAPSHOT = Path(__file__).with_name("vader_lexicons.marshal")
LEXICON_FILES = ("vader_lexicon.txt", "emoji_utf8_lexicon.txt")  # the analyzer's defaults


def sentiment_analyzer(snapshot: Path = SNAPSHOT) -> SentimentIntensityAnalyzer:
    """VADER's analyzer, its lexicons from `snapshot` when it holds the installed ones."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    lexicons = _read(snapshot)
    if lexicons is None:
        return SentimentIntensityAnalyzer()
    analyzer = SentimentIntensityAnalyzer.__new__(SentimentIntensityAnalyzer)
    analyzer.lexicon, analyzer.emojis = lexicons  # all its scoring reads (its __init__ sets both)
    return analyzer


def write_snapshot(folder: Path) -> Path:
    """Parse the installed lexicons as the analyzer does and marshal them into `folder`."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    data = {"sources": _source_sizes(), "lexicon": analyzer.lexicon, "emojis": analyzer.emojis}
    target = folder / SNAPSHOT.name
    target.write_bytes(marshal.dumps(data))
    return target


def _read(snapshot: Path) -> tuple[dict[str, float], dict[str, str]] | None:
    """The snapshot's two dicts, or None (absent, unreadable, or of other lexicon files)."""
    try:
        data: Any = marshal.loads(snapshot.read_bytes())  # noqa: S302  (our own build wrote it)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("sources") != _source_sizes():
        return None
    return data["lexicon"], data["emojis"]


def _source_sizes() -> dict[str, int]:
    """The installed lexicon files' sizes: a snapshot of other files is not used."""
    import vaderSentiment.vaderSentiment as vader

    folder = Path(vader.__file__).parent
    return {name: (folder / name).stat().st_size for name in LEXICON_FILES}
