"""Candidate attempts: start, autosave, flag, submit, and finalising when time is up.

The server's clock is the only clock: the deadline is computed at start, and
answers are accepted until `deadline + GRACE` so a save sent in the last
second still lands; later saves are refused with a clear message.
"""

import functools
import hashlib
import math
import random
import secrets
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from recruiting.models import Invitation, Stage
from recruiting.services.candidates import candidate_set_stage

from .builder import draw_plan
from .models import (
    Assessment,
    Attempt,
    AttemptQuestion,
    Choice,
    IntegrityEvent,
    Question,
    Response,
)
from .scoring import attempt_score
from .statistics import statistics_schedule

# Saves that reach the server up to this long after the deadline are kept: the
# page submits itself at the deadline, and its last autosave is in flight.
GRACE = timedelta(seconds=5)
MAX_ANSWER_CHARS = 20_000
MAX_CHOICES_PICKED = 50

ALREADY_SUBMITTED = _("This assessment has already been submitted; no more changes are saved.")
TIME_UP = _("Time is up: answers sent after the deadline are not saved.")
NOT_STARTABLE = _("This link can no longer be used to start the assessment.")
NOT_STARTED = _("This assessment has not been started yet: press Start on its page first.")
ANSWER_TOO_LONG = _("This answer is too long to save (limit: 20,000 characters).")
BAD_ANSWER = _("This answer could not be read; please try again.")


class AttemptError(Exception):
    """The attempt cannot do what was asked; the message is for the candidate."""


def device_fingerprint(user_agent: str) -> str:
    """A short stable label for a browser, to notice a switch of device (not to track)."""
    return hashlib.sha256((user_agent or "").encode("utf-8", "replace")).hexdigest()[:16]


def attempt_deadline(*, assessment: Assessment, invitation: Invitation, started_at):
    minutes = assessment.time_limit_minutes * (100 + invitation.extra_time_percent) / 100
    return started_at + timedelta(minutes=math.ceil(minutes))


def _choice_order(choice_ids: list[int], question_type: str, rng, shuffle: bool) -> list[str]:
    ids = [str(pk) for pk in choice_ids]
    # True/false stays in its natural order: shuffled it only confuses.
    if shuffle and question_type != Question.Type.TRUE_FALSE:
        rng.shuffle(ids)
    return ids


@dataclass
class StartResult:
    attempt: Attempt
    created: bool


STARTABLE = (Invitation.Status.PENDING, Invitation.Status.SENT, Invitation.Status.OPENED)


def attempt_prepare(*, invitation: Invitation, now=None) -> Attempt:
    """Draw the invitation's questions ahead of Start: the attempt, its items, empty answers.

    Called when the candidate opens the link. Drawing reads the question pool
    and writes a dozen rows; done here, it happens while the candidate reads
    the instructions, and Start (see attempt_start) only starts the clock. A
    prepared attempt accepts no answers and is nobody's result. Returns the
    invitation's attempt, whatever its state; safe to call twice at once (the
    one-to-one key keeps the first).
    """
    existing = Attempt.objects.filter(invitation_id=invitation.pk).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    seed = secrets.randbits(48)
    # The draw only reads, so it runs before the transaction: on SQLite a write
    # transaction holds the database's one write lock.
    drawn = draw_plan(assessment=invitation.assessment, seed=seed)
    choices = defaultdict(list)
    for question_id, choice_id in Choice.objects.filter(
        question_id__in=[entry.question_id for entry in drawn]
    ).values_list("question_id", "pk"):
        choices[question_id].append(choice_id)
    rng = random.Random(seed)
    shuffle = invitation.assessment.shuffle_choices
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                invitation=invitation,
                assessment_id=invitation.assessment_id,
                seed=seed,
                state=Attempt.State.PREPARED,
            )
            items = AttemptQuestion.objects.bulk_create(
                AttemptQuestion(
                    attempt=attempt,
                    position=position,
                    section=entry.section,
                    question_id=entry.question_id,
                    choice_order=_choice_order(
                        choices[entry.question_id], entry.question_type, rng, shuffle
                    ),
                )
                for position, entry in enumerate(drawn, start=1)
            )
            Response.objects.bulk_create(Response(item=item) for item in items)
            # From now on these versions are what this candidate sees: they never change.
            Question.objects.filter(
                pk__in=[entry.question_id for entry in drawn], locked_at__isnull=True
            ).update(locked_at=now)
    except IntegrityError:
        return Attempt.objects.get(invitation_id=invitation.pk)
    return attempt


