"""CLI: profile commands (being written)."""
