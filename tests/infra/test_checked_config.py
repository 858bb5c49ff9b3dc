"""The package carries its store configs checked: a snapshot beside each, added with the bytecode."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

from chalicelib.config.store_config import DEMO_CONFIG_PATH
from infra.bytecode import add_bytecode
from infra.checked_config import check_store_configs
from tests.infra.test_package import package_of

STORE = "chalicelib/config/demo_store.yaml"


def test_the_package_gets_a_snapshot_of_its_store_config_and_of_nothing_else(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "deployment.zip"
    source = zipfile.ZipInfo(STORE, (2021, 5, 6, 7, 8, 10))
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr(source, DEMO_CONFIG_PATH.read_bytes())
        package.writestr("chalicelib/other.yaml", "just: a mapping\n")
        package.writestr(STORE + ".checked.json", "a stale snapshot")

    add_bytecode(archive)

    with zipfile.ZipFile(archive) as package:
        names = [i.filename for i in package.infolist()]
        assert names.count(STORE + ".checked.json") == 1
        assert "chalicelib/other.yaml.checked.json" not in names
        snapshot = json.loads(package.read(STORE + ".checked.json"))
        assert snapshot["document"]["name"] == "Northwind Threads"
        assert package.getinfo(STORE + ".checked.json").date_time == source.date_time


def test_a_tree_without_store_configs_gets_no_snapshot(tmp_path: Path) -> None:
    (tmp_path / "chalicelib").mkdir()
    (tmp_path / "chalicelib" / "notes.yaml").write_text("- a list\n", encoding="utf-8")
    assert check_store_configs(tmp_path) == []


def test_the_synthesized_package_carries_the_demo_store_checked(
    dev: dict[str, Any], cdk_out: Path
) -> None:
    with zipfile.ZipFile(package_of(dev, cdk_out)) as package:
        snapshot = json.loads(package.read(STORE + ".checked.json"))
        assert snapshot["sha256"] == hashlib.sha256(package.read(STORE)).hexdigest()
