"""appendix part (being written)."""
