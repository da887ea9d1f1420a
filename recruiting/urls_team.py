"""Team routes (included in the `recruiting` namespace by urls_app; `team/` itself is there)."""

from django.urls import path

from .views import team

urlpatterns = [
    path("team/invite/", team.team_invite, name="team-invite"),
    path(
        "team/invitations/<int:pk>/revoke/",
        team.team_invitation_revoke,
        name="team-invitation-revoke",
    ),
    path("team/members/<int:pk>/role/", team.team_member_role, name="team-member-role"),
    path("team/members/<int:pk>/remove/", team.team_member_remove, name="team-member-remove"),
    path("team/join/<str:token>/", team.team_accept, name="team-accept"),
]
