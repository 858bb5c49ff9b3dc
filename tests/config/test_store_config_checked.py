"""A store config checked when the package is built: read from its snapshot while its bytes are
the ones checked, parsed and checked whole otherwise."""

from __future__ import annotations

import base64
import json
import pickle
import shutil
from pathlib import Path

import pytest

from chalicelib.config.store_config import (
    DEMO_CONFIG_PATH,
    StoreConfigError,
    checked_path,
    load_store_config,
    write_checked,
)


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    """A copy of the demo store's file."""
    file = tmp_path / "store.yaml"
    shutil.copyfile(DEMO_CONFIG_PATH, file)
    return file


def with_bad_template(file: Path) -> str:
    """The file's text with a follow-up SMS template Jinja2 cannot parse."""
    text = file.read_text(encoding="utf-8")
    good = "is still in stock:\n    {{ product.url }} Reply STOP"
    assert good in text
    return text.replace(good, "is still in stock:\n    {{ product.url Reply STOP")


def test_the_snapshot_loads_the_same_config_as_the_file(store_file: Path) -> None:
    parsed = load_store_config(str(store_file))
    assert write_checked(store_file)
    assert checked_path(store_file).exists()
    assert load_store_config(str(store_file)) == parsed


def test_the_snapshot_is_what_a_cold_start_reads_while_the_file_is_unchanged(
    store_file: Path,
) -> None:
    assert write_checked(store_file)
    snapshot = json.loads(checked_path(store_file).read_text(encoding="utf-8"))
    config = load_store_config(str(store_file)).model_copy(update={"name": "Unpickled"})
    snapshot["pickled"] = base64.b64encode(pickle.dumps(config)).decode("ascii")
    checked_path(store_file).write_text(json.dumps(snapshot), encoding="utf-8")
    assert load_store_config(str(store_file)).name == "Unpickled"


def test_without_a_usable_pickle_the_snapshot_document_is_validated(store_file: Path) -> None:
    assert write_checked(store_file)
    snapshot = json.loads(checked_path(store_file).read_text(encoding="utf-8"))
    snapshot["document"]["name"] = "Read From The Snapshot"
    for pickled in (None, "not base64 pickle", base64.b64encode(pickle.dumps({"a": 1})).decode()):
        snapshot["pickled"] = pickled
        checked_path(store_file).write_text(json.dumps(snapshot), encoding="utf-8")
        assert load_store_config(str(store_file)).name == "Read From The Snapshot"


def test_a_file_changed_after_its_check_is_checked_again_templates_too(store_file: Path) -> None:
    assert write_checked(store_file)
    store_file.write_text(with_bad_template(store_file), encoding="utf-8")
    with pytest.raises(StoreConfigError) as raised:
        load_store_config(str(store_file))
    assert "followups.text_body: Value error, bad Jinja2 template" in raised.value.message


def test_a_bad_template_is_refused_at_package_time(store_file: Path) -> None:
    store_file.write_text(with_bad_template(store_file), encoding="utf-8")
    assert not write_checked(store_file)
    assert not checked_path(store_file).exists()


def test_a_yaml_that_is_no_store_config_gets_no_snapshot(tmp_path: Path) -> None:
    other = tmp_path / "scenario.yaml"
    other.write_text("name: a scenario\nturns: []\n", encoding="utf-8")
    assert not write_checked(other)
    assert not checked_path(other).exists()


def test_a_snapshot_that_is_not_json_is_ignored(store_file: Path) -> None:
    checked_path(store_file).write_text("{not json", encoding="utf-8")
    assert load_store_config(str(store_file)).name == "Northwind Threads"