def attempt_start(*, invitation: Invitation, now=None, ip=None, user_agent="") -> StartResult:
    """Start the invitation's attempt (drawing it first if the link was never opened).

    Returns the attempt already started, if any. Safe to call twice at once
    (two tabs, a double click): the invitation row is locked, and only the
    request whose update moves the attempt out of "prepared" starts it. With
    the draw done when the link was opened, this is two small updates, which
    is what lets a whole cohort press Start at 9:00 at once.
    """
    now = now or timezone.now()
    attempt = Attempt.objects.filter(invitation_id=invitation.pk).first()
    if attempt is not None and attempt.state != Attempt.State.PREPARED:
        return StartResult(attempt=attempt, created=False)
    if invitation.effective_status not in STARTABLE:
        raise AttemptError(NOT_STARTABLE)
    if attempt is None:
        attempt = attempt_prepare(invitation=invitation, now=now)
    device = device_fingerprint(user_agent)
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("assessment")
            .only(
                "status",
                "expires_at",
                "extra_time_percent",
                "opened_at",
                "assessment__status",
                "assessment__time_limit_minutes",
            )
            .get(pk=invitation.pk)
        )
        assessment = locked.assessment
        if locked.effective_status not in STARTABLE:
            started = Attempt.objects.filter(pk=attempt.pk).exclude(state=Attempt.State.PREPARED)
            if started.exists():
                attempt.refresh_from_db()
                return StartResult(attempt=attempt, created=False)
            raise AttemptError(NOT_STARTABLE)
        if assessment.status != Assessment.Status.PUBLISHED:
            raise AttemptError(NOT_STARTABLE)
        clock = {
            "state": Attempt.State.IN_PROGRESS,
            "started_at": now,
            "deadline": attempt_deadline(assessment=assessment, invitation=locked, started_at=now),
            "start_ip": ip,
            "start_device": device,
            "last_ip": ip,
            "last_device": device,
        }
        if not Attempt.objects.filter(pk=attempt.pk, state=Attempt.State.PREPARED).update(**clock):
            attempt.refresh_from_db()
            return StartResult(attempt=attempt, created=False)
        locked.status = Invitation.Status.STARTED
        locked.started_at = now
        locked.opened_at = locked.opened_at or now
        locked.save(update_fields=["status", "started_at", "opened_at"])
    for name, value in clock.items():
        setattr(attempt, name, value)
    return StartResult(attempt=attempt, created=True)


def attempt_note_access(*, attempt: Attempt, ip=None, user_agent="", now=None) -> None:
    """Record a switch of device or network address, once per switch."""
    device = device_fingerprint(user_agent)
    events = []
    now = now or timezone.now()
    if device != attempt.last_device:
        events.append(IntegrityEvent(attempt=attempt, kind="new_device", occurred_at=now))
    if ip and attempt.last_ip and ip != attempt.last_ip:
        events.append(IntegrityEvent(attempt=attempt, kind="ip_change", occurred_at=now, detail=ip))
    if events:
        IntegrityEvent.objects.bulk_create(events)
        Attempt.objects.filter(pk=attempt.pk).update(last_device=device, last_ip=ip)
        attempt.last_device, attempt.last_ip = device, ip


def is_overdue(attempt: Attempt, now) -> bool:
    return attempt.is_open and now > attempt.deadline + GRACE


