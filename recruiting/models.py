import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    """An unguessable link token: 32 random bytes (256 bits), URL-safe."""
    return secrets.token_urlsafe(32)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: staff curators and recruiters. Email is the login."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Staff can log in to the admin to curate the role library and question bank."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ("email", "pk")

    def __str__(self):
        return self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name.split(" ")[0] if self.full_name else "") or self.email


class Organization(models.Model):
    """A hiring team. Everything a recruiter sees belongs to one organisation."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name", "pk")

    def __str__(self):
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        RECRUITER = "recruiter", _("Recruiter")
        REVIEWER = "reviewer", _("Reviewer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role, default=Role.RECRUITER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("organization", "created_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("user", "organization"), name="recruiting_membership_once_per_org"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["owner", "recruiter", "reviewer"]),
                name="recruiting_membership_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) in {self.organization}"

    @property
    def can_edit(self) -> bool:
        """Owners and recruiters change assessments, candidates and invitations."""
        return self.role in (self.Role.OWNER, self.Role.RECRUITER)

    @property
    def is_owner(self) -> bool:
        return self.role == self.Role.OWNER


def _team_invitation_expiry():
    return timezone.now() + timedelta(days=7)


class TeamInvitation(models.Model):
    """An owner's invitation for someone to join the organisation with a role."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="team_invitations"
    )
    email = models.EmailField()
    role = models.CharField(
        max_length=20, choices=Membership.Role, default=Membership.Role.RECRUITER
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_team_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self):
        return f"{self.email} to {self.organization}"

    def get_absolute_url(self):
        return reverse("recruiting:team-accept", args=[self.token])

    @property
    def is_open(self) -> bool:
        return not self.accepted_at and not self.revoked_at and self.expires_at > timezone.now()


class CandidateQuerySet(models.QuerySet):
    def for_organization(self, organization):
        return self.filter(organization=organization)

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(email__icontains=text))


class Stage(models.TextChoices):
    """Where a candidate is in an organisation's hiring pipeline."""

    NEW = "new", _("New")
    INVITED = "invited", _("Invited")
    ASSESSED = "assessed", _("Assessed")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    REJECTED = "rejected", _("Rejected")
    HIRED = "hired", _("Hired")


class Candidate(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="candidates"
    )
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    email = models.EmailField()
    tags = models.JSONField(default=list, blank=True)
    stage = models.CharField(max_length=20, choices=Stage, default=Stage.NEW)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            # One candidate per email in an organisation, whatever the capitalisation.
            models.UniqueConstraint(
                "organization", Lower("email"), name="recruiting_candidate_email_per_org"
            ),
            models.CheckConstraint(
                condition=Q(
                    stage__in=["new", "invited", "assessed", "shortlisted", "rejected", "hired"]
                ),
                name="recruiting_candidate_stage_valid",
            ),
        ]
        indexes = [
            # The candidate list: newest first within an organisation, filtered by stage.
            models.Index(
                fields=("organization", "stage", "-created_at"), name="recruiting_cand_list_idx"
            ),
            # The unfiltered candidate list: the first page read in order, no sort.
            models.Index(
                fields=("organization", "-created_at", "-id"), name="recruiting_cand_newest_idx"
            ),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    def get_absolute_url(self):
        return reverse("recruiting:candidate-detail", args=[self.code])


class StageChange(models.Model):
    """Audit trail: who moved a candidate between pipeline stages, and when."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=Stage)
    to_stage = models.CharField(max_length=20, choices=Stage)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-changed_at", "-pk")

    def __str__(self):
        return f"{self.candidate}: {self.from_stage} → {self.to_stage}"


class Note(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self):
        return self.body[:60]


class InvitationQuerySet(models.QuerySet):
    def for_organization(self, organization):
        return self.filter(assessment__organization=organization)


class Invitation(models.Model):
    """One candidate's private link to one assessment."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        OPENED = "opened", _("Opened")
        STARTED = "started", _("Started")
        COMPLETED = "completed", _("Completed")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    class Source(models.TextChoices):
        RECRUITER = "recruiter", _("Invited by a recruiter")
        PUBLIC_LINK = "public_link", _("Public link")

    ACCOMMODATIONS = (
        (0, _("None")),
        (25, _("+25% time")),
        (50, _("+50% time")),
        (100, _("Double time")),
    )

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="invitations")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="invitations"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    source = models.CharField(max_length=20, choices=Source, default=Source.RECRUITER)
    expires_at = models.DateTimeField()
    extra_time_percent = models.PositiveSmallIntegerField(
        choices=ACCOMMODATIONS,
        default=0,
        help_text=_("Extra time for an accommodation, as a percentage of the time limit."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # send_count: emails asked for (first send and resends); delivered_count: emails
    # actually handed to the mail server. A task delivers send number N only once.
    send_count = models.PositiveSmallIntegerField(default=0)
    delivered_count = models.PositiveSmallIntegerField(default=0)
    opened_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            # A candidate holds one live invitation per assessment; a revoked one can be replaced.
            models.UniqueConstraint(
                fields=("candidate", "assessment"),
                condition=~Q(status="revoked"),
                name="recruiting_invitation_one_live_per_assessment",
            ),
            models.CheckConstraint(
                condition=Q(extra_time_percent__gte=0, extra_time_percent__lte=200),
                name="recruiting_invitation_extra_time_range",
            ),
        ]
        indexes = [
            # Reminders and the dashboard: open invitations by expiry.
            models.Index(fields=("status", "expires_at"), name="recruiting_inv_expiry_idx"),
            # The dashboard's recent completions.
            models.Index(fields=("status", "-completed_at"), name="recruiting_inv_completed_idx"),
            # The dashboard's invitations by status: counted from the index alone.
            models.Index(fields=("assessment", "status"), name="recruiting_inv_status_idx"),
        ]

    def __str__(self):
        return f"{self.candidate} → {self.assessment}"

    def get_absolute_url(self):
        return reverse("candidate:landing", args=[self.token])

    @property
    def is_expired(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.SENT, self.Status.OPENED) and (
            self.expires_at <= timezone.now()
        )

    @property
    def effective_status(self) -> str:
        """The status as the candidate experiences it now (expiry applies without a write)."""
        return self.Status.EXPIRED if self.is_expired else self.status
