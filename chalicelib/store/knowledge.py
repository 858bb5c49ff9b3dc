"""Knowledge articles, versioned: `KB#<id>` / `V#<n>` items, plus a `KB` directory of the latest."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.errors import ConflictError
from chalicelib.domain.vocabulary import iso, utcnow
from chalicelib.store import keys
from chalicelib.store.table import Item, Table

DIRECTORY_PK = "KB"  # one small partition listing every article's latest version
WRITE_ATTEMPTS = 3


@dataclass(frozen=True)
class StoredArticle:
    """One version of a knowledge article."""

    id: str
    title: str
    body: str
    version: int
    updated_at: str = ""

    @property
    def source(self) -> str:
        """How a reply cites this version: `<id>@v<version>`."""
        return f"{self.id}@v{self.version}"

    def view(self) -> dict[str, Any]:
        """The article as the API shows it."""
        return {
            "id": self.id,
            "title": self.title,
            "body": self.body,
            "version": self.version,
            "updated_at": self.updated_at,
        }


def version_sk(version: int) -> str:
    """A version's sort key, zero-padded so versions sort in order."""
    return f"V#{version:06d}"


def _article(item: Item) -> StoredArticle:
    return StoredArticle(
        id=str(item["article_id"]),
        title=str(item["title"]),
        body=str(item["body"]),
        version=int(item["version"]),
        updated_at=str(item.get("updated_at", "")),
    )


class KnowledgeRepository:
    """Reads and writes knowledge articles; every write is a new version."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def latest(self, article_id: str) -> StoredArticle | None:
        """The newest version of one article, or None."""
        item = self.table.get(DIRECTORY_PK, f"ARTICLE#{article_id}")
        return _article(item) if item else None

    def versions(self, article_id: str) -> list[StoredArticle]:
        """Every version of one article, oldest first."""
        return [_article(i) for i in self.table.query(keys.article_pk(article_id), "V#")]

    def all_latest(self) -> list[StoredArticle]:
        """The latest version of every article (one Query)."""
        return [_article(item) for item in self.table.query(DIRECTORY_PK, "ARTICLE#")]

    def put(self, article_id: str, title: str, body: str) -> StoredArticle:
        """Write a new version (conditional: two writers never get the same number)."""
        for _ in range(WRITE_ATTEMPTS):
            current = self.latest(article_id)
            article = StoredArticle(
                article_id, title, body, (current.version if current else 0) + 1, iso(utcnow())
            )
            if self._write(article):
                return article
        raise ConflictError("the article changed while saving; try again", field="id")

    def seed(self, articles: Iterable[Any]) -> int:
        """Write articles that are not stored yet (idempotent); returns how many were new."""
        added = 0
        for given in articles:
            if self.latest(given.id) is None:
                version = int(getattr(given, "version", 1) or 1)
                article = StoredArticle(given.id, given.title, given.body, version, iso(utcnow()))
                added += int(self._write(article))
        return added

    def _write(self, article: StoredArticle) -> bool:
        """The version item (only if new) and the directory entry, in one transaction."""
        fields = {
            "kind": "article",
            "article_id": article.id,
            "title": article.title,
            "body": article.body,
            "version": article.version,
            "updated_at": article.updated_at,
        }
        version = {"PK": keys.article_pk(article.id), "SK": version_sk(article.version), **fields}
        entry = {"PK": DIRECTORY_PK, "SK": f"ARTICLE#{article.id}", **fields}
        return self.table.transact(
            [
                {"Put": {"Item": version, "ConditionExpression": "attribute_not_exists(PK)"}},
                {
                    "Put": {
                        "Item": entry,
                        "ConditionExpression": "attribute_not_exists(PK) OR version < :v",
                        "ExpressionAttributeValues": {":v": article.version},
                    }
                },
            ]
        )
