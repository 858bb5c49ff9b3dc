"""Process plumbing every layer uses: structured logs and metrics, SQS queues, in-process retries.

May import: domain.
"""
