"""narrative part (being written)."""
