"""Knowledge articles: versioned writes, the helpdesk API, and seeding from the store config."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.store.knowledge import KnowledgeRepository
from tests.harness import Pipeline, seed_store

HELPDESK = {"X-Api-Key": "dev-helpdesk-key", "Content-Type": "application/json"}


def put(pipeline: Pipeline, article_id: str, body: Any, headers: dict[str, str] = HELPDESK) -> Any:
    raw = body if isinstance(body, str) else json.dumps(body)
    return pipeline.client.http.put(f"/kb/articles/{article_id}", headers=headers, body=raw)


def test_each_put_creates_a_new_version_and_the_list_shows_the_latest(
    pipeline: Pipeline,
) -> None:
    first = put(pipeline, "gift-wrap", {"title": "Gift wrap", "body": "Gift wrap costs 5 USD."})
    second = put(pipeline, "gift-wrap", {"title": "Gift wrap", "body": "Gift wrap is free."})
    assert (first.status_code, first.json_body["version"]) == (201, 1)
    assert (second.status_code, second.json_body["version"]) == (200, 2)
    listed = pipeline.get("/kb/articles", HELPDESK).json_body["articles"]
    assert [(a["id"], a["version"], a["body"]) for a in listed] == [
        ("gift-wrap", 2, "Gift wrap is free.")
    ]
    versions = KnowledgeRepository(pipeline.services.table).versions("gift-wrap")
    assert [v.body for v in versions] == ["Gift wrap costs 5 USD.", "Gift wrap is free."]


@pytest.mark.parametrize(
    ("article_id", "body", "field"),
    [
        ("ok", {"body": "no title"}, "title"),
        ("ok", {"title": "T", "body": "  "}, "body"),
        ("ok", {"title": "T", "body": 5}, "body"),
        ("ok", {"title": "x" * 201, "body": "b"}, "title"),
        ("Not_Valid", {"title": "T", "body": "b"}, "id"),
        ("ok", "[1, 2]", "body"),
    ],
)
def test_bad_input_gets_400_naming_the_field(
    pipeline: Pipeline, article_id: str, body: Any, field: str
) -> None:
    response = put(pipeline, article_id, body)
    assert response.status_code == 400
    assert response.json_body["error"]["field"] == field


def test_the_api_needs_the_helpdesk_key(pipeline: Pipeline) -> None:
    store_key = {"X-Api-Key": "dev-store-key", "Content-Type": "application/json"}
    assert put(pipeline, "a", {"title": "T", "body": "b"}, store_key).status_code == 401
    assert pipeline.get("/kb/articles").status_code == 401


def test_seeding_the_store_config_is_idempotent_and_keeps_edits(pipeline: Pipeline) -> None:
    first = seed_store(pipeline)
    assert first == {"articles": 10, "products": 11}
    put(pipeline, "returns", {"title": "Returns", "body": "Returns within 60 days."})
    assert seed_store(pipeline) == {"articles": 0, "products": 0}
    listed = {a["id"]: a for a in pipeline.get("/kb/articles", HELPDESK).json_body["articles"]}
    assert listed["returns"]["version"] == 2 and "60 days" in listed["returns"]["body"]
    assert len(pipeline.services.catalog.all()) == 11


def test_a_store_update_wins_over_the_seeded_catalog(pipeline: Pipeline) -> None:
    seed_store(pipeline)
    product = {"sku": "MUG-STONE-SET", "name": "Mugs", "price": 40, "currency": "USD"}
    event = {"id": "p1", "type": "product.upserted", "occurred_at": "2026-01-01T00:00:00Z"}
    headers = {"X-Api-Key": "dev-store-key"}
    pipeline.post_json("/events", {"events": [{**event, "data": product}]}, headers)
    assert pipeline.services.catalog.get("MUG-STONE-SET")["price"] == 40
