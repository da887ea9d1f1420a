"""`make bench`: a reproducible benchmark of the candidate hot path and the recruiter pages.

Entry point: `python -m bench.run` (see bench/README.md). Nothing here is
imported by the application.
"""
