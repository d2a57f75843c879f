"""CLI: audit commands (being written)."""
