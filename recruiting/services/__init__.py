"""Writes for the recruiting app, one module per area: demo, accounts, candidates, invitations."""
