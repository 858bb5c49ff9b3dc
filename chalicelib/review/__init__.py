"""Review, feedback and metrics: the team trains the AI and measures it against humans."""
