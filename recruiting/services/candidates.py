"""candidates services."""
