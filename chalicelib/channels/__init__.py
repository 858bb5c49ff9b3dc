"""Channel adapters: each turns its provider's requests into InboundMessage and sends OutboundMessage."""
