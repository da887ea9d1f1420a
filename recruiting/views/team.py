"""The team page: members and their roles, teammate invitations, and joining a team.

Memberships and team invitations appear in URLs by primary key, so views fetch
them only through the two scoped getters below: another organisation's row is a
404 (never a hint that it exists), and anyone but an owner gets a 403. They live
here rather than in recruiting/tenancy.py because only the team views use them.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from recruiting.forms.accounts import InvitationSignupForm, MemberRoleForm, TeamInviteForm
from recruiting.models import Membership, TeamInvitation, User
from recruiting.services import accounts as account_services
from recruiting.services.accounts import AccountError
from recruiting.tenancy import SESSION_KEY, member_required

from .accounts import log_in_member


def get_membership_for_owner(request, pk) -> Membership:
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=pk, organization=request.organization
    )
    if not request.membership.is_owner:
        raise PermissionDenied
    return membership


def get_team_invitation_for_owner(request, pk) -> TeamInvitation:
    invitation = get_object_or_404(TeamInvitation, pk=pk, organization=request.organization)
    if not request.membership.is_owner:
        raise PermissionDenied
    return invitation


def _team_page(request, *, invite_form=None, status=200):
    organization = request.organization
    # Owners first, then recruiters, then reviewers (the role values sort that way).
    members = list(
        organization.memberships.select_related("user").order_by(
            "role", "user__full_name", "user__email", "pk"
        )
    )
    pending = list(
        organization.team_invitations.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).select_related("invited_by")
    )
    is_owner = request.membership.is_owner
    context = {
        "members": members,
        "pending_invitations": pending,
        "owner_count": sum(1 for member in members if member.is_owner),
        "is_owner": is_owner,
        "invite_form": (invite_form or TeamInviteForm()) if is_owner else None,
        "roles": Membership.Role.choices,
    }
    return render(request, "recruiting/team.html", context, status=status)


def _post_only(request):
    # Checked after the scoped lookup, so another organisation's id is a 404
    # whatever the method, and a non-owner's GET is a 403 like their POST.
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


@member_required
def team(request):
    return _team_page(request)


@member_required(owner=True)
@require_POST
def team_invite(request):
    form = TeamInviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = account_services.team_invite(
                organization=request.organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except AccountError as error:
            form.add_error("email", error.message)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link works for 7 days.")
                % {"email": invitation.email},
            )
            return redirect("recruiting:team")
    return _team_page(request, invite_form=form)


@member_required
def team_invitation_revoke(request, pk):
    invitation = get_team_invitation_for_owner(request, pk)
    if response := _post_only(request):
        return response
    try:
        account_services.team_invitation_revoke(invitation=invitation, by=request.user)
    except AccountError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The invitation for %(email)s was revoked; its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("recruiting:team")


@member_required
def team_member_role(request, pk):
    membership = get_membership_for_owner(request, pk)
    if response := _post_only(request):
        return response
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles: owner, recruiter or reviewer."))
        return redirect("recruiting:team")
    try:
        changed = account_services.membership_set_role(
            membership=membership, role=form.cleaned_data["role"], by=request.user
        )
    except AccountError as error:
        messages.error(request, error.message)
    else:
        if changed:
            messages.success(
                request,
                _("%(name)s is now a %(role)s.")
                % {
                    "name": membership.user.get_full_name(),
                    "role": membership.get_role_display().lower(),
                },
            )
    return redirect("recruiting:team")


@member_required
def team_member_remove(request, pk):
    membership = get_membership_for_owner(request, pk)
    if response := _post_only(request):
        return response
    try:
        account_services.membership_remove(membership=membership, by=request.user)
    except AccountError as error:
        messages.error(request, error.message)
        return redirect("recruiting:team")
    if membership.user_id == request.user.pk:
        messages.success(
            request, _("You left %(organization)s.") % {"organization": request.organization}
        )
        request.session.pop(SESSION_KEY, None)
        return redirect("recruiting:dashboard")
    messages.success(
        request,
        _("%(name)s was removed from the team.") % {"name": membership.user.get_full_name()},
    )
    return redirect("recruiting:team")


def _accept_invalid(request, invitation, problem):
    is_member = (
        request.user.is_authenticated
        and invitation.organization.memberships.filter(user=request.user).exists()
    )
    return render(
        request,
        "recruiting/team_accept_invalid.html",
        {"invitation": invitation, "problem": problem, "is_member": is_member},
        status=410,
    )


@sensitive_post_parameters("password1", "password2")
def team_accept(request, token):
    """Anyone holding the link: new people create an account, existing ones log in first."""
    invitation = get_object_or_404(
        TeamInvitation.objects.select_related("organization", "invited_by"), token=token
    )
    problem = account_services.team_invitation_problem(invitation=invitation)
    if problem is not None:
        return _accept_invalid(request, invitation, problem)
    context = {"invitation": invitation, "role": invitation.get_role_display()}

    if request.user.is_authenticated:
        if request.user.email.lower() != invitation.email.lower():
            return render(
                request,
                "recruiting/team_accept.html",
                {**context, "mode": "wrong_account"},
                status=403,
            )
        if request.method == "POST":
            try:
                membership = account_services.team_invitation_accept(
                    invitation=invitation, user=request.user
                )
            except AccountError as error:
                return _accept_invalid(request, invitation, error.message)
            request.session[SESSION_KEY] = membership.organization_id
            messages.success(
                request,
                _("You joined %(organization)s.") % {"organization": invitation.organization},
            )
            return redirect("recruiting:dashboard")
        return render(request, "recruiting/team_accept.html", {**context, "mode": "confirm"})

    if User.objects.filter(email__iexact=invitation.email).exists():
        login_url = reverse("login") + "?" + urlencode({"next": request.path})
        return render(
            request,
            "recruiting/team_accept.html",
            {**context, "mode": "login", "login_url": login_url},
        )

    form = InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            membership = account_services.account_signup_from_invitation(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except AccountError as error:
            invitation.refresh_from_db()
            problem = account_services.team_invitation_problem(invitation=invitation)
            if problem is not None:
                return _accept_invalid(request, invitation, problem)
            form.add_error(None, error.message)
        else:
            log_in_member(request, membership)
            messages.success(
                request,
                _("Welcome to Yardstick! You joined %(organization)s.")
                % {"organization": invitation.organization},
            )
            return redirect("recruiting:dashboard")
    return render(
        request, "recruiting/team_accept.html", {**context, "mode": "signup", "form": form}
    )
