"""Writes for invitations: create, send, resend, extend, revoke, open, public links, reminders.

Email never leaves inside a request. `invitation_send` only counts the send it
asks for (send number N) and queues `send_invitation_task` after the commit;
the task delivers send N at most once (see `invitation_deliver`).
"""

import logging
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from assessments.models import Assessment
from recruiting.emails import email_deliver
from recruiting.models import Candidate, Invitation, Organization
from recruiting.services.candidates import CandidateError, candidate_create, candidate_mark_invited

logger = logging.getLogger(__name__)

Status = Invitation.Status

EXPIRY_DAYS_DEFAULT = 7
EXPIRY_DAYS_MIN = 1
EXPIRY_DAYS_MAX = 60
PUBLIC_LINK_EXPIRY_DAYS = 7
REMINDER_WINDOW = timedelta(hours=48)
ACCOMMODATION_PERCENTS = frozenset(value for value, _label in Invitation.ACCOMMODATIONS)

# Statuses in which the candidate has not started yet: the link can still be
# sent, resent, opened and extended.
WAITING = (Status.PENDING, Status.SENT, Status.OPENED)

NOT_PUBLISHED = gettext_lazy(
    "Only a published assessment can be sent to candidates; “%(title)s” is %(status)s."
)
WRONG_ORGANIZATION = gettext_lazy("This candidate belongs to another organisation.")
ALREADY_INVITED = gettext_lazy(
    "This candidate already has an invitation to this assessment (revoke it to send a new one)."
)
BAD_EXPIRY = gettext_lazy("Choose an expiry between %(min)s and %(max)s days.")
BAD_ACCOMMODATION = gettext_lazy("Choose one of the offered accommodations.")
CANNOT_RESEND = gettext_lazy(
    "Only an invitation that is waiting for the candidate can be resent; this one is %(status)s."
)
RESEND_EXPIRED = gettext_lazy("This invitation has expired: extend it first, then resend it.")
CANNOT_EXTEND = gettext_lazy(
    "Only an invitation the candidate has not started can be extended; this one is %(status)s."
)
BAD_EXTENSION = gettext_lazy("Extend by between %(min)s and %(max)s days.")
CANNOT_REVOKE = gettext_lazy("This invitation is %(status)s: there is nothing to revoke.")
PUBLIC_LINK_CLOSED = gettext_lazy("This assessment is not taking entries from its public link.")
PRIVATELY_INVITED = gettext_lazy(
    "This email address already has a private invitation to this assessment: "
    "use the link in that email."
)


