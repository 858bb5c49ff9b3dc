"""The agent: turn orchestration, triage guardrails, tools, and the openai and rules backends."""
