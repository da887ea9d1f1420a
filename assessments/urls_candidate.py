"""Candidate-facing pages under /t/ (namespace `candidate`): no account, a private token."""

from django.urls import path  # noqa: F401

from . import candidate_views  # noqa: F401

app_name = "candidate"

urlpatterns = []
