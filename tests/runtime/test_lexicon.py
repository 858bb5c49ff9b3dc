"""VADER read from the package's marshalled lexicons scores exactly as VADER reading its files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from chalicelib.runtime import lexicon
from chalicelib.runtime.lexicon import sentiment_analyzer, write_snapshot
from infra.bytecode import add_bytecode

READ = SentimentIntensityAnalyzer()


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_snapshot(tmp_path_factory.mktemp("lexicons"))


def test_the_snapshot_holds_the_lexicons_vader_reads(snapshot: Path) -> None:
    analyzer = sentiment_analyzer(snapshot)
    assert analyzer.lexicon == READ.lexicon and len(analyzer.lexicon) > 7000
    assert analyzer.emojis == READ.emojis


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80) | st.sampled_from(["I'm SO angry!!! :(", "love it 😍", "not bad"]))
def test_scores_from_the_snapshot_are_vaders(snapshot: Path, text: str) -> None:
    assert sentiment_analyzer(snapshot).polarity_scores(text) == READ.polarity_scores(text)


def test_without_a_usable_snapshot_vader_reads_its_files(tmp_path: Path) -> None:
    assert sentiment_analyzer(tmp_path / "absent.marshal").lexicon == READ.lexicon
    (tmp_path / "garbage.marshal").write_bytes(b"not marshal")
    assert sentiment_analyzer(tmp_path / "garbage.marshal").lexicon == READ.lexicon


def test_a_snapshot_of_other_lexicon_files_is_not_used(
    snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lexicon, "_source_sizes", lambda: {"vader_lexicon.txt": 1})
    analyzer = sentiment_analyzer(snapshot)
    assert analyzer.lexicon == READ.lexicon and hasattr(analyzer, "lexicon_full_filepath")


def test_the_package_build_adds_the_snapshot_beside_its_module(tmp_path: Path) -> None:
    archive = tmp_path / "deployment.zip"
    source = Path(lexicon.__file__).read_text()
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr(
            zipfile.ZipInfo("chalicelib/runtime/lexicon.py", (2020, 1, 2, 3, 4, 6)), source
        )
    add_bytecode(archive)
    add_bytecode(archive)  # built twice: one snapshot, not two
    with zipfile.ZipFile(archive) as package:
        names = package.namelist()
        assert names.count("chalicelib/runtime/vader_lexicons.marshal") == 1
        data = package.read("chalicelib/runtime/vader_lexicons.marshal")
    (tmp_path / "read.marshal").write_bytes(data)
    assert sentiment_analyzer(tmp_path / "read.marshal").lexicon == READ.lexicon