class InvitationError(Exception):
    """A refused invitation change; `message` is safe to show to the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


def minutes_allowed(*, time_limit_minutes: int, extra_time_percent: int) -> int:
    """The time limit with an accommodation, rounded up to the whole minute."""
    return math.ceil(time_limit_minutes * (100 + extra_time_percent) / 100)


def _status_label(value: str) -> str:
    return str(Status(value).label).lower()


def _check_expiry_days(days: int) -> None:
    if not EXPIRY_DAYS_MIN <= days <= EXPIRY_DAYS_MAX:
        raise InvitationError(BAD_EXPIRY % {"min": EXPIRY_DAYS_MIN, "max": EXPIRY_DAYS_MAX})


def _lock(invitation: Invitation) -> Invitation:
    return Invitation.objects.select_for_update().get(pk=invitation.pk)


def _copy_state(target: Invitation, source: Invitation, fields: list[str]) -> None:
    for name in fields:
        setattr(target, name, getattr(source, name))


@transaction.atomic
def invitation_create(
    *,
    assessment: Assessment,
    candidate: Candidate,
    expires_in_days: int = EXPIRY_DAYS_DEFAULT,
    extra_time_percent: int = 0,
    by=None,
    source: str = Invitation.Source.RECRUITER,
    send: bool = True,
    now: datetime | None = None,
) -> Invitation:
    """Invite `candidate` to `assessment`, move them to Invited, and queue the email.

    Raises InvitationError when the assessment is not published, the candidate
    is another organisation's, or the candidate already holds a live (not
    revoked) invitation to this assessment. `send=False` skips the email (the
    public link takes the candidate straight to their landing page).
    """
    now = now or timezone.now()
    _check_expiry_days(expires_in_days)
    if extra_time_percent not in ACCOMMODATION_PERCENTS:
        raise InvitationError(BAD_ACCOMMODATION)
    # Re-read the status under a lock: an assessment closed a moment ago takes no invitations.
    locked = Assessment.objects.select_for_update().only("status").get(pk=assessment.pk)
    status = locked.status
    if status != Assessment.Status.PUBLISHED:
        label = str(Assessment.Status(status).label).lower()
        raise InvitationError(NOT_PUBLISHED % {"title": assessment.title, "status": label})
    if candidate.organization_id != assessment.organization_id:
        raise InvitationError(WRONG_ORGANIZATION)
    already = str(ALREADY_INVITED)
    live = Invitation.objects.filter(candidate=candidate, assessment=assessment).exclude(
        status=Status.REVOKED
    )
    if live.exists():
        raise InvitationError(already)
    try:
        # The savepoint keeps the outer transaction usable if a concurrent request
        # won the race; the constraint recruiting_invitation_one_live_per_assessment decides.
        with transaction.atomic():
            invitation = Invitation.objects.create(
                candidate=candidate,
                assessment=assessment,
                source=source,
                expires_at=now + timedelta(days=expires_in_days),
                extra_time_percent=extra_time_percent,
                created_by=by,
            )
    except IntegrityError as error:
        raise InvitationError(already) from error
    candidate_mark_invited(candidate=candidate, by=by)
    if send:
        invitation_send(invitation=invitation)
    return invitation


@dataclass
class InviteReport:
    """What a bulk invitation did: who was invited, who was skipped and why."""

    invited: list[Invitation] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (who, why)
    created_candidates: int = 0


def _candidate_for_email(
    *, organization: Organization, name: str, email: str, by=None
) -> tuple[Candidate, bool]:
    """The organisation's candidate with this email (any capitalisation), created if new."""
    email = email.strip()
    existing = Candidate.objects.for_organization(organization).filter(email__iexact=email)
    candidate = existing.first()
    if candidate is not None:
        return candidate, False
    try:
        candidate = candidate_create(
            organization=organization, name=name.strip() or email, email=email, tags=[], by=by
        )
    except CandidateError:
        # Someone added the same person a moment ago: use theirs.
        return existing.get(), False
    return candidate, True


def invitation_create_many(
    *,
    assessment: Assessment,
    candidates: list[Candidate],
    new_people: list[tuple[str, str]],
    expires_in_days: int,
    extra_time_percent: int,
    by=None,
) -> InviteReport:
    """Invite existing candidates and new people ("name", "email") to one assessment.

    Each invitation is its own transaction: one candidate who is already
    invited is skipped (and reported) without undoing the others.
    """
    report = InviteReport()
    seen: set[int] = set()
    people = list(candidates)
    for name, email in new_people:
        candidate, created = _candidate_for_email(
            organization=assessment.organization, name=name, email=email, by=by
        )
        report.created_candidates += int(created)
        people.append(candidate)
    for candidate in people:
        if candidate.pk in seen:
            continue
        seen.add(candidate.pk)
        try:
            invitation = invitation_create(
                assessment=assessment,
                candidate=candidate,
                expires_in_days=expires_in_days,
                extra_time_percent=extra_time_percent,
                by=by,
            )
        except InvitationError as error:
            report.skipped.append((str(candidate), error.message))
        else:
            report.invited.append(invitation)
    return report


