import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from assessments import builder
from assessments.attempts import (
    GRACE,
    AttemptError,
    attempt_finalise_if_due,
    attempt_start,
    attempt_submit,
    attempts_finalise_overdue,
    response_save,
)
from assessments.models import Attempt, Question
from recruiting.models import Invitation
from roles.models import RoleProfile
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def test_starting_draws_the_questions_and_fixes_the_deadline(invitation):
    now = timezone.now()
    attempt = attempt_start(invitation=invitation, now=now).attempt
    assert attempt.deadline == now + timedelta(minutes=invitation.assessment.time_limit_minutes)
    items = list(attempt.items.select_related("question"))
    assert len(items) == 10
    assert all(item.response.revision == 0 for item in items)
    assert all(item.question.locked_at is not None for item in items)
    invitation.refresh_from_db()
    assert invitation.status == "started"


def test_an_accommodation_extends_the_deadline(invitation):
    invitation.extra_time_percent = 50
    invitation.save()
    now = timezone.now()
    attempt = attempt_start(invitation=invitation, now=now).attempt
    minutes = invitation.assessment.time_limit_minutes * 1.5
    assert attempt.deadline - now >= timedelta(minutes=minutes)


def test_pressing_start_twice_gives_one_attempt(invitation):
    first = attempt_start(invitation=invitation)
    second = attempt_start(invitation=invitation)
    assert first.created
    assert not second.created
    assert second.attempt.pk == first.attempt.pk
    assert Attempt.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"status": "revoked"},
        {"expires_at": timezone.now() - timedelta(minutes=1)},
        {"status": "completed"},
    ],
)
def test_a_revoked_expired_or_used_link_cannot_start(invitation, change):
    Invitation.objects.filter(pk=invitation.pk).update(**change)
    invitation.refresh_from_db()
    with pytest.raises(AttemptError):
        attempt_start(invitation=invitation)
    assert not Attempt.objects.exists()


def test_a_closed_assessment_cannot_be_started(invitation):
    builder.assessment_close(assessment=invitation.assessment)
    invitation.refresh_from_db()
    with pytest.raises(AttemptError):
        attempt_start(invitation=invitation)


def test_a_stale_revision_never_overwrites_a_newer_answer(invitation):
    attempt = attempt_start(invitation=invitation).attempt
    item = (
        attempt.items.select_related("question").exclude(question__type="multiple_choice").first()
    )
    answer = "x" if not item.question.is_choice_type else item.choice_order[0]
    other = "y" if not item.question.is_choice_type else item.choice_order[1]
    assert response_save(attempt=attempt, item=item, answer=answer, revision=5).saved
    assert not response_save(attempt=attempt, item=item, answer=other, revision=3).saved
    assert not response_save(attempt=attempt, item=item, answer=other, revision=5).saved
    item.response.refresh_from_db()
    assert item.response.answer == answer
    assert item.response.revision == 5


def test_saves_are_accepted_within_the_grace_and_refused_after(invitation):
    start = timezone.now()
    attempt = attempt_start(invitation=invitation, now=start).attempt
    item = attempt.items.select_related("question").filter(
        question__type="short_answer"
    ).first() or (attempt.items.select_related("question").first())
    answer = (
        item.choice_order[:1]
        if item.question.type == "multiple_choice"
        else (item.choice_order[0] if item.question.is_choice_type else "kept")
    )
    in_grace = attempt.deadline + GRACE - timedelta(seconds=1)
    assert response_save(attempt=attempt, item=item, answer=answer, revision=1, now=in_grace).saved
    too_late = attempt.deadline + GRACE + timedelta(seconds=1)
    with pytest.raises(AttemptError, match="Time is up"):
        response_save(attempt=attempt, item=item, answer=answer, revision=2, now=too_late)
    attempt.refresh_from_db()
    assert attempt.state == "submitted"
    assert attempt.finished_by == "time_up"
    item.response.refresh_from_db()
    assert item.response.revision == 1


def test_the_periodic_task_finalises_overdue_attempts(invitation):
    start = timezone.now() - timedelta(hours=3)
    attempt = attempt_start(invitation=invitation, now=start).attempt
    assert attempts_finalise_overdue() == 1
    attempt.refresh_from_db()
    assert attempt.state == "submitted"
    assert attempt.submitted_at == attempt.deadline + GRACE
    invitation.refresh_from_db()
    assert invitation.status == "completed"
    assert attempts_finalise_overdue() == 0


def test_access_after_the_deadline_finalises(invitation):
    attempt = attempt_start(invitation=invitation, now=timezone.now() - timedelta(hours=3)).attempt
    attempt = attempt_finalise_if_due(attempt=attempt)
    assert attempt.state == "submitted"


def test_submitting_grades_against_the_version_seen_and_moves_the_candidate(invitation):
    attempt = attempt_start(invitation=invitation).attempt
    from assessments import grading

    for item in attempt.items.select_related("question"):
        key = Question.objects.with_keys().get(pk=item.question_id).grading_key()
        answer = grading.reference_answer(key)
        if answer is None:  # free text has no reference: any considered answer waits for review
            answer = "A considered answer."
        response_save(attempt=attempt, item=item, answer=answer, revision=1)
    scored = attempt_submit(attempt=attempt)
    assert scored.state == "submitted"
    free_text = attempt.items.filter(question__type="free_text").exists()
    assert scored.provisional == free_text
    if not free_text:
        assert scored.score_percent == 100.0
        assert scored.passed
    invitation.candidate.refresh_from_db()
    assert invitation.candidate.stage == "assessed"
    again = attempt_submit(attempt=attempt)
    assert again.score_percent == scored.score_percent


def test_saving_after_submission_is_refused(invitation):
    attempt = attempt_start(invitation=invitation).attempt
    attempt_submit(attempt=attempt)
    attempt.refresh_from_db()
    item = attempt.items.first()
    with pytest.raises(AttemptError, match="already been submitted"):
        response_save(attempt=attempt, item=item, answer="late", revision=9)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_starts_create_one_attempt(question_bank, org_a, alice):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Concurrent transactions need PostgreSQL (SQLite's test database is in memory)."
        )
    profile = RoleProfile.objects.get(role__slug="backend-developer", level__slug="junior")
    assessment = builder.assessment_publish(
        assessment=builder.assessment_create_from_profile(
            profile=profile, organization=org_a, by=alice, total_questions=5
        )
    )
    invitation = Invitation.objects.create(
        candidate=CandidateFactory(organization=org_a),
        assessment=assessment,
        expires_at=timezone.now() + timedelta(days=1),
    )
    barrier = threading.Barrier(2)
    results = []

    def start():
        from django.db import connections

        barrier.wait()
        try:
            results.append(attempt_start(invitation=invitation).attempt.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2
    assert len(set(results)) == 1
    assert Attempt.objects.filter(invitation=invitation).count() == 1
