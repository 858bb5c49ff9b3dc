"""Configuration read once per cold start: settings from the environment, secrets from SSM, the store's policy file.

May import: domain. Nothing else of chalicelib (every other package may import it).
"""
