"""Email through SES: receipt notifications in, MIME parsing and screening, threaded replies out.

May import: domain, config, runtime, store, inbound, and the outbox's ChannelSender protocol.
"""