def attempt_finalise_if_due(*, attempt: Attempt, now=None) -> Attempt:
    """Submit an attempt whose time (plus grace) has run out; otherwise leave it."""
    now = now or timezone.now()
    if is_overdue(attempt, now):
        return attempt_submit(attempt=attempt, now=now, finished_by=Attempt.Finish.TIME_UP)
    return attempt


def _clean_answer(question_type: str, answer):
    """The answer in the shape its grader expects, or AttemptError for nonsense."""
    if answer is None:
        return None
    if question_type == Question.Type.MULTIPLE_CHOICE:
        if not isinstance(answer, list) or len(answer) > MAX_CHOICES_PICKED:
            raise AttemptError(BAD_ANSWER)
        return sorted({str(item)[:40] for item in answer})
    if question_type in (Question.Type.SINGLE_CHOICE, Question.Type.TRUE_FALSE):
        if not isinstance(answer, str | int) or len(str(answer)) > 40:
            raise AttemptError(BAD_ANSWER)
        return str(answer)
    if isinstance(answer, int | float) and not isinstance(answer, bool):
        answer = str(answer)
    if not isinstance(answer, str):
        raise AttemptError(BAD_ANSWER)
    if len(answer) > MAX_ANSWER_CHARS:
        raise AttemptError(ANSWER_TOO_LONG)
    return answer.replace("\x00", "")


@dataclass
class SaveResult:
    saved: bool  # False: an equal or newer revision was already stored
    revision: int


def response_save(
    *, attempt: Attempt, item: AttemptQuestion, answer, revision: int, seconds=0, now=None
) -> SaveResult:
    """Keep `answer` if `revision` is newer than what is stored; one conditional UPDATE.

    Raises AttemptError when the attempt is submitted or past its deadline
    plus grace (and then finalises it).
    """
    now = now or timezone.now()
    _require_open(attempt)
    if is_overdue(attempt, now):
        attempt_submit(attempt=attempt, now=now, finished_by=Attempt.Finish.TIME_UP)
        raise AttemptError(TIME_UP)
    cleaned = _clean_answer(item.question.type, answer)
    updated = _store_answer(
        item_id=item.pk,
        attempt_id=item.attempt_id,
        answer=cleaned,
        revision=revision,
        now=now,
        seconds=max(0, min(int(seconds or 0), 3600)),
    )
    return SaveResult(saved=bool(updated), revision=revision)


# (token, position) -> the item a save goes to, per process. What an item
# points at never changes once its attempt has started, and the update checks
# the attempt's state and deadline itself, so a remembered item is safe: a
# save to an attempt submitted meanwhile updates nothing and takes the full
# path below. Saves of a remembered item are one statement instead of two
# (the PostgreSQL bench: each round trip waits for a busy server).
_TARGETS: dict[tuple[str, int], AttemptQuestion] = {}
_TARGETS_LOCK = threading.Lock()
TARGETS_KEPT = 20_000


def answer_save(
    *, token: str, position: int, answer, revision: int, seconds=0, now=None
) -> SaveResult | None:
    """The autosave endpoint: store an answer by link token and position.

    None when the token has no such question. Raises AttemptError as
    response_save does.
    """
    now = now or timezone.now()
    save = functools.partial(
        response_save, answer=answer, revision=revision, seconds=seconds, now=now
    )
    key = (token, position)
    item = _TARGETS.get(key)
    if item is not None and not is_overdue(item.attempt, now):
        result = save(attempt=item.attempt, item=item)
        if result.saved:
            return result
        # Stale, or the attempt closed: the full path below tells which.
        with _TARGETS_LOCK:
            _TARGETS.pop(key, None)
    item = save_target(token=token, position=position)
    if item is None:
        return None
    result = save(attempt=item.attempt, item=item)
    with _TARGETS_LOCK:  # runserver and threaded workers share the dict
        if len(_TARGETS) >= TARGETS_KEPT:
            _TARGETS.pop(next(iter(_TARGETS)))  # the oldest
        _TARGETS[key] = item
    return result


