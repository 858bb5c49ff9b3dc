"""The store's data: store events and Shopify webhooks applied to profiles, identity, the profile view, knowledge articles.

May import: domain, config, runtime, store.
"""
