"""CLI: data commands (being written)."""
