"""invitations views."""