# Autosave is the request a cohort sends most, every few seconds each. Its two
# statements are built once per process: building them with the ORM on every
# save cost more CPU than the rest of the request (make bench). The lookup is
# the ORM's own SQL and the update names the models' table and columns.
SAVE_TARGET_COLUMNS = (
    "pk",
    "attempt_id",
    "question_id",
    "attempt__invitation_id",
    "attempt__state",
    "attempt__started_at",
    "attempt__deadline",
    "question__type",
)
STORED_COLUMNS = ("answer", "revision", "saved_at", "seconds_spent", "item")
ATTEMPT_COLUMNS = ("id", "state", "deadline")


@functools.cache
def _save_target_sql() -> str:
    sql, params = (
        AttemptQuestion.objects.filter(attempt__invitation__token="?token", position=32767)
        .order_by()
        .values_list(*SAVE_TARGET_COLUMNS)[:1]
        .query.sql_with_params()
    )
    if list(params) != ["?token", 32767]:  # the two values bound at each save, in this order
        raise ImproperlyConfigured(f"Unexpected autosave lookup parameters: {params!r}")
    return sql


def save_target(*, token: str, position: int) -> AttemptQuestion | None:
    """The item a save goes to, with its attempt's state and clock and its question's type.

    One indexed lookup by token and position. The attempt and question come
    as instances with every other field deferred, as `.only()` would give.
    """
    with connection.cursor() as cursor:
        cursor.execute(_save_target_sql(), [token, position])
        row = cursor.fetchone()
    if row is None:
        return None
    item_id, attempt_id, question_id, invitation_id, state, started_at, deadline, kind = row
    db = connection.alias
    attempt = Attempt.from_db(
        db,
        ["id", "invitation_id", "state", "started_at", "deadline"],
        [attempt_id, invitation_id, state, _db_datetime(started_at), _db_datetime(deadline)],
    )
    question = Question.from_db(db, ["id", "type"], [question_id, kind])
    item = AttemptQuestion.from_db(
        db,
        ["id", "attempt_id", "position", "question_id"],
        [item_id, attempt_id, position, question_id],
    )
    item.attempt, item.question = attempt, question
    return item


def _db_datetime(value):
    """A datetime column read by a plain cursor, as the ORM would give it.

    PostgreSQL gives an aware datetime; SQLite stores UTC without an offset
    and gives it naive (or as text).
    """
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


@functools.cache
def _store_answer_sql() -> str:
    quote = connection.ops.quote_name
    column = {name: quote(Response._meta.get_field(name).column) for name in STORED_COLUMNS}
    attempt = {name: quote(Attempt._meta.get_field(name).column) for name in ATTEMPT_COLUMNS}
    return (
        f"UPDATE {quote(Response._meta.db_table)} SET {column['answer']} = %s, "
        f"{column['revision']} = %s, {column['saved_at']} = %s, "
        f"{column['seconds_spent']} = {column['seconds_spent']} + %s "
        f"WHERE {column['item']} = %s AND {column['revision']} < %s "
        f"AND EXISTS (SELECT 1 FROM {quote(Attempt._meta.db_table)} "
        f"WHERE {attempt['id']} = %s AND {attempt['state']} = %s AND {attempt['deadline']} >= %s)"
    )


def _store_answer(
    *, item_id: int, attempt_id: int, answer, revision: int, now, seconds: int
) -> int:
    """Store the answer unless an equal or newer revision is there or the attempt closed.

    Returns the rows updated (0 or 1).
    """
    fields = Response._meta
    deadline = Attempt._meta.get_field("deadline")
    params = [
        fields.get_field("answer").get_db_prep_save(answer, connection),
        revision,
        fields.get_field("saved_at").get_db_prep_save(now, connection),
        seconds,
        item_id,
        revision,
        attempt_id,
        Attempt.State.IN_PROGRESS.value,
        # Open until deadline + GRACE: the deadline must be at least now - GRACE.
        deadline.get_db_prep_save(now - GRACE, connection),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_store_answer_sql(), params)
        return cursor.rowcount


