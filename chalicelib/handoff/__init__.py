"""AI <-> human handoff: the escalation packet, the helpdesk queue's events and the helpdesk API's use cases.

May import: domain, config, runtime, store, agent (its Escalation and TurnResult types), outbox.
"""
