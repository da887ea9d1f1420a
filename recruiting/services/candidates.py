"""Writes for candidates: creation and import, stages (with their audit trail) and notes."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from recruiting.models import Candidate, Note, Organization, Stage, StageChange

# Limits shared by the add/edit form and the CSV import, so both refuse the same input.
NAME_MAX_LENGTH = Candidate._meta.get_field("name").max_length
EMAIL_MAX_LENGTH = 254
TAG_MAX_LENGTH = 40
TAGS_MAX = 20
NOTE_MAX_LENGTH = 5000

DUPLICATE_EMAIL = gettext_lazy(
    "A candidate with this email address is already in your organisation."
)
NOTE_EMPTY = gettext_lazy("A note needs some text.")
NOTE_TOO_LONG = gettext_lazy("A note can be at most 5,000 characters.")
NAME_MISSING = gettext_lazy("The name is missing.")
EMAIL_MISSING = gettext_lazy("The email address is missing.")


class CandidateError(Exception):
    """A candidate write refused for a reason the user can fix; str() is the message."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


def tags_normalize(values: Iterable[str]) -> list[str]:
    """Trimmed, lower-cased, unique tags in their first-seen order; blanks dropped."""
    seen: list[str] = []
    for value in values:
        tag = " ".join(str(value).split()).lower()
        if tag and tag not in seen:
            seen.append(tag)
    return seen


def tags_problem(tags: Sequence[str]) -> str | None:
    """Why a normalised tag list is refused, or None when it is fine."""
    for tag in tags:
        if len(tag) > TAG_MAX_LENGTH:
            return _("The tag “%(tag)s…” is longer than %(max)d characters.") % {
                "tag": tag[:TAG_MAX_LENGTH],
                "max": TAG_MAX_LENGTH,
            }
    if len(tags) > TAGS_MAX:
        return _("A candidate can have at most %(max)d tags.") % {"max": TAGS_MAX}
    return None


def _lock_organization(organization: Organization) -> None:
    # Candidate writes of one organisation queue behind this row lock, so the
    # duplicate check and the insert that follows cannot interleave with another
    # writer's. The unique constraint on (organization, lower(email)) stays the
    # backstop for writers that skip the lock (the admin). SQLite ignores the row
    # lock; there the IMMEDIATE transactions of our settings serialise writers.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()


def _email_taken(organization, email: str, *, exclude=None) -> bool:
    queryset = Candidate.objects.for_organization(organization).filter(email__iexact=email)
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    return queryset.exists()


@transaction.atomic
def candidate_create(*, organization, name: str, email: str, tags: Iterable[str], by) -> Candidate:
    """Add a candidate at stage New.

    Raises CandidateError(field="email") when the email address (compared
    case-insensitively) is already used by a candidate of the organisation.
    """
    name, email, tags = name.strip(), email.strip(), tags_normalize(tags)
    _lock_organization(organization)
    if _email_taken(organization, email):
        raise CandidateError(DUPLICATE_EMAIL, field="email")
    try:
        with transaction.atomic():
            return Candidate.objects.create(
                organization=organization, name=name, email=email, tags=tags, created_by=by
            )
    except IntegrityError as error:
        raise CandidateError(DUPLICATE_EMAIL, field="email") from error


@transaction.atomic
def candidate_update(
    *, candidate: Candidate, name: str, email: str, tags: Iterable[str], by
) -> Candidate:
    """Change a candidate's name, email and tags; the same duplicate rule as creation."""
    name, email, tags = name.strip(), email.strip(), tags_normalize(tags)
    _lock_organization(candidate.organization)
    if _email_taken(candidate.organization, email, exclude=candidate):
        raise CandidateError(DUPLICATE_EMAIL, field="email")
    candidate.name, candidate.email, candidate.tags = name, email, tags
    try:
        with transaction.atomic():
            candidate.save(update_fields=["name", "email", "tags", "updated_at"])
    except IntegrityError as error:
        candidate.refresh_from_db(fields=["name", "email", "tags"])
        raise CandidateError(DUPLICATE_EMAIL, field="email") from error
    return candidate


@transaction.atomic
def candidate_set_stage(*, candidate: Candidate, stage: str, by=None, now=None) -> bool:
    """Move a candidate to `stage`, recording who did it; returns False when already there."""
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if locked.stage == stage:
        return False
    StageChange.objects.create(
        candidate=locked,
        from_stage=locked.stage,
        to_stage=stage,
        changed_by=by,
        changed_at=now or timezone.now(),
    )
    locked.stage = stage
    locked.save(update_fields=["stage", "updated_at"])
    candidate.stage = stage
    return True


