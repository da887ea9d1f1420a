"""The draw happens when the candidate opens the link; Start only starts the clock."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import builder
from assessments.attempts import (
    NOT_STARTED,
    AttemptError,
    attempt_prepare,
    attempt_start,
    prepared_draws_discard,
)
from assessments.models import Attempt
from recruiting.management.commands.periodic import run_periodic_jobs
from recruiting.models import Invitation
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db


def _questions(attempt):
    return list(attempt.items.order_by("position").values_list("question_id", "choice_order"))


def _start(client, invitation):
    return client.post(reverse("candidate:start", args=[invitation.token]), {"consent": "on"})


def test_opening_the_link_draws_the_questions_without_starting_the_clock(client, invitation):
    client.get(invitation.get_absolute_url())
    attempt = Attempt.objects.get(invitation=invitation)
    assert attempt.state == Attempt.State.PREPARED
    assert attempt.started_at is None
    assert attempt.deadline is None
    assert attempt.items.count() == 10
    assert all(item.question.locked_at is not None for item in attempt.items.all())
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.OPENED
    assert invitation.started_at is None


def test_opening_the_link_again_keeps_the_first_draw(client, invitation):
    client.get(invitation.get_absolute_url())
    first = _questions(Attempt.objects.get(invitation=invitation))
    client.get(invitation.get_absolute_url())
    assert Attempt.objects.filter(invitation=invitation).count() == 1
    assert _questions(Attempt.objects.get(invitation=invitation)) == first


def test_a_link_checker_head_request_draws_nothing(client, invitation):
    client.head(invitation.get_absolute_url())
    assert not Attempt.objects.filter(invitation=invitation).exists()


def test_start_asks_the_questions_drawn_when_the_link_was_opened(client, invitation):
    client.get(invitation.get_absolute_url())
    drawn = _questions(Attempt.objects.get(invitation=invitation))
    before = timezone.now()
    response = _start(client, invitation)
    assert response.status_code == 302
    assert response["Location"] == reverse("candidate:take", args=[invitation.token])
    attempt = Attempt.objects.get(invitation=invitation)
    assert attempt.state == Attempt.State.IN_PROGRESS
    assert attempt.started_at >= before
    minutes = invitation.assessment.time_limit_minutes
    assert attempt.deadline == attempt.started_at + timedelta(minutes=minutes)
    assert _questions(attempt) == drawn
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.STARTED


def test_start_after_opening_is_a_few_small_queries(
    client, invitation, django_assert_max_num_queries
):
    client.get(invitation.get_absolute_url())
    # Lookups, the locked invitation, two updates: no draw, no inserts.
    with django_assert_max_num_queries(8):
        assert _start(client, invitation).status_code == 302


def test_start_without_opening_the_link_draws_and_starts(invitation):
    result = attempt_start(invitation=invitation)
    assert result.created
    assert result.attempt.state == Attempt.State.IN_PROGRESS
    assert result.attempt.items.count() == 10


def test_start_twice_starts_once(client, invitation):
    client.get(invitation.get_absolute_url())
    first = attempt_start(invitation=invitation)
    invitation.refresh_from_db()
    second = attempt_start(invitation=invitation)
    assert first.created
    assert not second.created
    assert second.attempt.pk == first.attempt.pk
    assert second.attempt.started_at == first.attempt.started_at


@pytest.mark.parametrize(
    "change",
    [
        {"status": Invitation.Status.REVOKED},
        {"expires_at": timezone.now() - timedelta(minutes=1)},
    ],
    ids=["revoked", "expired"],
)
def test_a_dead_link_with_a_prepared_draw_cannot_start(client, invitation, change):
    client.get(invitation.get_absolute_url())
    Invitation.objects.filter(pk=invitation.pk).update(**change)
    invitation.refresh_from_db()
    with pytest.raises(AttemptError):
        attempt_start(invitation=invitation)
    assert Attempt.objects.get(invitation=invitation).state == Attempt.State.PREPARED


def test_a_prepared_attempt_accepts_no_answers_and_the_take_page_leads_back(client, invitation):
    client.get(invitation.get_absolute_url())
    take = client.get(reverse("candidate:take", args=[invitation.token]))
    assert take.status_code == 302
    assert take["Location"] == invitation.get_absolute_url()
    save = client.post(
        reverse("candidate:save", args=[invitation.token]),
        data=json.dumps({"position": 1, "answer": "x", "revision": 1, "seconds": 1}),
        content_type="application/json",
    )
    assert save.status_code == 409
    assert save.json()["error"] == NOT_STARTED
    done = client.get(reverse("candidate:done", args=[invitation.token]))
    assert done["Location"] == invitation.get_absolute_url()
    client.post(reverse("candidate:submit", args=[invitation.token]))
    attempt = Attempt.objects.get(invitation=invitation)
    assert attempt.state == Attempt.State.PREPARED
    assert attempt.items.filter(response__revision__gt=0).count() == 0


def test_changing_the_sections_discards_prepared_draws(client, invitation, assessment):
    client.get(invitation.get_absolute_url())
    section = assessment.sections.order_by("position").first()
    builder.section_save(
        assessment=assessment,
        skill=section.skill,
        question_count=section.question_count + 1,
        difficulty_min=section.difficulty_min,
        difficulty_max=section.difficulty_max,
    )
    assert not Attempt.objects.filter(invitation=invitation).exists()
    invitation.refresh_from_db()
    attempt = attempt_start(invitation=invitation).attempt
    assert attempt.items.count() == 11


def test_a_timing_change_discards_prepared_draws(client, invitation, assessment):
    client.get(invitation.get_absolute_url())
    builder.assessment_update(assessment=assessment, changes={"shuffle_choices": False})
    assert not Attempt.objects.filter(invitation=invitation).exists()


def test_preparing_twice_keeps_one_draw(invitation):
    first = attempt_prepare(invitation=invitation)
    again = attempt_prepare(invitation=invitation)
    assert first.pk == again.pk
    assert Attempt.objects.filter(invitation=invitation).count() == 1


def test_a_prepared_attempt_is_not_a_result(client, invitation, assessment, alice):
    client.get(invitation.get_absolute_url())
    client.force_login(alice)
    results = client.get(reverse("assessments:results", args=[assessment.code]))
    assert results.status_code == 200
    assert invitation.candidate.name not in results.text
    assert "Prepared" not in results.text
    report = client.get(reverse("assessments:report", args=[invitation.code]))
    assert report.status_code == 404


def test_the_periodic_job_discards_the_draws_of_dead_links_only(client, invitation, assessment):
    client.get(invitation.get_absolute_url())
    alive = InvitationFactory(assessment=assessment, status="sent")
    client.get(alive.get_absolute_url())
    started = InvitationFactory(assessment=assessment, status="sent")
    attempt_start(invitation=started)
    Invitation.objects.filter(pk__in=[invitation.pk, started.pk]).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    assert run_periodic_jobs()["discarded draws of dead links"] == 1
    assert not Attempt.objects.filter(invitation=invitation).exists()
    assert Attempt.objects.get(invitation=alive).state == Attempt.State.PREPARED
    assert Attempt.objects.get(invitation=started).state == Attempt.State.IN_PROGRESS


def test_a_revoked_link_or_closed_assessment_loses_its_draw(client, invitation, assessment):
    client.get(invitation.get_absolute_url())
    Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.REVOKED)
    assert prepared_draws_discard() == 1
    other = InvitationFactory(assessment=assessment, status="sent")
    client.get(other.get_absolute_url())
    builder.assessment_close(assessment=assessment)
    assert prepared_draws_discard() == 1
    assert not Attempt.objects.filter(state=Attempt.State.PREPARED).exists()
