import csv
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments import builder, grading
from assessments.attempts import attempt_start, attempt_submit, response_save
from assessments.models import Attempt, IntegrityEvent, Question
from assessments.results import percentile
from recruiting.models import Candidate, Invitation
from roles.models import RoleProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(question_bank, org_a, alice):
    profile = RoleProfile.objects.get(role__slug="backend-developer", level__slug="mid-level")
    return builder.assessment_publish(
        assessment=builder.assessment_create_from_profile(
            profile=profile, organization=org_a, by=alice, total_questions=10
        )
    )


def _finish(assessment, name, share, email=None):
    candidate = Candidate.objects.create(
        organization=assessment.organization, name=name, email=email or f"{name.lower()}@x.test"
    )
    invitation = Invitation.objects.create(
        candidate=candidate,
        assessment=assessment,
        expires_at=timezone.now() + timedelta(days=2),
        status="sent",
    )
    attempt = attempt_start(invitation=invitation).attempt
    items = list(attempt.items.select_related("question").order_by("position"))
    for item in items[: int(len(items) * share)]:
        key = Question.objects.with_keys().get(pk=item.question_id).grading_key()
        answer = grading.reference_answer(key) or "An answer."
        response_save(attempt=attempt, item=item, answer=answer, revision=1)
    IntegrityEvent.objects.create(
        attempt=attempt, kind="paste", occurred_at=timezone.now(), length=9
    )
    return attempt_submit(attempt=attempt)


@pytest.fixture
def finished(assessment):
    return [_finish(assessment, "Ada", 1.0), _finish(assessment, "Bob", 0.3)]


def _urls(assessment, attempt):
    code = assessment.code
    return [
        reverse("assessments:results", args=[code]),
        reverse("assessments:results-csv", args=[code]),
        reverse("assessments:report", args=[attempt.invitation.code]),
        reverse("assessments:compare", args=[code])
        + "?candidates="
        + str(attempt.invitation.candidate.code),
    ]


def test_the_persona_ladder_on_every_results_page(
    assessment, finished, as_user, alice, bob, charlie
):
    urls = _urls(assessment, finished[0])
    for url in urls:
        assert as_user(None).get(url).url.startswith(reverse("login"))
        assert as_user(charlie).get(url).status_code == 404, url
        assert as_user(bob).get(url).status_code in (200, 400), url
        assert as_user(alice).get(url).status_code in (200, 400), url


def test_the_table_shows_each_candidate_with_scores_fit_and_signals(
    assessment, finished, as_user, alice
):
    page = as_user(alice).get(reverse("assessments:results", args=[assessment.code])).text
    assert "Ada" in page
    assert "Bob" in page
    assert finished[0].fit_summary[:20] in page
    assert page.index("Ada") < page.index("Bob")  # best score first by default
    by_name = as_user(alice).get(
        reverse("assessments:results", args=[assessment.code]), {"sort": "name"}
    )
    assert by_name.status_code == 200
    passed_only = (
        as_user(alice)
        .get(reverse("assessments:results", args=[assessment.code]), {"result": "passed"})
        .text
    )
    assert ("Bob" in passed_only) == bool(finished[1].passed)


def test_the_csv_streams_the_same_columns(assessment, finished, as_user, alice):
    response = as_user(alice).get(reverse("assessments:results-csv", args=[assessment.code]))
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header = rows[0]
    assert header[:4] == ["Candidate", "Email", "Status", "Overall %"]
    assert "Fit" in header
    assert "Integrity events" in header
    assert {row[0] for row in rows[1:]} == {"Ada", "Bob"}
    ada = next(row for row in rows[1:] if row[0] == "Ada")
    assert ada[header.index("Integrity events")] == "1"


def test_the_csv_neutralises_spreadsheet_formulas(assessment, as_user, alice):
    _finish(assessment, "=HYPERLINK(1)", 0.1, email="evil@x.test")
    response = as_user(alice).get(reverse("assessments:results-csv", args=[assessment.code]))
    text = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in text


def test_the_report_shows_fit_chart_answers_keys_and_timeline(assessment, finished, as_user, alice):
    attempt = finished[0]
    page = as_user(alice).get(reverse("assessments:report", args=[attempt.invitation.code])).text
    assert attempt.fit_summary.split(";")[0] in page
    assert "How this is computed" in page
    assert '<svg class="skill-chart"' in page
    assert page.count('class="card mb-3 answer-card"') == 10
    assert "Key and explanation" in page
    assert "Pasted into an answer" in page
    assert "Percentile" in page