def _require_open(attempt: Attempt) -> None:
    if attempt.state == Attempt.State.PREPARED:
        raise AttemptError(NOT_STARTED)
    if not attempt.is_open:
        raise AttemptError(ALREADY_SUBMITTED)


def item_flag(*, attempt: Attempt, item: AttemptQuestion, flagged: bool) -> None:
    _require_open(attempt)
    AttemptQuestion.objects.filter(pk=item.pk).update(flagged=flagged)


def attempt_submit(*, attempt: Attempt, now=None, finished_by=Attempt.Finish.CANDIDATE) -> Attempt:
    """Close the attempt, grade it and mark the invitation completed. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("invitation__candidate")
            .get(pk=attempt.pk)
        )
        if not locked.is_open:
            return locked
        locked.state = Attempt.State.SUBMITTED
        locked.submitted_at = min(now, locked.deadline + GRACE)
        locked.finished_by = finished_by
        locked.save(update_fields=["state", "submitted_at", "finished_by"])
        invitation = locked.invitation
        Invitation.objects.filter(pk=invitation.pk).update(
            status=Invitation.Status.COMPLETED, completed_at=locked.submitted_at
        )
        candidate = invitation.candidate
        if candidate.stage in (Stage.NEW, Stage.INVITED):
            candidate_set_stage(candidate=candidate, stage=Stage.ASSESSED, by=None, now=now)
        scored = attempt_score(attempt=locked)
        assessment = scored.invitation.assessment  # loaded by attempt_score: no query
        transaction.on_commit(lambda: statistics_schedule(assessment=assessment), robust=True)
    attempt.state = scored.state
    return scored


def attempts_finalise_overdue(*, now=None, limit: int = 500) -> int:
    """Submit every attempt past its deadline plus grace; returns how many."""
    now = now or timezone.now()
    due = Attempt.objects.filter(
        state=Attempt.State.IN_PROGRESS, deadline__lt=now - GRACE
    ).order_by("deadline")[:limit]
    count = 0
    for attempt in due:
        attempt_submit(attempt=attempt, now=now, finished_by=Attempt.Finish.TIME_UP)
        count += 1
    return count


def prepared_draws_discard(*, now=None, limit: int = 1000) -> int:
    """Delete the draws of links that can no longer start; returns how many.

    A link opened but never started keeps its prepared attempt (a dozen rows)
    until the link expires or is revoked, or its assessment closes.
    """
    now = now or timezone.now()
    dead = list(
        Attempt.objects.filter(state=Attempt.State.PREPARED)
        .filter(
            Q(invitation__expires_at__lte=now)
            | Q(invitation__status=Invitation.Status.REVOKED)
            | ~Q(assessment__status=Assessment.Status.PUBLISHED)
        )
        .values_list("pk", flat=True)[:limit]
    )
    if dead:
        Attempt.objects.filter(pk__in=dead, state=Attempt.State.PREPARED).delete()
    return len(dead)


def _bounded(value, cap: int) -> int | None:
    try:
        return max(0, min(int(value), cap))
    except (TypeError, ValueError):
        return None


def integrity_record(
    *, attempt: Attempt, kind: str, position=None, duration_ms=None, length=None, now=None
) -> bool:
    """Record a signal from the candidate's browser; False once the attempt is closed.

    Numbers come from the browser, so they are clamped rather than trusted.
    """
    if not attempt.is_open:
        return False
    IntegrityEvent.objects.create(
        attempt=attempt,
        kind=kind,
        occurred_at=now or timezone.now(),
        position=_bounded(position, 1000),
        duration_ms=_bounded(duration_ms, 24 * 3600 * 1000),
        length=_bounded(length, 10_000_000),
    )
    return True