@transaction.atomic
def invitation_send(*, invitation: Invitation) -> int:
    """Ask for one more invitation email; returns its send number N.

    The count goes up under a row lock so two resends get two different
    numbers; the task is queued only after the commit, so it never looks for a
    row (or a count) that is not there yet.
    """
    from recruiting.tasks import send_invitation_task

    locked = _lock(invitation)
    if locked.status not in WAITING:
        raise InvitationError(CANNOT_RESEND % {"status": _status_label(locked.status)})
    if locked.is_expired:
        raise InvitationError(RESEND_EXPIRED)
    locked.send_count += 1
    if locked.status == Status.PENDING:
        locked.status = Status.SENT
    locked.save(update_fields=["send_count", "status"])
    _copy_state(invitation, locked, ["send_count", "status"])
    number = locked.send_count
    transaction.on_commit(lambda: send_invitation_task.enqueue(locked.pk, number))
    return number


def invitation_resend(*, invitation: Invitation, by=None) -> int:
    """A recruiter's resend: the same link again (pending, sent or opened, not expired)."""
    return invitation_send(invitation=invitation)


def invitation_email_context(invitation: Invitation) -> dict:
    assessment = invitation.assessment
    return {
        "candidate_name": invitation.candidate.name,
        "organization": assessment.organization.name,
        "assessment_title": assessment.title,
        "time_limit_minutes": assessment.time_limit_minutes,
        "extra_time_percent": invitation.extra_time_percent,
        "minutes_allowed": minutes_allowed(
            time_limit_minutes=assessment.time_limit_minutes,
            extra_time_percent=invitation.extra_time_percent,
        ),
        "expires_at": invitation.expires_at,
        "link": settings.SITE_URL + invitation.get_absolute_url(),
    }


