"""Bytecode in the Lambda package, so a cold start does not compile the app and its libraries.

Lambda unpacks the package into a read-only `/var/task`: Python can write no `__pycache__` there,
so without bytecode in the zip every cold start compiles every module it imports (our own code,
pydantic, twilio, jinja2... `chalice package` zips sources only). Each source gets an
unchecked-hash `.pyc` beside it, compiled by this interpreter, which is the one Chalice takes the
runtime from (`python3.X`). Unchecked: Lambda does not compare it with its source, whose mtime a
zip keeps only to 2 s; the package is built from the sources at once, so they cannot drift apart.
Stdlib only: the bench stages its task root with it too (`bench/cold_start.py`).
"""

from __future__ import annotations

import compileall
import contextlib
import hashlib
import importlib.util
import os
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from py_compile import PycInvalidationMode

# Where Lambda puts the package: the source path tracebacks show, and the same bytes on every build.
TASK_ROOT = "/var/task"
RUNTIME = f"python{sys.version_info.major}.{sys.version_info.minor}"


@dataclass(frozen=True)
class Compiled:
    """What compiling a tree or a package did."""

    sources: int
    compiled: int
    failed: list[str]  # sources that do not compile (never importable on Lambda either)


def compile_tree(root: Path) -> Compiled:
    """Unchecked-hash bytecode beside every `.py` under `root` (both cores)."""
    sources = sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)
    compileall.compile_dir(
        str(root),
        quiet=2,
        ddir=TASK_ROOT,
        workers=0,
        invalidation_mode=PycInvalidationMode.UNCHECKED_HASH,
    )
    failed = [str(p.relative_to(root)) for p in sources if not _bytecode_of(p).exists()]
    return Compiled(len(sources), len(sources) - len(failed), failed)


def add_bytecode(archive: Path) -> Compiled:
    """Rewrite the zip at `archive` with a `.pyc` for each of its sources; its entries kept as they
    were (names, times, permissions)."""
    with tempfile.TemporaryDirectory(prefix="tandem-bytecode-") as scratch:
        tree = Path(scratch) / "task"
        with zipfile.ZipFile(archive) as original:
            original.extractall(tree)
            entries = original.infolist()
        result = compile_tree(tree)
        from .checked_config import add_snapshots, check_store_configs

        snapshots = check_store_configs(tree)  # the store configs' checks, done here once
        # VADER's lexicons parsed once and the agent's patterns assembled once, read as marshal
        marshalled = vader_lexicons(tree) + compiled_patterns(tree)
        rewritten = Path(scratch) / "package.zip"
        # A package may carry bytecode already (a wheel's own __pycache__): ours replaces it, so
        # no name is in the zip twice (zipfile warns "Duplicate name" and unzip picks either).
        ours = {_pyc_name(tree, e) for e in entries if e.filename.endswith(".py")}
        ours |= {path.relative_to(tree).as_posix() for path in snapshots}  # a stale one replaced
        ours |= {path.relative_to(tree).as_posix() for path in marshalled}
        with zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as package:
            for entry in (e for e in entries if e.filename not in ours):
                data = b"" if entry.is_dir() else (tree / entry.filename).read_bytes()
                package.writestr(entry, data)
                if entry.filename.endswith(".py"):
                    _add_pyc(package, tree, entry)
            add_snapshots(package, tree, snapshots)
            for path in marshalled:
                _add_beside(package, tree, path, path.with_name(_BESIDE[path.name]))
        shutil.move(rewritten, archive)
    return result


def add_bytecode_once(archive: Path, cache: Path, keep: int = 2) -> None:
    """`add_bytecode`, its result kept in `cache` by the package's hash: the same package (dev's
    and prod's, the next synth's) is compiled once (~9 s). The newest `keep` are kept; each is
    written under a temporary name and renamed, so concurrent synths share the folder safely."""
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()[:32]
    kept = cache / f"bytecode-{sys.implementation.cache_tag}-{digest}.zip"
    with contextlib.suppress(FileNotFoundError):  # pruned by another synth since: compile it
        shutil.copyfile(kept, archive)
        os.utime(kept)  # the newest again
        return
    add_bytecode(archive)
    cache.mkdir(parents=True, exist_ok=True)
    partial = cache / f"{kept.name}.{os.getpid()}.partial"
    shutil.copyfile(archive, partial)
    os.replace(partial, kept)
    with contextlib.suppress(FileNotFoundError):  # another synth pruned first: best effort
        older = sorted(cache.glob("bytecode-*.zip"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in older[keep:]:
            stale.unlink(missing_ok=True)


def vader_lexicons(tree: Path) -> list[Path]:
    """VADER's lexicons marshalled beside `chalicelib/runtime/lexicon.py` when the tree has both
    (chalicelib/runtime/lexicon.py says why); the files written."""
    folder = tree / "chalicelib" / "runtime"
    if not (folder / "lexicon.py").exists() or importlib.util.find_spec("vaderSentiment") is None:
        return []
    from chalicelib.runtime.lexicon import write_snapshot  # the package's code is this repo's

    return [write_snapshot(folder)]


def compiled_patterns(tree: Path) -> list[Path]:
    """The `lazy` patterns assembled beside `chalicelib/runtime/patterns.py` when the tree has it
    (chalicelib/runtime/patterns.py says why); the files written."""
    folder = tree / "chalicelib" / "runtime"
    if not (folder / "patterns.py").exists():
        return []
    from chalicelib.runtime.patterns import write_snapshot  # the package's code is this repo's

    return [write_snapshot(folder)]


# The module each marshalled snapshot sits beside (its zip time and permissions are the snapshot's).
_BESIDE = {"vader_lexicons.marshal": "lexicon.py", "compiled_patterns.marshal": "patterns.py"}


def _add_beside(package: zipfile.ZipFile, tree: Path, path: Path, source: Path) -> None:
    """`path` into `package`, with the time and permissions of its `source` entry."""
    like = package.getinfo(source.relative_to(tree).as_posix())
    entry = zipfile.ZipInfo(path.relative_to(tree).as_posix(), date_time=like.date_time)
    entry.external_attr = like.external_attr
    entry.compress_type = zipfile.ZIP_DEFLATED
    package.writestr(entry, path.read_bytes())


def _add_pyc(package: zipfile.ZipFile, tree: Path, source: zipfile.ZipInfo) -> None:
    """The bytecode of `source` into `package`, with the source's time and permissions."""
    pyc = _bytecode_of(tree / source.filename)
    if not pyc.exists():  # it did not compile: counted in Compiled.failed
        return
    entry = zipfile.ZipInfo(pyc.relative_to(tree).as_posix(), date_time=source.date_time)
    entry.external_attr = source.external_attr
    entry.compress_type = zipfile.ZIP_DEFLATED
    package.writestr(entry, pyc.read_bytes())


def _pyc_name(tree: Path, source: zipfile.ZipInfo) -> str:
    """The zip name `source`'s bytecode gets."""
    return _bytecode_of(tree / source.filename).relative_to(tree).as_posix()


def _bytecode_of(source: Path) -> Path:
    """Where this interpreter looks for `source`'s bytecode."""
    return Path(importlib.util.cache_from_source(os.fspath(source)))
