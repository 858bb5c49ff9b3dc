"""The escalation packet's published schema and model."""

from __future__ import annotations

from dev.schemas import PACKET_SCHEMA_PATH, packet_schema_text


def test_published_packet_schema_matches_the_model() -> None:
    committed = PACKET_SCHEMA_PATH.read_text(encoding="utf-8")
    assert committed == packet_schema_text(), "stale: run `python -m dev.schemas`"


def test_packet_schema_is_versioned_and_requires_the_contract_fields() -> None:
    import json

    schema = json.loads(packet_schema_text())
    assert schema["properties"]["schema_version"]["const"] == "1.0"
    for name in ("escalation_id", "conversation_id", "channel", "reply", "customer", "reasons"):
        assert name in schema["required"]
    for name in ("priority", "respond_by", "summary", "attempted", "suggested_next_step"):
        assert name in schema["required"]
    assert "transcript" in schema["required"]