def invitation_deliver(*, invitation_id: int, send_number: int, now=None) -> bool:
    """Deliver send number `send_number` of an invitation email, at most once.

    Runs in the worker. The row lock is held while the email goes out so a
    replayed or recovered copy of the same task waits, then sees
    delivered_count >= N and does nothing. A revoked, expired, started or
    completed invitation gets no email. Returns whether an email was sent.
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
        if invitation is None or invitation.delivered_count >= send_number:
            return False
        if invitation.status not in WAITING or invitation.is_expired:
            return False
        invitation = Invitation.objects.select_related("candidate", "assessment__organization").get(
            pk=invitation_id
        )
        email_deliver(
            to=invitation.candidate.email,
            name="invitation",
            context=invitation_email_context(invitation),
        )
        invitation.delivered_count = send_number
        invitation.sent_at = now or timezone.now()
        invitation.save(update_fields=["delivered_count", "sent_at"])
    return True


@transaction.atomic
def invitation_extend(*, invitation: Invitation, days: int, by=None, now=None) -> Invitation:
    """Push the expiry back by `days`; an expired, unstarted invitation comes back to life.

    The new expiry counts from the later of the old expiry and now, so an
    expired link gets `days` of real time. The reminder is re-armed for the new
    expiry.
    """
    now = now or timezone.now()
    if not EXPIRY_DAYS_MIN <= days <= EXPIRY_DAYS_MAX:
        raise InvitationError(BAD_EXTENSION % {"min": EXPIRY_DAYS_MIN, "max": EXPIRY_DAYS_MAX})
    locked = _lock(invitation)
    if locked.status not in (*WAITING, Status.EXPIRED):
        raise InvitationError(CANNOT_EXTEND % {"status": _status_label(locked.status)})
    if locked.status == Status.EXPIRED:
        # A stored "expired" goes back to where the candidate was.
        if locked.opened_at:
            locked.status = Status.OPENED
        elif locked.send_count:
            locked.status = Status.SENT
        else:
            locked.status = Status.PENDING
    locked.expires_at = max(locked.expires_at, now) + timedelta(days=days)
    locked.reminder_sent_at = None
    locked.save(update_fields=["status", "expires_at", "reminder_sent_at"])
    _copy_state(invitation, locked, ["status", "expires_at", "reminder_sent_at"])
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by=None, now=None) -> Invitation:
    """Make the link useless. A submitted attempt cannot be revoked (its results stay)."""
    locked = _lock(invitation)
    if locked.status in (Status.REVOKED, Status.COMPLETED):
        raise InvitationError(CANNOT_REVOKE % {"status": _status_label(locked.status)})
    locked.status = Status.REVOKED
    locked.revoked_at = now or timezone.now()
    locked.save(update_fields=["status", "revoked_at"])
    _copy_state(invitation, locked, ["status", "revoked_at"])
    logger.info("Invitation %s revoked by %s", locked.code, by)
    return invitation


def invitation_open(*, invitation: Invitation, now=None) -> bool:
    """Record the candidate's first view of the landing page; returns whether this was it.

    One conditional UPDATE, so two tabs opened at once record one opening.
    """
    now = now or timezone.now()
    updated = Invitation.objects.filter(
        pk=invitation.pk, status__in=(Status.PENDING, Status.SENT), expires_at__gt=now
    ).update(status=Status.OPENED, opened_at=now)
    if updated:
        invitation.status = Status.OPENED
        invitation.opened_at = now
    return bool(updated)


@dataclass
class PublicEntry:
    invitation: Invitation | None
    created: bool
    error: str = ""


@transaction.atomic
def invitation_from_public_link(
    *, assessment: Assessment, name: str, email: str, now=None
) -> PublicEntry:
    """One invitation per email per assessment through its public link.

    The same email gets the same invitation back (whatever its state, so a
    revoked or submitted one stays that way). An email that already holds a
    recruiter's private invitation is told to use it: the public form never
    hands out a private link. No email is sent; the candidate goes straight to
    the landing page.
    """
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.public_link_enabled or locked.status != Assessment.Status.PUBLISHED:
        raise InvitationError(PUBLIC_LINK_CLOSED)
    candidate, _created = _candidate_for_email(
        organization=locked.organization, name=name, email=email
    )
    previous = (
        Invitation.objects.filter(candidate=candidate, assessment=locked)
        .order_by("-created_at", "-pk")
        .first()
    )
    if previous is not None:
        if previous.source != Invitation.Source.PUBLIC_LINK:
            return PublicEntry(invitation=None, created=False, error=str(PRIVATELY_INVITED))
        return PublicEntry(invitation=previous, created=False)
    invitation = invitation_create(
        assessment=locked,
        candidate=candidate,
        expires_in_days=PUBLIC_LINK_EXPIRY_DAYS,
        source=Invitation.Source.PUBLIC_LINK,
        send=False,
        now=now,
    )
    return PublicEntry(invitation=invitation, created=True)


def reminders_due(*, now=None):
    """Invitations waiting for a candidate who has not started, expiring within 48 hours."""
    now = now or timezone.now()
    return Invitation.objects.filter(
        status__in=(Status.SENT, Status.OPENED),
        started_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + REMINDER_WINDOW,
        reminder_sent_at__isnull=True,
    )


def invitation_send_reminders(*, now=None) -> int:
    """Send one reminder per due invitation; returns how many went out.

    Each invitation is claimed with a conditional UPDATE (reminder_sent_at
    null → now) before its email goes out, so two runs at once, or a run
    retried after a crash, never remind anyone twice. If delivery fails the
    claim is released so the next run tries again.
    """
    now = now or timezone.now()
    sent = 0
    # The index recruiting_inv_expiry_idx (status, expires_at) serves this scan.
    for pk in list(reminders_due(now=now).values_list("pk", flat=True)):
        claimed = reminders_due(now=now).filter(pk=pk).update(reminder_sent_at=now)
        if not claimed:
            continue
        invitation = Invitation.objects.select_related("candidate", "assessment__organization").get(
            pk=pk
        )
        try:
            email_deliver(
                to=invitation.candidate.email,
                name="reminder",
                context=invitation_email_context(invitation),
            )
        except Exception:
            Invitation.objects.filter(pk=pk, reminder_sent_at=now).update(reminder_sent_at=None)
            logger.exception("Reminder for invitation %s failed; it will be retried", pk)
            continue
        sent += 1
    return sent
