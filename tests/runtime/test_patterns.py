"""A lazy pattern matches as the compiled one would, compiles only when first used, and is made
from the package's snapshot exactly as `re.compile` makes it."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.agent.cues import HUMAN_REQUEST
from chalicelib.runtime import patterns
from chalicelib.runtime.patterns import LazyPattern, compile_pattern, lazy, write_snapshot
from infra.bytecode import add_bytecode

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


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_snapshot(tmp_path_factory.mktemp("patterns"))


def test_the_snapshot_holds_every_pattern_the_agent_declares(snapshot: Path) -> None:
    held = patterns._assembled(snapshot)
    assert (HUMAN_REQUEST.pattern, HUMAN_REQUEST.flags) in held
    assert len(held) > 100  # the agent's modules declare about 150


def test_a_pattern_from_the_snapshot_is_the_compiled_pattern(snapshot: Path) -> None:
    for source, flags in patterns._assembled(snapshot):
        made, compiled = compile_pattern(source, flags, snapshot), re.compile(source, flags)
        assert made == compiled  # the same source, flags and code
        assert (made.groups, made.groupindex) == (compiled.groups, compiled.groupindex)


def test_a_pattern_the_snapshot_lacks_compiles_as_before(snapshot: Path) -> None:
    assert compile_pattern(SOURCE, re.I, snapshot) == re.compile(SOURCE, re.I)
    assert compile_pattern(SOURCE, re.I, snapshot.with_name("absent.marshal")).search(
        "where is my x"
    )


def test_a_snapshot_of_another_engine_is_not_used(
    snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patterns._assembled.cache_clear()
    monkeypatch.setattr(patterns, "_engine", lambda: ("cpython-00", 0, 4, 4))
    assert patterns._assembled(snapshot) == {}
    patterns._assembled.cache_clear()


def test_the_package_build_adds_the_snapshot_beside_its_module(tmp_path: Path) -> None:
    archive = tmp_path / "deployment.zip"
    with zipfile.ZipFile(archive, "w") as package:
        when = (2020, 1, 2, 3, 4, 6)
        package.writestr(zipfile.ZipInfo("chalicelib/runtime/patterns.py", when), "")
    add_bytecode(archive)
    add_bytecode(archive)  # built twice: one snapshot, not two
    with zipfile.ZipFile(archive) as package:
        assert package.namelist().count("chalicelib/runtime/compiled_patterns.marshal") == 1
        (tmp_path / "read.marshal").write_bytes(
            package.read("chalicelib/runtime/compiled_patterns.marshal")
        )
    assert (HUMAN_REQUEST.pattern, HUMAN_REQUEST.flags) in patterns._assembled(
        tmp_path / "read.marshal"
    )


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80) | st.sampled_from(["where is my order #1001?", "I want a HUMAN now"]))
def test_the_agents_patterns_from_the_snapshot_match_as_compiled(snapshot: Path, text: str) -> None:
    for source, flags in list(patterns._assembled(snapshot))[::7]:
        made, compiled = compile_pattern(source, flags, snapshot), re.compile(source, flags)
        assert made.findall(text) == compiled.findall(text)
