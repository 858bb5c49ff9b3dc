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

from dev.fakes.twilio_api import FakeTwilioApi
from infra import bytecode, lean
from infra.bytecode import RUNTIME, add_bytecode
from infra.lean import BUDGET_MB, unzipped_mb
from tests.infra.cfn import functions

UNCHECKED_HASH = 0b01  # PEP 552: hash-based, source not checked
# Lambda's runtime provides these; the package does not ship them (the Twilio sender's requests
# go through botocore's HTTP session, as the AWS calls do).
RUNTIME_LIBRARIES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six", "urllib3")


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


def test_the_unzipped_package_stays_within_its_budget(dev: dict[str, Any], cdk_out: Path) -> None:
    archive = package_of(dev, cdk_out)
    with zipfile.ZipFile(archive) as package:
        tops = {name.split("/", 1)[0] for name in package.namelist()}
    assert "phonenumbers" in tops and "twilio" in tops
    assert not tops & {"aiohttp", "yarl", "multidict", "attr"}, tops
    assert not any(name.startswith("twilio/rest/api/") for name in package.namelist())
    assert not any(name.startswith("phonenumbers/geodata/") for name in package.namelist())
    assert unzipped_mb(archive) <= BUDGET_MB


def test_the_packaged_app_parses_and_sends_without_what_was_left_out(
    dev: dict[str, Any], cdk_out: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(package_of(dev, cdk_out)) as package:
        package.extractall(tmp_path)
    sid = "AC" + "0" * 32
    runtime = lambda_runtime(tmp_path / "runtime")
    code = f"""
import sys
sys.path[:0] = ["."]
sys.path.append({str(runtime)!r})
import openai, yaml, jinja2, phonenumbers
from twilio.request_validator import RequestValidator
from chalicelib.channels.twilio.outbound import TwilioSender
from chalicelib.domain.contact import normalize_phone
from chalicelib.domain.messages import Channel, OutboundMessage
sender = TwilioSender(account_sid="{sid}", auth_token="token", sms_from="+15005550006",
                      whatsapp_from=None, public_base_url=None, api_base_url=sys.argv[1])
message = OutboundMessage(message_id="m1", conversation_id="c1", channel=Channel.SMS,
                          recipient=normalize_phone("(415) 555-0123", "us"), text="Shipped!")
print(sender.send(message).status, phonenumbers.__file__, "aiohttp" in sys.modules)
"""
    # Only the package's own libraries (and boto3's, as in Lambda's runtime): none of our venv's.
    env = {"PATH": os.environ["PATH"], "PYTHONNOUSERSITE": "1"}
    with FakeTwilioApi(sid, "token") as twilio:
        done = subprocess.run(
            [sys.executable, "-S", "-c", code, twilio.base_url],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert [(m["to"], m["body"]) for m in twilio.messages] == [("+14155550123", "Shipped!")]
    status, phonenumbers_file, aiohttp = done.stdout.split()
    assert (status, aiohttp) == ("queued", "False")
    assert Path(phonenumbers_file).resolve().is_relative_to(tmp_path.resolve())


def lambda_runtime(folder: Path) -> Path:
    """What Lambda's Python runtime puts on the path after the package (its /var/runtime): boto3,
    botocore and what they import, linked from this interpreter's libraries."""
    folder.mkdir()
    for name in RUNTIME_LIBRARIES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None, name
        found = Path(spec.origin)
        found = found.parent if found.name == "__init__.py" else found
        (folder / found.name).symlink_to(found)
    return folder


def test_prune_removes_a_distribution_by_its_record_and_keeps_every_other_entry(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "deployment.zip"
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr("shared/", b"")
        package.writestr("shared/kept.py", "KEPT = 1\n")
        package.writestr("shared/gone.py", "GONE = 1\n")
        package.writestr("gone/__init__.py", "")
        package.writestr("gone_pkg-1.0.dist-info/METADATA", "Name: gone_pkg\n")
        record = "gone/__init__.py,,\nshared/gone.py,,\ngone_pkg-1.0.dist-info/RECORD,,\n"
        package.writestr("gone_pkg-1.0.dist-info/RECORD", record)
        package.writestr("keep-2.0.dist-info/RECORD", "shared/kept.py,,\n")

    result = lean.prune(archive, frozenset({"gone-pkg"}), ())

    with zipfile.ZipFile(archive) as package:
        left = sorted(package.namelist())
        assert package.read("shared/kept.py") == b"KEPT = 1\n"
    assert left == ["keep-2.0.dist-info/RECORD", "shared/", "shared/kept.py"]
    assert result.distributions == ["gone-pkg"] and result.entries == 4


def test_prune_leaves_out_subfolders_and_keeps_the_files_beside_them(tmp_path: Path) -> None:
    archive = tmp_path / "deployment.zip"
    with zipfile.ZipFile(archive, "w") as package:
        for name in ("lib/rest/__init__.py", "lib/rest/api/__init__.py", "lib/rest/api/v1/x.py"):
            package.writestr(name, "")
        package.writestr("lib/rest/api/", b"")
        package.writestr("lib/base/client.py", "")

    result = lean.prune(archive, frozenset(), ("lib/rest/",))

    with zipfile.ZipFile(archive) as package:
        assert sorted(package.namelist()) == ["lib/base/client.py", "lib/rest/__init__.py"]
    assert result.entries == 3
