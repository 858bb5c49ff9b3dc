"""Local stand-ins for providers, speaking their real protocols (never deployed)."""
