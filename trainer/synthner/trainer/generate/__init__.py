"""Synthetic training data from an LLM: backends, recipes, filters, leakage audit, data cards."""
