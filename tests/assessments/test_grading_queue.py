"""The grading queue: reviewers score free-text answers against their rubric."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import builder
from assessments.attempts import attempt_start, attempt_submit, response_save
from assessments.grading_services import (
    NOT_GRADABLE,
    GradingError,
    gradable_responses,
    response_grade,
)
from assessments.models import Attempt, Question, Response
from recruiting.models import Invitation
from roles.models import RoleProfile
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

# Free-text architecture questions of the shipped bank, at difficulty 3-4.
# The first (url-shortener) has four criteria worth 2 points each.
FREE_TEXT = [
    "architecture-url-shortener-design",
    "architecture-billing-extraction-plan",
    "architecture-ten-x-growth",
    "architecture-reporting-offload",
]
QUEUE = reverse("assessments:grading-queue")
GOOD_SCORES = {"score_0": "2", "score_1": "1.5", "score_2": "2", "score_3": "0"}


def _grade_url(response):
    return reverse("assessments:grade", args=[response.pk])


def _assessment(organization, by, *, title, free_text=1, blind=False):
    """A published assessment whose architecture section pins `free_text` written questions."""
    profile = RoleProfile.objects.get(role__slug="backend-engineer", level__slug="senior")
    assessment = builder.assessment_create_from_profile(
        profile=profile, organization=organization, by=by, total_questions=4
    )
    section = assessment.sections.get(skill__slug="architecture")
    section = builder.section_save(
        assessment=assessment,
        skill=section.skill,
        question_count=free_text,
        difficulty_min=3,
        difficulty_max=4,
    )
    for question in Question.objects.drawable().filter(slug__in=FREE_TEXT[:free_text]):
        builder.section_pin(section=section, question=question, pinned=True)
    builder.assessment_update(
        assessment=assessment, changes={"title": title, "blind_grading": blind}
    )
    return builder.assessment_publish(assessment=assessment)


def _submitted(assessment, *, name="Dana Wells", email=None, answered=True):
    """A submitted attempt whose pinned free-text questions are answered (so pending)."""
    candidate = CandidateFactory(
        organization=assessment.organization,
        name=name,
        email=email or f"{name.lower().replace(' ', '.')}@candidates.test",
    )
    invitation = Invitation.objects.create(
        candidate=candidate,
        assessment=assessment,
        expires_at=timezone.now() + timedelta(days=7),
        status="sent",
    )
    attempt = attempt_start(invitation=invitation).attempt
    if answered:
        items = attempt.items.select_related("question").filter(question__slug__in=FREE_TEXT)
        for item in items:
            response_save(
                attempt=attempt,
                item=item,
                answer=f"Base62 codes from ID ranges.\n\n  Indented for {item.question.slug}.",
                revision=1,
            )
    return attempt_submit(attempt=attempt)


def _written(attempt):
    """The attempt's free-text responses to the pinned questions, in question order."""
    return list(
        Response.objects.filter(item__attempt=attempt, item__question__slug__in=FREE_TEXT)
        .select_related("item__question")
        .order_by("item__position")
    )


@pytest.fixture
def assessment_a(question_bank, org_a, alice):
    return _assessment(org_a, alice, title="Platform engineer")


@pytest.fixture
def attempt_a(assessment_a):
    return _submitted(assessment_a)


@pytest.fixture
def pending_a(attempt_a):
    [response] = _written(attempt_a)
    assert response.pending_review
    return response


# Persona ladder


