"""Writes for accounts, organisations and teams.

Sign-up, creating an organisation, inviting teammates and answering an
invitation, changing roles and removing members. Every refusal raises
`AccountError` with one of the messages below, so views show it and tests
import it.
"""

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from recruiting.emails import send_email_task
from recruiting.models import Membership, Organization, TeamInvitation, User

EMAIL_TAKEN = _(
    "An account with this email already exists. Log in instead, or reset your password."
)
ALREADY_MEMBER = _("This person is already a member of the team.")
ALREADY_INVITED = _(
    "This email already has a pending invitation. Revoke it first to send a new one."
)
LAST_OWNER = _(
    "A team needs at least one owner: make someone else an owner before removing "
    "or demoting the last one."
)
INVITATION_ACCEPTED = _("This invitation has already been used.")
INVITATION_REVOKED = _("This invitation was withdrawn by the team’s owner.")
INVITATION_EXPIRED = _("This invitation has expired.")
INVITATION_WRONG_ACCOUNT = _("This invitation was sent to a different email address.")
INVITATION_NOT_PENDING = _("This invitation is no longer pending, so it cannot be revoked.")


class AccountError(Exception):
    """A refused account or team change; `str(error)` is the message for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _normalise_email(email: str) -> str:
    return User.objects.normalize_email(email.strip()).lower()


def _unique_slug(name: str) -> str:
    base = slugify(name)[:140].strip("-") or "team"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _create_user(*, email: str, full_name: str, password: str) -> User:
    email = _normalise_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError(EMAIL_TAKEN)
    try:
        # A savepoint, so a concurrent sign-up with the same email that wins the
        # unique index leaves the surrounding transaction usable.
        with transaction.atomic():
            return User.objects.create_user(
                email=email, password=password, full_name=full_name.strip()
            )
    except IntegrityError:
        raise AccountError(EMAIL_TAKEN) from None


@transaction.atomic
def organization_create(*, name: str, owner: User) -> Membership:
    """Create an organisation with a unique slug from its name; `owner` becomes its owner."""
    name = name.strip()
    for _attempt in range(3):
        try:
            # Two sign-ups with the same name can pick the same free slug; the
            # unique index decides and the loser tries the next one.
            with transaction.atomic():
                organization = Organization.objects.create(name=name, slug=_unique_slug(name))
            break
        except IntegrityError:
            continue
    else:
        slug = f"{slugify(name)[:130] or 'team'}-{secrets.token_hex(4)}"
        organization = Organization.objects.create(name=name, slug=slug)
    return Membership.objects.create(
        user=owner, organization=organization, role=Membership.Role.OWNER
    )


@transaction.atomic
def account_signup(
    *, full_name: str, email: str, password: str, organization_name: str
) -> Membership:
    """Create a user (email lower-cased), their organisation and their owner membership.

    Raises AccountError(EMAIL_TAKEN) when the email is taken in any capitalisation.
    The password is expected to have passed the validators already (the form does it).
    """
    user = _create_user(email=email, full_name=full_name, password=password)
    return organization_create(name=organization_name, owner=user)


def _team_invitation_email_context(invitation: TeamInvitation) -> dict:
    # Plain strings only: the database task queue stores the context as JSON.
    inviter = invitation.invited_by
    return {
        "organization_name": invitation.organization.name,
        "inviter_name": inviter.get_full_name() if inviter else "",
        "role": str(Membership.Role(invitation.role).label),
        "accept_url": settings.SITE_URL + invitation.get_absolute_url(),
        "expires_on": date_format(timezone.localtime(invitation.expires_at), "j F Y"),
    }


@transaction.atomic
def team_invite(
    *, organization: Organization, email: str, role: str, invited_by: User
) -> TeamInvitation:
    """Invite `email` to join `organization` with `role`; the email goes out after commit.

    Raises AccountError when the email already belongs to a member or already has
    an open invitation.
    """
    # Lock the organisation so two owners inviting the same address at once
    # cannot both pass the duplicate checks below.
    Organization.objects.select_for_update().get(pk=organization.pk)
    email = _normalise_email(email)
    if organization.memberships.filter(user__email__iexact=email).exists():
        raise AccountError(ALREADY_MEMBER)
    open_invitations = organization.team_invitations.filter(
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if open_invitations.exists():
        raise AccountError(ALREADY_INVITED)
    invitation = TeamInvitation.objects.create(
        organization=organization, email=email, role=role, invited_by=invited_by
    )
    context = _team_invitation_email_context(invitation)
    transaction.on_commit(
        lambda: send_email_task.enqueue(to=email, name="team_invitation", context=context)
    )
    return invitation


@transaction.atomic
def team_invitation_revoke(*, invitation: TeamInvitation, by: User) -> None:
    """Withdraw a pending invitation so its link stops working."""
    locked = TeamInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at or locked.revoked_at:
        raise AccountError(INVITATION_NOT_PENDING)
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    invitation.revoked_at = locked.revoked_at


def _lock_owners(organization_id: int) -> list[Membership]:
    # Locking every owner row serialises concurrent demotions and removals:
    # without it two owners could demote each other at once and leave none.
    return list(
        Membership.objects.select_for_update()
        .filter(organization_id=organization_id, role=Membership.Role.OWNER)
        .order_by("pk")
    )


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, by: User) -> bool:
    """Give a member another role; returns False when they already have it.

    Raises AccountError(LAST_OWNER) rather than demote the organisation's only owner.
    """
    owners = _lock_owners(membership.organization_id)
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.role == role:
        return False
    if locked.role == Membership.Role.OWNER and len(owners) <= 1:
        raise AccountError(LAST_OWNER)
    locked.role = role
    locked.save(update_fields=["role"])
    membership.role = role
    return True


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """Remove a member from the organisation (their account stays).

    Raises AccountError(LAST_OWNER) rather than remove the organisation's only owner.
    """
    owners = _lock_owners(membership.organization_id)
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.role == Membership.Role.OWNER and len(owners) <= 1:
        raise AccountError(LAST_OWNER)
    locked.delete()


def team_invitation_problem(*, invitation: TeamInvitation) -> str | None:
    """Why the invitation's link no longer works, or None while it is open."""
    if invitation.accepted_at:
        return INVITATION_ACCEPTED
    if invitation.revoked_at:
        return INVITATION_REVOKED
    if invitation.expires_at <= timezone.now():
        return INVITATION_EXPIRED
    return None


