"""CLI: kpi commands (being written)."""
