"""Email through SES: receipt notifications in, MIME parsing and screening, threaded replies out.

May import: domain, runtime, store, channels.
"""
