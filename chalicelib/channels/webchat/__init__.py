"""Web chat: sessions with signed tokens, messages in and out, and the embeddable widget's assets.

May import: domain, store, channels.
"""
