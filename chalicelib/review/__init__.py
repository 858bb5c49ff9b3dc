"""Review, feedback and metrics: the team trains the AI and measures it against humans.

May import: domain, runtime, store, agent (its Escalation type), outbox.
"""
