"""Inbound messages between the channels and the agent: dedupe and enqueue (ingest), queue batches as turns (worker).

May import: domain, runtime, store.
"""
