"""Candidate attempts: start, autosave, flag, submit, and finalising when time is up.

The server's clock is the only clock: the deadline is computed at start, and
answers are accepted until `deadline + GRACE` so a save sent in the last
second still lands; later saves are refused with a clear message.
"""

import hashlib
import math
import random
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from recruiting.models import Invitation, Stage
from recruiting.services.candidates import candidate_set_stage

from .builder import draw_questions
from .models import Assessment, Attempt, AttemptQuestion, IntegrityEvent, Question, Response
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


def _choice_order(question: Question, rng: random.Random, shuffle: bool) -> list[str]:
    ids = [str(choice.pk) for choice in question.choices.all()]
    # True/false stays in its natural order: shuffled it only confuses.
    if shuffle and question.type != Question.Type.TRUE_FALSE:
        rng.shuffle(ids)
    return ids


@dataclass
class StartResult:
    attempt: Attempt
    created: bool


def attempt_start(*, invitation: Invitation, now=None, ip=None, user_agent="") -> StartResult:
    """Start the invitation's attempt, or return the one already started.

    Safe to call twice at once (two tabs, a double click): the invitation row
    is locked while the attempt is created, and the one-to-one key refuses a
    second attempt if two transactions still race.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return _attempt_start(invitation=invitation, now=now, ip=ip, user_agent=user_agent)
    except IntegrityError:
        attempt = Attempt.objects.get(invitation=invitation)
        return StartResult(attempt=attempt, created=False)


def _attempt_start(*, invitation, now, ip, user_agent) -> StartResult:
    locked = (
        Invitation.objects.select_for_update()
        .select_related("assessment", "candidate")
        .get(pk=invitation.pk)
    )
    existing = Attempt.objects.filter(invitation=locked).first()
    if existing is not None:
        return StartResult(attempt=existing, created=False)
    assessment = locked.assessment
    startable = locked.effective_status in (
        Invitation.Status.PENDING,
        Invitation.Status.SENT,
        Invitation.Status.OPENED,
    )
    if not startable or assessment.status != Assessment.Status.PUBLISHED:
        raise AttemptError(NOT_STARTABLE)
    seed = secrets.randbits(48)
    attempt = Attempt.objects.create(
        invitation=locked,
        seed=seed,
        started_at=now,
        deadline=attempt_deadline(assessment=assessment, invitation=locked, started_at=now),
        start_ip=ip,
        start_device=device_fingerprint(user_agent),
        last_ip=ip,
        last_device=device_fingerprint(user_agent),
    )
    drawn = draw_questions(assessment=assessment, seed=seed)
    questions = {
        q.pk: q
        for q in Question.objects.prefetch_related("choices").filter(
            pk__in=[d.question.pk for d in drawn]
        )
    }
    rng = random.Random(seed)
    items = AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            attempt=attempt,
            position=position,
            section=entry.section,
            question=questions[entry.question.pk],
            choice_order=_choice_order(
                questions[entry.question.pk], rng, assessment.shuffle_choices
            ),
        )
        for position, entry in enumerate(drawn, start=1)
    )
    Response.objects.bulk_create(Response(item=item) for item in items)
    # From now on these versions are what this candidate saw: they never change.
    Question.objects.filter(pk__in=list(questions), locked_at__isnull=True).update(locked_at=now)
    locked.status = Invitation.Status.STARTED
    locked.started_at = now
    locked.opened_at = locked.opened_at or now
    locked.save(update_fields=["status", "started_at", "opened_at"])
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
    if not attempt.is_open:
        raise AttemptError(ALREADY_SUBMITTED)
    if is_overdue(attempt, now):
        attempt_submit(attempt=attempt, now=now, finished_by=Attempt.Finish.TIME_UP)
        raise AttemptError(TIME_UP)
    cleaned = _clean_answer(item.question.type, answer)
    updated = Response.objects.filter(item=item, revision__lt=revision).update(
        answer=cleaned,
        revision=revision,
        saved_at=now,
        seconds_spent=F("seconds_spent") + max(0, min(int(seconds or 0), 3600)),
    )
    return SaveResult(saved=bool(updated), revision=revision)


def item_flag(*, attempt: Attempt, item: AttemptQuestion, flagged: bool) -> None:
    if not attempt.is_open:
        raise AttemptError(ALREADY_SUBMITTED)
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
