"""The Lambda package carries bytecode its cold start loads instead of compiling the sources."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from infra import bytecode
from infra.bytecode import RUNTIME, add_bytecode
from tests.infra.cfn import functions

UNCHECKED_HASH = 0b01  # PEP 552: hash-based, source not checked


def package_of(template: dict[str, Any], cdk_out: Path) -> Path:
    """The staged zip every function of `template` runs."""
    keys = {f["CodeUri"]["Key"] for f in functions(template).values()}
    assert len(keys) == 1, keys
    return cdk_out / f"asset.{keys.pop()}"


def test_every_source_in_the_package_has_unchecked_bytecode_of_the_runtime(
    dev: dict[str, Any], cdk_out: Path
) -> None:
    assert {f["Runtime"] for f in functions(dev).values()} == {RUNTIME}
    with zipfile.ZipFile(package_of(dev, cdk_out)) as package:
        names = set(package.namelist())
        sources = [n for n in names if n.endswith(".py")]
        missing = [n for n in sources if importlib.util.cache_from_source(n) not in names]
        assert "chalicelib/turns/worker.py" in sources and "pydantic/main.py" in sources
        assert not missing, missing[:10]
        for source in ("app.py", "chalicelib/turns/worker.py", "twilio/rest/__init__.py"):
            header = package.read(importlib.util.cache_from_source(source))[:16]
            assert header[:4] == importlib.util.MAGIC_NUMBER
            assert int.from_bytes(header[4:8], "little") == UNCHECKED_HASH


def test_the_unpacked_package_imports_its_bytecode_not_its_sources(
    dev: dict[str, Any], cdk_out: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(package_of(dev, cdk_out)) as package:
        package.extractall(tmp_path, [n for n in package.namelist() if n.startswith("chalicelib/")])
    # A source that would fail if Python compiled it: only its shipped bytecode can import it.
    (tmp_path / "chalicelib" / "runtime" / "retry.py").write_text(
        "raise SystemExit('compiled the source')\n"
    )
    code = "import chalicelib.runtime.retry as r; print(r.__cached__, callable(r.retried))"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    shipped = importlib.util.cache_from_source(
        str(tmp_path / "chalicelib" / "runtime" / "retry.py")
    )
    assert done.stdout.split() == [shipped, "True"]


def test_add_bytecode_keeps_every_entry_and_counts_a_source_that_does_not_compile(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "deployment.zip"
    executable = 0o100755 << 16
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr(zipfile.ZipInfo("pkg/", (2020, 1, 2, 3, 4, 6)), b"")
        good = zipfile.ZipInfo("pkg/good.py", (2020, 1, 2, 3, 4, 6))
        good.external_attr = executable
        package.writestr(good, "VALUE = 42\n")
        package.writestr("pkg/broken.py", "def (:\n")
        package.writestr("pkg/data.json", "{}")
    with zipfile.ZipFile(archive) as package:
        before = {i.filename: (i.date_time, i.external_attr) for i in package.infolist()}

    result = add_bytecode(archive)

    assert (result.sources, result.compiled, result.failed) == (2, 1, ["pkg/broken.py"])
    with zipfile.ZipFile(archive) as package:
        after = {i.filename: (i.date_time, i.external_attr) for i in package.infolist()}
        pyc = importlib.util.cache_from_source("pkg/good.py")
        assert {n: after[n] for n in before} == before
        assert set(after) - set(before) == {pyc}
        assert after[pyc] == before["pkg/good.py"]
        assert package.read("pkg/good.py") == b"VALUE = 42\n"


def test_bytecode_a_package_already_carries_is_replaced_not_duplicated(tmp_path: Path) -> None:
    archive = tmp_path / "deployment.zip"
    stale = importlib.util.cache_from_source("pkg/mod.py")
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr("pkg/mod.py", "VALUE = 1\n")
        package.writestr(stale, b"stale bytecode from a wheel")
        package.writestr("pkg/__pycache__/other.cpython-39.pyc", b"another runtime's: kept")

    add_bytecode(archive)

    with zipfile.ZipFile(archive) as package:
        names = [i.filename for i in package.infolist()]
        assert len(names) == len(set(names)), names
        assert package.read(stale)[4:8] == UNCHECKED_HASH.to_bytes(4, "little")
        assert "pkg/__pycache__/other.cpython-39.pyc" in names


def test_the_same_package_is_compiled_once_and_the_cache_keeps_the_newest_two(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "deployments"
    compiled: list[Path] = []

    def counted(archive: Path) -> bytecode.Compiled:
        compiled.append(archive)
        return add_bytecode(archive)

    monkeypatch.setattr(bytecode, "add_bytecode", counted)

    def package(name: str, text: str) -> Path:
        archive = tmp_path / name
        with zipfile.ZipFile(archive, "w") as out:
            out.writestr("app.py", text)
        return archive

    dev, prod = package("dev.zip", "STAGE = 1\n"), package("prod.zip", "STAGE = 1\n")
    bytecode.add_bytecode_once(dev, cache)
    bytecode.add_bytecode_once(prod, cache)
    assert compiled == [dev]
    assert dev.read_bytes() == prod.read_bytes()
    with zipfile.ZipFile(prod) as shipped:
        assert importlib.util.cache_from_source("app.py") in shipped.namelist()

    for version in (2, 3):
        bytecode.add_bytecode_once(package(f"v{version}.zip", f"STAGE = {version}\n"), cache)
    assert len(compiled) == 3
    assert len(list(cache.glob("bytecode-*.zip"))) == 2
    assert not list(cache.glob("*.partial"))
