"""The knowledge-article API (`GET /kb/articles`, `PUT /kb/articles/{id}`) and seeding from config."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from chalicelib.domain.errors import BadRequestError
from chalicelib.store.knowledge import KnowledgeRepository, StoredArticle

if TYPE_CHECKING:
    from chalicelib.config.store_config import StoreConfig
    from chalicelib.store.catalog import CatalogRepository

ARTICLE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
LIMITS = {"title": 200, "body": 20_000}
SEEDED_AT = "1970-01-01T00:00:00Z"  # older than any store update, so the store's data wins


def _text(body: dict[str, Any], name: str) -> str:
    """A required, non-blank string field of at most its limit; 400 naming it otherwise."""
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise BadRequestError(f"{name} must be a non-empty string", field=name)
    if len(value) > LIMITS[name]:
        raise BadRequestError(f"{name} must be at most {LIMITS[name]} characters", field=name)
    return value.strip()


def save_article(
    articles: KnowledgeRepository, article_id: str, body: dict[str, Any]
) -> StoredArticle:
    """Validate a PUT body and store it as the article's next version."""
    if not ARTICLE_ID.match(article_id):
        raise BadRequestError("id must be lowercase letters, digits and dashes", field="id")
    return articles.put(article_id, _text(body, "title"), _text(body, "body"))


def list_articles(articles: KnowledgeRepository) -> dict[str, Any]:
    """Every article's latest version, by id."""
    found = sorted(articles.all_latest(), key=lambda article: article.id)
    return {"articles": [article.view() for article in found]}


def seed_store_config(
    config: StoreConfig, articles: KnowledgeRepository, catalog: CatalogRepository
) -> dict[str, int]:
    """Store the config's knowledge articles and demo catalog where absent (idempotent)."""
    from chalicelib.store.table import to_dynamo

    products = 0
    for product in config.catalog:
        if catalog.get(product.sku) is None:
            plain = to_dynamo(product.model_dump(exclude_none=True))
            products += int(catalog.save(plain, SEEDED_AT))
    return {"articles": articles.seed(config.knowledge), "products": products}
