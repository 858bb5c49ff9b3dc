"""SMS and WhatsApp through Twilio: signed webhooks in, the REST API out, keywords, delivery statuses.

May import: domain, runtime, store, channels.
"""
