"""tables part (being written)."""
