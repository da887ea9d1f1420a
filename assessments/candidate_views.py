"""Candidate-facing views: the invitation landing page (and, later, taking the test)."""
