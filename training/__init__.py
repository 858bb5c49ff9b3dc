"""Training and evaluation of the agent's language layer (development only: never shipped)."""
