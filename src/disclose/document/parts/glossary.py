"""glossary part (being written)."""
