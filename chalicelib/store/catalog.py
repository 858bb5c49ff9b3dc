"""The catalog: products in one partition, small enough to read whole for recommendations."""

from __future__ import annotations

from typing import Any

from chalicelib.store import keys
from chalicelib.store.table import Item, Table, without_keys


class CatalogRepository:
    """Reads and writes products (PK `CATALOG`, SK `PRODUCT#<sku>`)."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def save(self, product: dict[str, Any], updated_at: str) -> bool:
        """Write a product unless a newer version is stored."""
        item = {"PK": keys.CATALOG_PK, "SK": f"PRODUCT#{product['sku']}", **product}
        item["updated_at"] = updated_at
        condition = "attribute_not_exists(PK) OR updated_at <= :updated_at"
        return self.table.put(item, condition, updated_at=updated_at)

    def get(self, sku: str) -> Item | None:
        """One product by SKU."""
        item = self.table.get(keys.CATALOG_PK, f"PRODUCT#{sku}")
        return without_keys(item) if item else None

    def all(self) -> list[Item]:
        """Every product."""
        return [without_keys(item) for item in self.table.query(keys.CATALOG_PK, "PRODUCT#")]
