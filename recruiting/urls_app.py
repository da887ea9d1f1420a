"""The recruiter workspace under /app/ (namespace `recruiting`)."""

from django.urls import path

from .views import accounts, candidates, dashboard, invitations, team  # noqa: F401

app_name = "recruiting"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("team/", team.team, name="team"),
    path("candidates/", candidates.candidate_list, name="candidate-list"),
    path("organization/new/", accounts.organization_create, name="organization-create"),
]
