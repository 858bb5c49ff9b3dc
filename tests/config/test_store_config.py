"""The store's policy file: the demo config is valid, a bad one says which key and why."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from chalicelib.config.store_config import (
    DEMO_CONFIG_PATH,
    StoreConfigError,
    load_store_config,
    with_overrides,
)
from chalicelib.domain.messages import Channel


def write(tmp_path: Path, document: object) -> str:
    path = tmp_path / "store.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return str(path)


def demo_document() -> dict:
    return yaml.safe_load(DEMO_CONFIG_PATH.read_text(encoding="utf-8"))


def test_demo_config_is_valid_and_complete() -> None:
    config = load_store_config(None)
    assert config.name == "Northwind Threads"
    assert set(config.brand_voice.max_reply_chars) == set(Channel)
    assert {"returns", "shipping", "sizing", "warranty", "payment"} <= {
        a.id for a in config.knowledge
    }
    assert len(config.catalog) >= 10
    assert all(product.categories for product in config.catalog)
    assert config.discounts.stacking_with_points == "escalate"
    assert config.escalation.priority.by_reason["legal_or_chargeback"] == "urgent"


def test_discount_codes_by_tier() -> None:
    discounts = load_store_config().discounts
    assert [code.code for code in discounts.codes_for("gold")] == ["GOLD20", "FREESHIP"]
    assert [code.code for code in discounts.codes_for(None)] == ["WELCOME10"]
    assert discounts.codes_for("unknown-tier") == []


def test_path_loads_that_file(tmp_path: Path) -> None:
    document = demo_document() | {"name": "Other Store"}
    assert load_store_config(write(tmp_path, document)).name == "Other Store"


@pytest.mark.parametrize(
    ("change", "key", "why"),
    [
        (
            {"escalation": {"triggers": {"frustation": False}}},
            "escalation.triggers.frustation",
            "Extra",
        ),
        ({"business_hours": {"time_zone": "Mars/Olympus"}}, "business_hours.time_zone", "IANA"),
        ({"brand_voice": {"max_reply_chars": {"fax": 100}}}, "brand_voice.max_reply_chars.fax", ""),
        (
            {"discounts": {"by_loyalty_tier": {"gold": [{"code": "X"}]}}},
            "by_loyalty_tier.gold[0]",
            "percent",
        ),
        (
            {"whatsapp_templates": {"csat": {"content_sid": "nope"}}},
            "whatsapp_templates.csat.content_sid",
            "",
        ),
        ({"followups": {"email_body": "{% if x %}"}}, "followups.email_body", "Jinja2"),
        ({"escalation": {"priority": {"by_reason": {"bored": "high"}}}}, "by_reason.bored", ""),
    ],
)
def test_bad_file_names_the_file_the_key_and_why(
    tmp_path: Path, change: dict, key: str, why: str
) -> None:
    path = write(tmp_path, _merge(demo_document(), change))
    with pytest.raises(StoreConfigError) as raised:
        load_store_config(path)
    assert path in raised.value.message and key in raised.value.message
    assert why in raised.value.message


def test_missing_key_is_named(tmp_path: Path) -> None:
    document = demo_document()
    del document["texts"]["help"]
    with pytest.raises(StoreConfigError, match=r"texts\.help: Field required"):
        load_store_config(write(tmp_path, document))


def test_missing_file_and_bad_yaml_are_clear(tmp_path: Path) -> None:
    with pytest.raises(StoreConfigError, match="cannot read"):
        load_store_config(str(tmp_path / "absent.yaml"))
    (tmp_path / "bad.yaml").write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(StoreConfigError, match="not valid YAML"):
        load_store_config(str(tmp_path / "bad.yaml"))
    (tmp_path / "list.yaml").write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(StoreConfigError, match="mapping"):
        load_store_config(str(tmp_path / "list.yaml"))


def test_scenario_overrides_merge_over_the_default() -> None:
    base = load_store_config()
    merged = with_overrides(base, {"escalation": {"competitors": ["Amazon"]}})
    assert merged.escalation.competitors == ["Amazon"]
    assert merged.escalation.priority == base.escalation.priority
    assert merged.catalog == base.catalog
    assert base.escalation.competitors != ["Amazon"]
    assert with_overrides(base, None) is base


def test_bad_override_names_the_key() -> None:
    with pytest.raises(StoreConfigError, match=r"store overrides: .*escalation\.human_sla_seconds"):
        with_overrides(load_store_config(), {"escalation": {"human_sla_seconds": -5}})


def _merge(base: dict, change: dict) -> dict:
    from chalicelib.config.store_config import deep_merge

    return deep_merge(base, change)


def test_priority_is_the_highest_of_reasons_and_tier() -> None:
    priority = load_store_config().escalation.priority
    assert priority.priority_for(["human_requested"], None) == "normal"
    assert priority.priority_for(["human_requested", "damaged_item"], None) == "high"
    assert priority.priority_for(["human_requested"], "platinum") == "urgent"
    assert priority.priority_for(["legal_or_chargeback"], "gold") == "urgent"
    assert priority.priority_for([], "bronze") == "normal"
