"""The agent: triage guardrails, tools, knowledge ranking, and the openai and rules backends.

May import: domain, config, runtime, store. (The turn that runs it is `chalicelib.turns`.)
"""
