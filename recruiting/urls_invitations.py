"""URLs for invitations (included in the recruiting namespace by urls_app)."""

from django.urls import path

from .views import invitations

urlpatterns = [
    path("invitations/", invitations.invitation_list, name="invitation-list"),
    path("invitations/new/", invitations.invitation_create, name="invitation-create"),
    path(
        "invitations/<uuid:code>/resend/",
        invitations.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "invitations/<uuid:code>/extend/",
        invitations.invitation_extend,
        name="invitation-extend",
    ),
    path(
        "invitations/<uuid:code>/revoke/",
        invitations.invitation_revoke,
        name="invitation-revoke",
    ),
]