def test_comparing_needs_two_to_four_candidates(assessment, finished, as_user, alice):
    url = reverse("assessments:compare", args=[assessment.code])
    codes = [str(a.invitation.candidate.code) for a in finished]
    one = as_user(alice).get(url, {"candidates": codes[:1]})
    assert one.status_code == 400
    both = as_user(alice).get(url, {"candidates": codes})
    assert both.status_code == 200
    assert both.text.count('<td class="text-end') > 0
    assert "Ada" in both.text
    assert "Bob" in both.text


def test_percentile_counts_ties_as_half(assessment, org_a):
    scores = [50.0, 60.0, 60.0, 80.0]
    for index, score in enumerate(scores):
        candidate = Candidate.objects.create(
            organization=org_a, name=f"P{index}", email=f"p{index}@x.t"
        )
        invitation = Invitation.objects.create(
            candidate=candidate,
            assessment=assessment,
            expires_at=timezone.now(),
            status="completed",
        )
        Attempt.objects.create(
            invitation=invitation,
            assessment_id=invitation.assessment_id,
            seed=1,
            started_at=timezone.now() - timedelta(hours=1),
            deadline=timezone.now(),
            state="submitted",
            score_percent=score,
        )
    assert percentile(assessment, 60.0) == 50.0
    assert percentile(assessment, 80.0) == 87.5
    assert percentile(assessment, 50.0) == 12.5


def test_rescoring_twice_gives_the_same_result(assessment, finished):
    before = [
        (a.score_percent, a.fit_summary, a.skill_scores) for a in Attempt.objects.order_by("pk")
    ]
    call_command("rescore", stdout=io.StringIO())
    call_command("rescore", "--assessment", str(assessment.code), stdout=io.StringIO())
    after = [
        (a.score_percent, a.fit_summary, a.skill_scores) for a in Attempt.objects.order_by("pk")
    ]
    assert after == before


def _many_attempts(assessment, count):
    now = timezone.now()
    candidates = Candidate.objects.bulk_create(
        Candidate(organization=assessment.organization, name=f"C{i}", email=f"c{i}@bulk.test")
        for i in range(count)
    )
    invitations = Invitation.objects.bulk_create(
        Invitation(candidate=c, assessment=assessment, expires_at=now, status="completed")
        for c in candidates
    )
    skills = {
        s.skill.slug: {"skill": s.skill.name, "percent": 55.0}
        for s in assessment.sections.select_related("skill")
    }
    Attempt.objects.bulk_create(
        Attempt(
            invitation=inv,
            assessment_id=inv.assessment_id,
            seed=i,
            started_at=now - timedelta(minutes=40),
            deadline=now,
            submitted_at=now - timedelta(minutes=3),
            state="submitted",
            score_percent=float(i % 100),
            skill_scores=skills,
            fit_rank=i % 3,
            fit_summary="Meets Junior",
        )
        for i, inv in enumerate(invitations)
    )


def test_the_results_table_and_csv_use_fixed_queries_with_1000_attempts(
    assessment, as_user, alice, django_assert_max_num_queries
):
    _many_attempts(assessment, 1000)
    client = as_user(alice)
    # session, user, membership, assessment with profile, level names (profiles), sections,
    # count, one page of attempts with candidates and signal counts.
    with django_assert_max_num_queries(9):
        page = client.get(reverse("assessments:results", args=[assessment.code]))
    assert page.context["page"].paginator.count == 1000
    with django_assert_max_num_queries(9):
        response = client.get(reverse("assessments:results-csv", args=[assessment.code]))
        lines = b"".join(response.streaming_content).decode().count("\n")
    assert lines == 1001


def test_the_statistics_page_shows_reliability_and_question_figures(
    assessment, finished, as_user, alice, charlie
):
    from assessments.statistics import statistics_recompute

    statistics_recompute()
    url = reverse("assessments:statistics", args=[assessment.code])
    assert as_user(charlie).get(url).status_code == 404
    page = as_user(alice).get(url).text
    assert "Reliability" in page
    assert "Score distribution" in page
    assert escape(finished[0].items.first().question.prompt[:30]) in page
