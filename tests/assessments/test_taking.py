"""The candidate's endpoints: every lookup goes through the invitation token."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from assessments import attempts, builder
from assessments.attempts import GRACE, attempt_start, attempt_submit
from assessments.models import Attempt, IntegrityEvent, Question, Response
from recruiting.models import Invitation
from roles.models import RoleProfile
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def assessment(question_bank, org_a, alice):
    profile = RoleProfile.objects.get(role__slug="backend-developer", level__slug="mid-level")
    assessment = builder.assessment_create_from_profile(
        profile=profile, organization=org_a, by=alice, total_questions=10
    )
    # One SQL section so the Run query endpoint has something to run.
    sql = assessment.sections.get(skill__slug="sql")
    sql.difficulty_min, sql.difficulty_max = 1, 2
    sql.save()
    query_question = Question.objects.drawable().filter(type="sql", difficulty=1).first()
    builder.section_pin(section=sql, question=query_question, pinned=True)
    return builder.assessment_publish(assessment=assessment)


def _invite(assessment, **extra):
    return Invitation.objects.create(
        candidate=CandidateFactory(organization=assessment.organization),
        assessment=assessment,
        expires_at=timezone.now() + timedelta(days=7),
        status="sent",
        **extra,
    )


@pytest.fixture
def attempt(assessment):
    return attempt_start(invitation=_invite(assessment)).attempt


def _post(client, name, attempt, payload, token=None):
    url = reverse(f"candidate:{name}", args=[token or attempt.invitation.token])
    return client.post(url, json.dumps(payload), content_type="application/json")


def _text_item(attempt):
    return (
        attempt.items.select_related("question")
        .filter(question__type__in=["short_answer", "numeric", "free_text", "sql"])
        .first()
    )


def test_the_question_page_shows_every_question_and_the_server_deadline(client, attempt):
    page = client.get(reverse("candidate:take", args=[attempt.invitation.token]))
    assert page.status_code == 200
    assert page.text.count('class="q-panel"') == 10
    assert attempt.deadline.strftime("%Y-%m-%dT%H:%M") in page.text


def test_autosave_keeps_the_newest_revision(client, attempt):
    item = _text_item(attempt)
    first = _post(
        client, "save", attempt, {"position": item.position, "answer": "new", "revision": 3}
    )
    stale = _post(
        client, "save", attempt, {"position": item.position, "answer": "old", "revision": 2}
    )
    assert first.json()["saved"] is True
    assert stale.json()["saved"] is False
    assert Response.objects.get(item=item).answer == "new"


def test_autosave_is_two_queries(client, attempt, django_assert_num_queries):
    item = _text_item(attempt)
    # The item with its attempt, invitation and question; one conditional UPDATE.
    with django_assert_num_queries(2):
        response = _post(
            client, "save", attempt, {"position": item.position, "answer": "x", "revision": 1}
        )
    assert response.status_code == 200


def test_later_saves_of_a_question_are_one_statement(client, attempt, django_assert_num_queries):
    item = _text_item(attempt)
    _post(client, "save", attempt, {"position": item.position, "answer": "a", "revision": 1})
    # The process remembers where the question's answers go; the update
    # itself checks that the attempt is still open.
    with django_assert_num_queries(1):
        response = _post(
            client, "save", attempt, {"position": item.position, "answer": "b", "revision": 2}
        )
    assert response.json()["saved"] is True
    assert Response.objects.get(item=item).answer == "b"


def test_a_remembered_question_takes_no_answer_once_the_attempt_is_submitted(client, attempt):
    item = _text_item(attempt)
    _post(client, "save", attempt, {"position": item.position, "answer": "a", "revision": 1})
    attempt_submit(attempt=attempt)
    response = _post(
        client, "save", attempt, {"position": item.position, "answer": "late", "revision": 2}
    )
    assert response.status_code == 409
    assert "already been submitted" in response.json()["error"]
    assert Response.objects.get(item=item).answer == "a"


def test_a_remembered_question_takes_no_answer_after_the_deadline(client, attempt):
    item = _text_item(attempt)
    _post(client, "save", attempt, {"position": item.position, "answer": "a", "revision": 1})
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - timedelta(hours=2),
        deadline=timezone.now() - GRACE - timedelta(seconds=1),
    )
    response = _post(
        client, "save", attempt, {"position": item.position, "answer": "late", "revision": 2}
    )
    assert response.status_code == 409
    assert "Time is up" in response.json()["error"]
    assert Response.objects.get(item=item).answer == "a"
    attempt.refresh_from_db()
    assert attempt.state == "submitted"


def test_the_remembered_questions_are_bounded(client, attempt, monkeypatch):
    monkeypatch.setattr(attempts, "_TARGETS", {})
    monkeypatch.setattr(attempts, "TARGETS_KEPT", 3)
    positions = list(attempt.items.values_list("position", flat=True)[:5])
    for revision, position in enumerate(positions, start=1):
        _post(client, "save", attempt, {"position": position, "answer": None, "revision": revision})
    # The newest three, oldest forgotten first.
    token = attempt.invitation.token
    assert list(attempts._TARGETS) == [(token, position) for position in positions[-3:]]


def test_a_token_reaches_only_its_own_attempt(client, assessment, attempt):
    other = attempt_start(invitation=_invite(assessment)).attempt
    item = _text_item(other)
    response = _post(
        client,
        "save",
        other,
        {"position": item.position, "answer": "intruder", "revision": 1},
        token=attempt.invitation.token,
    )
    # The position exists in the first attempt too, so the write lands there (or is refused
    # when that question expects another kind of answer), never in the other attempt.
    assert Response.objects.get(item=item).answer is None
    assert response.status_code in (200, 404, 409)
    bogus = _post(
        client, "save", attempt, {"position": 1, "answer": "x", "revision": 1}, token="nope"
    )
    assert bogus.status_code == 404
    assert client.get(reverse("candidate:take", args=["nope"])).status_code == 404


def test_saves_after_the_deadline_plus_grace_are_refused_clearly(client, attempt):
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - timedelta(hours=2),
        deadline=timezone.now() - GRACE - timedelta(seconds=1),
    )
    item = _text_item(attempt)
    response = _post(
        client, "save", attempt, {"position": item.position, "answer": "late", "revision": 1}
    )
    assert response.status_code == 409
    assert "Time is up" in response.json()["error"]
    assert Response.objects.get(item=item).answer is None
    attempt.refresh_from_db()
    assert attempt.state == "submitted"


def test_opening_an_overdue_attempt_finalises_it(client, attempt):
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - timedelta(hours=2), deadline=timezone.now() - timedelta(hours=1)
    )
    page = client.get(reverse("candidate:take", args=[attempt.invitation.token]))
    assert page.url == reverse("candidate:done", args=[attempt.invitation.token])
    attempt.refresh_from_db()
    assert attempt.finished_by == "time_up"


@pytest.mark.parametrize(
    "body",
    ["not json", json.dumps([1, 2]), json.dumps({"position": "x", "revision": 1}), "x" * 70_000],
)
def test_malformed_saves_are_refused_and_change_nothing(client, attempt, body):
    url = reverse("candidate:save", args=[attempt.invitation.token])
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert not Response.objects.filter(revision__gt=0).exists()


def test_a_huge_answer_is_refused(client, attempt):
    item = _text_item(attempt)
    response = _post(
        client, "save", attempt, {"position": item.position, "answer": "x" * 20_001, "revision": 1}
    )
    assert response.status_code == 409
    assert "too long" in response.json()["error"]


def test_flags_are_saved(client, attempt):
    _post(client, "flag", attempt, {"position": 2, "flagged": True})
    assert attempt.items.get(position=2).flagged


def test_run_query_shows_rows_or_the_sandbox_error_and_is_rate_limited(client, attempt):
    item = attempt.items.filter(question__type="sql").first()
    assert item is not None
    ok = _post(client, "run-sql", attempt, {"position": item.position, "query": "SELECT 1 AS one"})
    assert ok.json()["columns"] == ["one"]
    assert ok.json()["rows"] == [[1]]
    hostile = _post(
        client, "run-sql", attempt, {"position": item.position, "query": "DROP TABLE orders"}
    )
    assert "not allowed" in hostile.json()["error"]
    for _ in range(10):
        last = _post(client, "run-sql", attempt, {"position": item.position, "query": "SELECT 1"})
    assert last.status_code == 429


def test_integrity_events_are_recorded_rate_limited_and_scoped(client, assessment, attempt):
    url = reverse("candidate:event", args=[attempt.invitation.token])
    response = client.post(
        url, json.dumps({"kind": "paste", "length": 120, "position": 3}), content_type="text/plain"
    )
    assert response.status_code == 201
    event = IntegrityEvent.objects.get()
    assert (event.kind, event.length, event.attempt_id) == ("paste", 120, attempt.pk)
    assert (
        client.post(url, json.dumps({"kind": "rm -rf"}), content_type="text/plain").status_code
        == 400
    )
    other_url = reverse("candidate:event", args=["not-a-token"])
    assert (
        client.post(other_url, json.dumps({"kind": "copy"}), content_type="text/plain").status_code
        == 404
    )
    statuses = [
        client.post(url, json.dumps({"kind": "copy"}), content_type="text/plain").status_code
        for _ in range(70)
    ]
    assert 429 in statuses
    assert IntegrityEvent.objects.count() <= 61


def test_submitting_shows_the_done_page_and_stops_further_saves(client, attempt):
    token = attempt.invitation.token
    response = client.post(reverse("candidate:submit", args=[token]))
    assert response.url == reverse("candidate:done", args=[token])
    done = client.get(response.url)
    assert "your answers are in" in done.text
    item = _text_item(attempt)
    late = _post(client, "save", attempt, {"position": item.position, "answer": "x", "revision": 1})
    assert late.status_code == 409


def test_the_done_page_shows_per_skill_results_only_when_allowed(client, assessment, attempt):
    token = attempt.invitation.token
    client.post(reverse("candidate:submit", args=[token]))
    assert "Your results by skill" not in client.get(reverse("candidate:done", args=[token])).text
    assessment.show_results_to_candidate = True
    assessment.save()
    page = client.get(reverse("candidate:done", args=[token])).text
    assert "Your results by skill" in page
    key_text = Question.objects.filter(type="sql").first().explanation
    assert key_text not in page


def test_opening_on_another_device_is_recorded(client, attempt):
    url = reverse("candidate:take", args=[attempt.invitation.token])
    client.get(url, HTTP_USER_AGENT="Phone browser")
    assert IntegrityEvent.objects.filter(kind="new_device").count() == 1
    client.get(url, HTTP_USER_AGENT="Phone browser")
    assert IntegrityEvent.objects.filter(kind="new_device").count() == 1
