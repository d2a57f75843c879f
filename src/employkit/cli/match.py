"""CLI: match commands (being written)."""
