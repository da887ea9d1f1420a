"""invitations services."""
