"""Writes the published JSON Schemas into docs/ (`python -m dev.schemas`); a test checks they are current."""

from __future__ import annotations

import json
from pathlib import Path

from chalicelib.domain.escalations import packet_schema

ROOT = Path(__file__).resolve().parent.parent
PACKET_SCHEMA_PATH = ROOT / "docs" / "escalation-packet.schema.json"


def packet_schema_text() -> str:
    """The escalation packet's schema as committed: sorted keys, two-space indent."""
    return json.dumps(packet_schema(), indent=2, sort_keys=True) + "\n"


def main() -> None:
    """Regenerate every published schema."""
    PACKET_SCHEMA_PATH.write_text(packet_schema_text(), encoding="utf-8")
    print(f"wrote {PACKET_SCHEMA_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
