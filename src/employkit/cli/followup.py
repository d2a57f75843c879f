"""CLI: followup commands (being written)."""
