"""Follow-ups: scheduled with EventBridge Scheduler, sent later on the right channel.

May import: domain, config, runtime, store, outbox.
"""
