"""The commerce package: store events and Shopify webhooks applied to profiles and the catalog."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from chalicelib.providers.core import Core

if TYPE_CHECKING:
    from chalicelib.commerce.events import Commerce
    from chalicelib.commerce.shopify_webhook import ShopifyWebhooks
    from chalicelib.followups.service import FollowUps
    from chalicelib.store.catalog import CatalogRepository
    from chalicelib.store.customers import CustomerRepository
    from chalicelib.store.dedupe import DedupeStore


class CommerceProvider(Core):
    """Store events (POST /events) and Shopify webhooks."""

    if TYPE_CHECKING:  # from other providers

        @property
        def customers(self) -> CustomerRepository: ...

        @property
        def catalog(self) -> CatalogRepository: ...

        @property
        def dedupe(self) -> DedupeStore: ...

        def followup_hooks(self) -> FollowUps: ...

    @cached_property
    def commerce(self) -> Commerce:
        """Store events applied to profiles and catalog."""
        from chalicelib.commerce.events import Commerce

        return Commerce(self.customers, self.catalog, self.dedupe, followups=self.followup_hooks)

    @cached_property
    def shopify(self) -> ShopifyWebhooks:
        """Shopify webhooks: verified, deduped, applied through commerce."""
        from chalicelib.commerce.shopify_webhook import ShopifyWebhooks

        s = self.settings
        return ShopifyWebhooks(
            s.shopify_webhook_secret, self.commerce, self.dedupe, s.shopify_shop_domain
        )
