"""DynamoDB access: one repository per aggregate over the single table (keys in `keys.py`).

May import: domain, runtime.
"""
