"""CLI: national-scale batch matching (being written)."""
