"""Training and evaluation of the agent's language layer (not shipped to Lambda)."""
