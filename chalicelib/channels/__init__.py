"""Channel adapters: each turns its provider's requests into InboundMessage and sends OutboundMessage.

Here: what they share, `ingest` (dedupe, then enqueue for the agent worker) and the `ChannelSender`
protocol; each provider's adapter is a sub-package (twilio, email, webchat).
May import: domain, runtime, store.
"""
