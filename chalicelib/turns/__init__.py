"""The agent worker's turns: queue batches grouped by conversation, each answered once and delivered.

May import: domain, runtime, store, agent, commerce, outbox, review.
"""