@transaction.atomic
def candidate_bulk_set_stage(*, candidates: Iterable[Candidate], stage: str, by) -> int:
    """Move several candidates at once, each through `candidate_set_stage` (so each is
    audited); all or none. Returns how many actually changed stage."""
    return sum(candidate_set_stage(candidate=c, stage=stage, by=by) for c in candidates)


def candidate_mark_invited(*, candidate: Candidate, by=None) -> None:
    """A new candidate who gets an invitation moves to Invited; later stages stay."""
    if candidate.stage == Stage.NEW:
        candidate_set_stage(candidate=candidate, stage=Stage.INVITED, by=by)


def note_add(*, candidate: Candidate, author, body: str) -> Note:
    """Any member, reviewers included, may leave a note. Raises CandidateError when empty."""
    body = (body or "").strip()
    if not body:
        raise CandidateError(NOTE_EMPTY, field="body")
    if len(body) > NOTE_MAX_LENGTH:
        raise CandidateError(NOTE_TOO_LONG, field="body")
    return Note.objects.create(candidate=candidate, author=author, body=body)


# CSV import. The file is parsed by the form (recruiting.forms.candidates); the rows
# arrive here as dicts {"line", "name", "email", "tags"} and are checked twice: once
# for the preview, and again inside the confirming transaction, because the
# organisation may have gained candidates in between.


@dataclass
class ImportRow:
    line: int
    name: str
    email: str
    tags: list[str]
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def as_payload(self) -> dict:
        return {"line": self.line, "name": self.name, "email": self.email, "tags": self.tags}


@dataclass
class ImportResult:
    created: list[Candidate] = field(default_factory=list)
    skipped: list[ImportRow] = field(default_factory=list)


def _row_problem(row: ImportRow, existing: set[str]) -> str | None:
    if not row.name:
        return str(NAME_MISSING)
    if len(row.name) > NAME_MAX_LENGTH:
        return _("The name is longer than %(max)d characters.") % {"max": NAME_MAX_LENGTH}
    if not row.email:
        return str(EMAIL_MISSING)
    try:
        if len(row.email) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
        validate_email(row.email)
    except ValidationError:
        return _("“%(email)s” is not a valid email address.") % {"email": row.email[:80]}
    tag_problem = tags_problem(row.tags)
    if tag_problem:
        return tag_problem
    if row.email.lower() in existing:
        return str(DUPLICATE_EMAIL)
    return None


def candidate_import_check(*, organization, rows: Iterable[dict]) -> list[ImportRow]:
    """Every row with its problem (None: it would be created). One query; writes nothing."""
    checked = [
        ImportRow(
            line=int(row["line"]),
            name=str(row.get("name") or "").strip(),
            email=str(row.get("email") or "").strip(),
            tags=tags_normalize(row.get("tags") or []),
        )
        for row in rows
    ]
    emails = {row.email.lower() for row in checked if row.email}
    existing = set()
    if emails:
        # Lower() on both sides matches the unique constraint, whatever the stored case.
        existing = set(
            Candidate.objects.for_organization(organization)
            .annotate(email_lower=Lower("email"))
            .filter(email_lower__in=emails)
            .values_list("email_lower", flat=True)
        )
    # The first good row with an address wins; a later row repeating it is the duplicate.
    first_line_by_email: dict[str, int] = {}
    for row in checked:
        row.problem = _row_problem(row, existing)
        if row.ok:
            earlier = first_line_by_email.setdefault(row.email.lower(), row.line)
            if earlier != row.line:
                row.problem = _("Same email address as line %(line)d.") % {"line": earlier}
    return checked


@transaction.atomic
def candidate_import(*, organization, rows: Iterable[dict], by) -> ImportResult:
    """Create a candidate for each row that is still valid; skip (and report) the others.

    The rows are checked again here, under the organisation lock, so a candidate
    added since the preview is skipped as a duplicate rather than created twice.
    """
    _lock_organization(organization)
    checked = candidate_import_check(organization=organization, rows=rows)
    result = ImportResult(skipped=[row for row in checked if not row.ok])
    valid = [row for row in checked if row.ok]

    def build(row):
        return Candidate(
            organization=organization,
            name=row.name,
            email=row.email,
            tags=row.tags,
            created_by=by,
        )

    try:
        with transaction.atomic():
            result.created = Candidate.objects.bulk_create(
                [build(row) for row in valid], batch_size=500
            )
    except IntegrityError:
        # Someone slipped a candidate past the lock (see _lock_organization): fall back to
        # one savepoint per row so only the clashing rows are skipped.
        result.created = []
        for row in valid:
            try:
                with transaction.atomic():
                    candidate = build(row)
                    candidate.save()
                    result.created.append(candidate)
            except IntegrityError:
                row.problem = str(DUPLICATE_EMAIL)
                result.skipped.append(row)
        result.skipped.sort(key=lambda row: row.line)
    return result