@transaction.atomic
def team_invitation_accept(*, invitation: TeamInvitation, user: User) -> Membership:
    """`user` joins the invitation's organisation with its role.

    Raises AccountError when the link is used, revoked or expired, or when the
    user's email is not the invited one. The invitation row is locked so a
    double click or a replayed link joins once.
    """
    locked = TeamInvitation.objects.select_for_update().get(pk=invitation.pk)
    problem = team_invitation_problem(invitation=locked)
    if problem is not None:
        raise AccountError(problem)
    if user.email.lower() != locked.email.lower():
        raise AccountError(INVITATION_WRONG_ACCOUNT)
    membership, _created = Membership.objects.get_or_create(
        user=user, organization_id=locked.organization_id, defaults={"role": locked.role}
    )
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    invitation.accepted_at = locked.accepted_at
    return membership


@transaction.atomic
def account_signup_from_invitation(
    *, invitation: TeamInvitation, full_name: str, password: str
) -> Membership:
    """Create the invited person's account and join the team in one step.

    Raises AccountError as `team_invitation_accept` does, or EMAIL_TAKEN when an
    account for the invited email exists (that person should log in instead).
    """
    problem = team_invitation_problem(invitation=invitation)
    if problem is not None:
        raise AccountError(problem)
    user = _create_user(email=invitation.email, full_name=full_name, password=password)
    return team_invitation_accept(invitation=invitation, user=user)


def account_unlock(*, email: str) -> int:
    """Clear django-axes' failed-login lockouts for an email (after a password reset)."""
    from axes.utils import reset

    return reset(username=_normalise_email(email))
