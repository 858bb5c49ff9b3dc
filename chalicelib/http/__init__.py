"""The HTTP edge: JSON bodies, API keys, CORS, errors mapped to the contract, the OpenAPI document.

May import: domain, runtime. Imported by app.py only.
"""
