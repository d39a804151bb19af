"""overview part (being written)."""
