"""The recruiter workspace under /app/ (namespace `recruiting`).

Each area keeps its routes in its own module; they share this namespace.
"""

from django.urls import path

from . import urls_candidates, urls_invitations, urls_team
from .views import accounts, candidates, dashboard, team

app_name = "recruiting"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("team/", team.team, name="team"),
    path("candidates/", candidates.candidate_list, name="candidate-list"),
    path("organization/new/", accounts.organization_create, name="organization-create"),
    *urls_team.urlpatterns,
    *urls_candidates.urlpatterns,
    *urls_invitations.urlpatterns,
]