def test_anonymous_visitors_are_sent_to_log_in(client, pending_a):
    for response in (
        client.get(QUEUE),
        client.get(_grade_url(pending_a)),
        client.post(_grade_url(pending_a), GOOD_SCORES),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    pending_a.refresh_from_db()
    assert pending_a.pending_review


def test_another_organisation_gets_404_for_every_verb(as_user, charlie, pending_a):
    client = as_user(charlie)
    assert client.get(_grade_url(pending_a)).status_code == 404
    assert client.post(_grade_url(pending_a), GOOD_SCORES).status_code == 404
    pending_a.refresh_from_db()
    assert pending_a.pending_review
    assert pending_a.manual_points is None


def test_a_reviewer_can_grade(as_user, bob, pending_a):
    client = as_user(bob)
    assert client.get(_grade_url(pending_a)).status_code == 200
    response = client.post(_grade_url(pending_a), {**GOOD_SCORES, "comment": "Solid on caching."})
    assert response.status_code == 302
    pending_a.refresh_from_db()
    assert not pending_a.pending_review
    assert pending_a.manual_points == 5.5
    assert pending_a.manual_scores == {"0": 2.0, "1": 1.5, "2": 2.0, "3": 0.0}
    assert pending_a.manual_comment == "Solid on caching."
    assert pending_a.graded_by == bob
    assert pending_a.graded_at is not None


def test_an_owner_can_grade(as_user, alice, pending_a):
    response = as_user(alice).post(_grade_url(pending_a), GOOD_SCORES)
    assert response.status_code == 302
    pending_a.refresh_from_db()
    assert pending_a.graded_by == alice


def test_the_queue_lists_waiting_answers_for_every_member(as_user, alice, rita, bob, pending_a):
    for user in (alice, rita, bob):
        page = as_user(user).get(QUEUE)
        assert page.status_code == 200
        assert _grade_url(pending_a) in page.text
        assert "0 of 1 answers graded" in page.text


def test_the_queue_shows_only_the_organisations_answers(as_user, alice, charlie, org_b, pending_a):
    theirs = _submitted(_assessment(org_b, charlie, title="Bravo architect"), name="Omar Outsider")
    [their_response] = _written(theirs)

    mine = as_user(alice).get(QUEUE).text
    assert "Dana Wells" in mine
    assert "Omar Outsider" not in mine
    assert "Bravo architect" not in mine
    assert _grade_url(their_response) not in mine

    page = as_user(charlie).get(QUEUE).text
    assert "Omar Outsider" in page
    assert "Dana Wells" not in page
    assert _grade_url(pending_a) not in page
    # Charlie's own answer is gradable by Charlie; Alice's is not.
    assert as_user(charlie).get(_grade_url(their_response)).status_code == 200


# The grading page


def test_the_grading_page_shows_prompt_answer_and_rubric(as_user, alice, pending_a):
    page = as_user(alice).get(_grade_url(pending_a)).text
    # The prompt is rendered from Markdown; the answer is escaped with whitespace kept.
    assert "<p>Design the storage and caching for a URL shortener" in page
    assert (
        '<pre class="answer-text" tabindex="0">Base62 codes from ID ranges.\n\n'
        "  Indented for architecture-url-shortener-design.</pre>"
    ) in page
    assert page.count('class="form-control score-input') == 4
    assert 'max="2" step="0.5"' in page
    assert "Dana Wells" in page
    assert "Save and next" in page


def test_the_candidates_answer_is_escaped(as_user, alice, assessment_a):
    attempt = attempt_start(
        invitation=Invitation.objects.create(
            candidate=CandidateFactory(organization=assessment_a.organization),
            assessment=assessment_a,
            expires_at=timezone.now() + timedelta(days=7),
        )
    ).attempt
    [item] = attempt.items.select_related("question").filter(question__slug__in=FREE_TEXT)
    response_save(attempt=attempt, item=item, answer="<script>alert(1)</script>", revision=1)
    attempt_submit(attempt=attempt)
    page = as_user(alice).get(_grade_url(item.response)).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


BAD_SCORES = [
    ({**GOOD_SCORES, "score_1": "3"}, "The score cannot be above 2."),
    ({**GOOD_SCORES, "score_1": "-0.5"}, "The score cannot be below 0."),
    ({**GOOD_SCORES, "score_2": "lots"}, "Enter a number."),
    ({**GOOD_SCORES, "score_2": "nan"}, "Enter a number."),
    ({k: v for k, v in GOOD_SCORES.items() if k != "score_3"}, "Give a score for this"),
]


def test_bad_scores_are_refused_with_a_message_and_nothing_is_saved(
    as_user, bob, attempt_a, pending_a
):
    before = Attempt.objects.get(pk=attempt_a.pk)
    client = as_user(bob)
    for scores, message in BAD_SCORES:
        page = client.post(_grade_url(pending_a), {**scores, "comment": "Should not stick."})
        assert page.status_code == 200
        assert message in page.text
        assert "Nothing was saved" in page.text
        assert 'aria-invalid="true"' in page.text
        pending_a.refresh_from_db()
        assert pending_a.pending_review
        assert pending_a.manual_points is None
        assert pending_a.manual_scores == {}
        assert pending_a.manual_comment == ""
        assert pending_a.graded_by is None
    after = Attempt.objects.get(pk=attempt_a.pk)
    assert (after.score_points, after.provisional) == (before.score_points, before.provisional)


def test_grading_the_last_pending_answer_makes_the_attempt_final(
    as_user, bob, question_bank, org_a
):
    assessment = _assessment(org_a, bob, title="Two", free_text=2)
    attempt = _submitted(assessment)
    first, second = _written(attempt)
    assert attempt.provisional
    before = attempt.score_points
    client = as_user(bob)

    client.post(_grade_url(first), GOOD_SCORES)
    attempt.refresh_from_db()
    assert attempt.provisional  # the second answer still waits
    assert attempt.score_points == pytest.approx(before + 5.5)

    client.post(_grade_url(second), {f"score_{i}": "2" for i in range(4)})
    attempt.refresh_from_db()
    assert not attempt.provisional
    assert attempt.score_points == pytest.approx(before + 5.5 + 8)
    architecture = attempt.skill_scores["architecture"]
    assert architecture["points"] == pytest.approx(13.5)
    assert architecture["max_points"] == pytest.approx(16)


def test_a_regrade_changes_the_score(as_user, alice, attempt_a, pending_a):
    client = as_user(alice)
    client.post(_grade_url(pending_a), GOOD_SCORES)
    attempt_a.refresh_from_db()
    first_score = attempt_a.score_points
    assert not attempt_a.provisional

    # The graded answer is listed under Graded, with a link to change it.
    graded = client.get(QUEUE, {"graded": "1"}).text
    assert _grade_url(pending_a) in graded
    assert "Change grade" in graded
    form = client.get(_grade_url(pending_a)).text
    assert 'value="1.5"' in form  # the stored scores are filled in

    response = client.post(
        _grade_url(pending_a), {"score_0": "0", "score_1": "0", "score_2": "1", "score_3": "0"}
    )
    assert response.status_code == 302
    pending_a.refresh_from_db()
    attempt_a.refresh_from_db()
    assert pending_a.manual_points == 1
    assert attempt_a.score_points == pytest.approx(first_score - 4.5)
    assert not attempt_a.provisional


def test_save_and_next_walks_the_assessment_then_returns_to_the_queue(as_user, rita, assessment_a):
    first = _submitted(assessment_a, name="Ann First")
    second = _submitted(assessment_a, name="Ben Second")
    [first_answer], [second_answer] = _written(first), _written(second)
    client = as_user(rita)

    response = client.post(_grade_url(first_answer), GOOD_SCORES)
    assert response.url == _grade_url(second_answer)
    response = client.post(_grade_url(second_answer), GOOD_SCORES, follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    assert "All answers graded" in response.text


def test_blind_grading_hides_names_until_every_answer_is_graded(as_user, bob, question_bank, org_a):
    blind = _assessment(org_a, bob, title="Blind one", blind=True)
    first = _submitted(blind, name="Ann Hidden")
    second = _submitted(blind, name="Ben Hidden")
    [first_answer], [second_answer] = _written(first), _written(second)
    client = as_user(bob)

    for page in (client.get(QUEUE).text, client.get(_grade_url(first_answer)).text):
        assert "Ann Hidden" not in page
        assert "ann.hidden@candidates.test" not in page
        assert f"Candidate #{first.pk}" in page
    client.post(_grade_url(first_answer), GOOD_SCORES)
    # One answer still waits: names stay hidden, in the graded list too.
    for page in (
        client.get(QUEUE, {"graded": "1"}).text,
        client.get(_grade_url(first_answer)).text,
        client.get(_grade_url(second_answer)).text,
    ):
        assert "Ann Hidden" not in page
        assert "Ben Hidden" not in page

    client.post(_grade_url(second_answer), GOOD_SCORES)
    graded = client.get(QUEUE, {"graded": "1"}).text
    assert "Ann Hidden" in graded
    assert "Ben Hidden" in graded
    assert "Ann Hidden" in client.get(_grade_url(first_answer)).text


def test_the_filter_and_progress_are_per_assessment(as_user, alice, org_a, assessment_a):
    other = _assessment(org_a, alice, title="Second assessment")
    done = _submitted(assessment_a, name="Ann Done")
    _submitted(assessment_a, name="Ben Waiting")
    _submitted(other, name="Cat Other")
    [done_answer] = _written(done)
    client = as_user(alice)
    client.post(_grade_url(done_answer), GOOD_SCORES)

    page = client.get(QUEUE).text
    assert "1 of 3 answers graded" in page  # overall
    assert "1 of 2 answers graded" in page  # Platform engineer
    assert "0 of 1 answers graded" in page  # Second assessment
    filtered = client.get(QUEUE, {"assessment": str(other.code)}).text
    assert "Cat Other" in filtered
    assert "Ben Waiting" not in filtered
    # An unknown or malformed filter shows everything rather than failing.
    assert "Ben Waiting" in client.get(QUEUE, {"assessment": "not-a-uuid"}).text


def test_the_queue_query_count_is_fixed(
    as_user, bob, question_bank, org_a, django_assert_max_num_queries
):
    assessment = _assessment(org_a, bob, title="Busy", free_text=4)
    for number in range(50):
        _submitted(assessment, name=f"Person {number:02d}")
    assert Response.objects.filter(pending_review=True).count() == 200
    client = as_user(bob)
    # session, user, membership with organisation; progress per assessment; page count;
    # the page's 25 answers with question, skill, attempt, invitation, candidate, assessment.
    with django_assert_max_num_queries(6):
        page = client.get(QUEUE, {"page": 3})
    assert page.status_code == 200
    assert page.text.count("btn btn-sm btn-primary") == 25
    assert "0 of 200 answers graded" in page.text


# The service


def test_the_service_refuses_bad_scores_and_saves_nothing(pending_a, alice):
    cases = [
        ({0: 2, 1: 2, 2: 2, 3: 2.5}, "between 0 and 2"),
        ({0: 2, 1: 2, 2: 2, 3: -1}, "between 0 and 2"),
        ({0: 2, 1: 2, 2: "two", 3: 0}, "must be a number"),
        ({0: 2, 1: 2, 2: float("inf"), 3: 0}, "must be a number"),
        ({0: 2, 1: 2, 2: True, 3: 0}, "must be a number"),
        ({0: 2, 1: 2, 2: 2}, "Give a score for criterion 4"),
        ({0: 2, 1: 2, 2: 2, 3: 0, 7: 1}, "criterion this rubric does not have"),
        (["not", "a", "dict"], "could not be read"),
    ]
    for scores, message in cases:
        with pytest.raises(GradingError, match=message):
            response_grade(response=pending_a, scores=scores, comment="", by=alice)
    pending_a.refresh_from_db()
    assert pending_a.pending_review
    assert pending_a.manual_points is None


def test_the_service_accepts_string_indexes_and_numbers(pending_a, alice):
    graded = response_grade(
        response=pending_a, scores={"0": "1.5", "1": 2, "2": 0.5, "3": 0}, comment=" ok ", by=alice
    )
    assert graded.manual_points == 4
    assert graded.manual_comment == "ok"


def test_only_free_text_answers_of_submitted_attempts_can_be_graded(alice, assessment_a, attempt_a):
    other = Response.objects.filter(item__attempt=attempt_a).exclude(
        item__question__type="free_text"
    )[0]
    with pytest.raises(GradingError, match=re.escape(str(NOT_GRADABLE))):
        response_grade(response=other, scores={0: 1}, comment="", by=alice)

    open_attempt = attempt_start(
        invitation=Invitation.objects.create(
            candidate=CandidateFactory(organization=assessment_a.organization),
            assessment=assessment_a,
            expires_at=timezone.now() + timedelta(days=7),
        )
    ).attempt
    [in_progress] = _written(open_attempt)
    with pytest.raises(GradingError, match=re.escape(str(NOT_GRADABLE))):
        response_grade(response=in_progress, scores={0: 1, 1: 1, 2: 1, 3: 1}, comment="", by=alice)
    in_progress.refresh_from_db()
    assert in_progress.manual_points is None


def test_blank_answers_are_not_queued(org_a, alice, assessment_a):
    attempt = _submitted(assessment_a, answered=False)
    [blank] = _written(attempt)
    assert not blank.pending_review
    assert not gradable_responses(organization=org_a).filter(pk=blank.pk).exists()
    assert not Attempt.objects.get(pk=attempt.pk).provisional


def test_statistics_shares_are_stored_at_submission_and_follow_the_reviewers_grade(
    pending_a, alice
):
    attempt = pending_a.item.attempt
    others = list(Response.objects.filter(item__attempt=attempt).exclude(pk=pending_a.pk))
    points = sum(r.auto_points for r in others)
    possible = sum(r.max_points for r in others)
    # Waiting for review: unknown, so no share and no part of the others' rest of test.
    assert (pending_a.score_share, pending_a.rest_share) == (None, None)
    for response in others:
        assert response.score_share == pytest.approx(response.auto_points / response.max_points)
        assert response.rest_share == pytest.approx(
            (points - response.auto_points) / (possible - response.max_points)
        )

    response_grade(response=pending_a, scores={0: 2, 1: 2, 2: 2, 3: 2}, comment="", by=alice)
    pending_a.refresh_from_db()
    assert pending_a.score_share == 1.0  # 8 of 8
    assert pending_a.rest_share == pytest.approx(points / possible)
    for response in others:
        response.refresh_from_db()
        assert response.rest_share == pytest.approx(
            (points + 8 - response.auto_points) / (possible + 8 - response.max_points)
        )
