"""Who may see and change what: the one place recruiter views resolve tenancy.

Every recruiter view is wrapped in `member_required`, which sets
`request.membership` and `request.organization`. Objects are fetched through
the `get_*_for_member` helpers below: another organisation's object is a 404
(never a hint that it exists), and a write by a read-only member (reviewer)
is a PermissionDenied (403).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect

from assessments.models import Assessment

from .models import Candidate, Invitation, Membership

SESSION_KEY = "organization_id"


def current_membership(request) -> Membership | None:
    """The member's active organisation: the one chosen in this session, else the first."""
    if not request.user.is_authenticated:
        return None
    memberships = list(request.user.memberships.select_related("organization"))
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if membership.organization_id == chosen:
            return membership
    return memberships[0] if memberships else None


def member_required(view=None, *, write=False, owner=False):
    """Require a logged-in member; `write` refuses reviewers, `owner` refuses all but owners."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = current_membership(request)
            if membership is None:
                return redirect("recruiting:organization-create")
            request.membership = membership
            request.organization = membership.organization
            request._cached_membership = membership  # the navigation reuses it

            if owner and not membership.is_owner:
                raise PermissionDenied
            if write and not membership.can_edit:
                raise PermissionDenied
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator


def _check_write(request, write: bool) -> None:
    if write and not request.membership.can_edit:
        raise PermissionDenied


def get_assessment_for_member(request, code, *, write=False, queryset=None) -> Assessment:
    queryset = queryset if queryset is not None else Assessment.objects.all()
    assessment = get_object_or_404(
        queryset.select_related("role_profile__role", "role_profile__level"),
        code=code,
        organization=request.organization,
    )
    _check_write(request, write)
    return assessment


def get_candidate_for_member(request, code, *, write=False) -> Candidate:
    candidate = get_object_or_404(Candidate, code=code, organization=request.organization)
    _check_write(request, write)
    return candidate


def get_invitation_for_member(request, code, *, write=False) -> Invitation:
    invitation = get_object_or_404(
        Invitation.objects.select_related("candidate", "assessment"),
        code=code,
        assessment__organization=request.organization,
    )
    _check_write(request, write)
    return invitation
