"""Question and assessment statistics against a small dataset computed by hand.

Five candidates sit four 0/1 items, one per section:

          q1 q2 q3 q4  total  score_percent
    c1     1  1  1  1    4      100
    c2     1  1  1  0    3       75
    c3     1  1  0  0    2       50
    c4     1  0  1  0    2       50
    c5     0  0  0  0    0        0

q2 is a single-choice question (A correct): c1-c3 pick A, c4 picks B, c5 picks C.
Rest-of-test points are total - item; every item is worth 1 and every attempt
is worth 4, so the rest share is rest points / 3, and Pearson's r does not
change under that scaling: the hand arithmetic below uses rest points.
"""

import random
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend

from assessments import statistics, tasks
from assessments.attempts import attempt_submit
from assessments.models import (
    AssessmentStat,
    Attempt,
    AttemptQuestion,
    Choice,
    Question,
    QuestionStat,
    Response,
    Section,
)
from assessments.statistics import (
    assessment_stats_compute,
    question_stats_compute,
    response_shares_store,
    statistics_pending_key,
    statistics_recompute,
    statistics_schedule,
)
from recruiting.models import Candidate, Invitation
from tests.factories import AssessmentFactory, InvitationFactory, SkillFactory

pytestmark = pytest.mark.django_db

MATRIX = [
    [1, 1, 1, 1],
    [1, 1, 1, 0],
    [1, 1, 0, 0],
    [1, 0, 1, 0],
    [0, 0, 0, 0],
]
Q2_PICKS = ["A", "A", "A", "B", "C"]
CHANGELIST = reverse("admin:assessments_question_changelist")


@pytest.fixture(autouse=True)
def _clear_cache():
    # The debounce keys live in the (process-wide) local-memory cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def small_minimum(monkeypatch):
    monkeypatch.setattr(statistics, "MIN_RESPONSES", 5)


def _question(skill, slug, type_="short_answer", choices=()):
    question = Question.objects.create(
        slug=slug,
        skill=skill,
        difficulty=2,
        type=type_,
        prompt="Prompt",
        explanation="Why",
        points=1,
    )
    for position, (text, correct) in enumerate(choices):
        Choice.objects.create(question=question, text=text, is_correct=correct, position=position)
    return question


def _attempt(assessment, *, state="submitted", score_percent=None):
    now = timezone.now()
    return Attempt.objects.create(
        invitation=InvitationFactory(assessment=assessment),
        assessment=assessment,
        seed=1,
        state=state,
        started_at=now - timedelta(minutes=30),
        deadline=now + timedelta(minutes=30),
        submitted_at=now if state == "submitted" else None,
        score_percent=score_percent,
    )


def _store_shares():
    """What scoring does for each attempt, for rows these tests write directly."""
    response_shares_store(Attempt.objects.all())


def _respond(attempt, position, section, question, points, max_points=1.0, answer=None, **extra):
    item = AttemptQuestion.objects.create(
        attempt=attempt, position=position, section=section, question=question
    )
    return Response.objects.create(
        item=item, answer=answer, auto_points=points, max_points=max_points, **extra
    )


@pytest.fixture
def dataset():
    """The table in the module docstring, built row by row with the ORM."""
    assessment = AssessmentFactory()
    skills = [SkillFactory() for _ in range(4)]
    sections = [
        Section.objects.create(assessment=assessment, skill=skill, question_count=1, position=i)
        for i, skill in enumerate(skills)
    ]
    questions = [
        _question(skills[0], "q1"),
        _question(
            skills[1],
            "q2",
            "single_choice",
            choices=[("Option A", True), ("Option B", False), ("Option C", False)],
        ),
        _question(skills[2], "q3"),
        _question(skills[3], "q4"),
    ]
    choice_ids = {c.text[-1]: str(c.pk) for c in questions[1].choices.all()}
    attempts = []
    for row, pick in zip(MATRIX, Q2_PICKS, strict=True):
        attempt = _attempt(assessment, score_percent=25.0 * sum(row))
        for position, (section, question, points) in enumerate(
            zip(sections, questions, row, strict=True), start=1
        ):
            answer = choice_ids[pick] if question.slug == "q2" else "text"
            _respond(attempt, position, section, question, points, answer=answer)
        attempts.append(attempt)
    _store_shares()
    return {
        "assessment": assessment,
        "sections": sections,
        "questions": questions,
        "choices": choice_ids,
        "attempts": attempts,
    }


def _stat(question):
    return QuestionStat.objects.get(question=question)


def test_facility_and_discrimination_match_the_hand_computation(dataset, small_minimum):
    written = question_stats_compute()
    assert written == 4
    q1, q2, q3, q4 = (_stat(q) for q in dataset["questions"])
    assert [s.responses for s in (q1, q2, q3, q4)] == [5, 5, 5, 5]
    # Facility = mean score: q1 4/5, q2 3/5, q3 3/5, q4 1/5.
    assert q1.facility == pytest.approx(0.8)
    assert q2.facility == pytest.approx(0.6)
    assert q3.facility == pytest.approx(0.6)
    assert q4.facility == pytest.approx(0.2)
    # q1: x = 1,1,1,1,0 (mean .8); rest = 3,2,1,1,0 (mean 1.4)
    #   sxy = .2(1.6+.6-.4-.4) + (-.8)(-1.4) = .28 + 1.12 = 1.4
    #   sxx = 4(.04) + .64 = .8; syy = 2.56+.36+.16+.16+1.96 = 5.2
    #   r = 1.4 / sqrt(.8 x 5.2) = 1.4 / sqrt(4.16) = 0.68641
    assert q1.discrimination == pytest.approx(0.686406, abs=1e-6)
    # q2: x = 1,1,1,0,0 (mean .6); rest = 3,2,1,2,0 (mean 1.6)
    #   sxy = .4(1.4+.4-.6) + (-.6)(.4-1.6) = .48 + .72 = 1.2
    #   sxx = 3(.16) + 2(.36) = 1.2; syy = 1.96+.16+.36+.16+2.56 = 5.2
    #   r = 1.2 / sqrt(1.2 x 5.2) = 1.2 / sqrt(6.24) = 0.48038
    assert q2.discrimination == pytest.approx(0.480384, abs=1e-6)
    # q3: x = 1,1,0,1,0; rest = 3,2,2,1,0: sxy = .56+.16-.24-.24+.96 = 1.2,
    #   sxx = 1.2, syy = 5.2: the same 0.48038
    assert q3.discrimination == pytest.approx(0.480384, abs=1e-6)
    # q4: x = 1,0,0,0,0 (mean .2); rest = 3,3,2,2,0 (mean 2)
    #   sxy = .8(1) + (-.2)(1+0+0-2) = 1.0; sxx = .64 + 4(.04) = .8; syy = 1+1+0+0+4 = 6
    #   r = 1 / sqrt(4.8) = 0.45644
    assert q4.discrimination == pytest.approx(0.456435, abs=1e-6)
    assert q1.option_counts == {}  # not a choice question


def test_option_counts_split_the_upper_and_lower_27_percent(dataset, small_minimum):
    question_stats_compute()
    counts = _stat(dataset["questions"][1]).option_counts
    a, b, c = (dataset["choices"][letter] for letter in "ABC")
    # Groups: round(27% of 5) = 1 candidate each. Ranked by rest of test
    # (3,2,1,2,0): upper = c1 (rest 3, picked A), lower = c5 (rest 0, picked C).
    assert counts == {
        a: {"all": 3, "upper": 1, "lower": 0},
        b: {"all": 1, "upper": 0, "lower": 0},
        c: {"all": 1, "upper": 0, "lower": 1},
    }


def test_reliability_is_kr20_over_sections_and_the_distribution_counts_bands(
    dataset, small_minimum
):
    assert assessment_stats_compute() == 1
    stat = AssessmentStat.objects.get(assessment=dataset["assessment"])
    assert stat.attempts == 5
    # Scores 100, 75, 50, 50, 0: mean 275/5 = 55.
    assert stat.mean_percent == pytest.approx(55.0)
    # Deviations 45, 20, -5, -5, -55: squares 2025+400+25+25+3025 = 5500; /(5-1) = 1375.
    assert stat.sd_percent == pytest.approx(1375**0.5)
    # Bands: 0 -> [0-10), 50, 50 -> [50-60), 75 -> [70-80), 100 -> [90-100].
    assert stat.distribution == [1, 0, 0, 0, 0, 2, 0, 1, 0, 1]
    # KR-20 with k = 4 sections of one 0/1 item each:
    #   sum p(1-p) = .8(.2) + .6(.4) + .6(.4) + .2(.8) = .16+.24+.24+.16 = .8
    #   totals 4,3,2,2,0 (mean 2.2): var = (3.24+.64+.04+.04+4.84)/5 = 1.76
    #   alpha = 4/3 x (1 - .8/1.76) = 0.72727
    assert stat.reliability == pytest.approx(0.727273, abs=1e-6)


def test_too_few_responses_store_counts_but_no_values(dataset):
    # The real minimum (20) against 5 responses.
    statistics_recompute()
    stat = _stat(dataset["questions"][1])
    assert stat.responses == 5
    assert stat.facility is None
    assert stat.discrimination is None
    assert stat.option_counts[dataset["choices"]["A"]]["all"] == 3
    assessment_stat = AssessmentStat.objects.get(assessment=dataset["assessment"])
    assert assessment_stat.attempts == 5
    assert assessment_stat.reliability is None


def test_pending_free_text_is_left_out_and_manual_grades_count(dataset, monkeypatch):
    monkeypatch.setattr(statistics, "MIN_RESPONSES", 2)
    skill = SkillFactory()
    section = Section.objects.create(
        assessment=dataset["assessment"], skill=skill, question_count=1, position=9
    )
    essay = _question(skill, "essay", "free_text")
    # c1 graded 3 of 4 by a reviewer (auto gave nothing), c2 graded 1 of 4,
    # c3 still waiting for review: it is not a zero, it is unknown.
    graded = [(0, 3.0), (1, 1.0)]
    for index, manual in graded:
        _respond(
            dataset["attempts"][index], 5, section, essay, None, 4.0, "essay", manual_points=manual
        )
    _respond(dataset["attempts"][2], 5, section, essay, None, 4.0, "essay", pending_review=True)
    _store_shares()
    question_stats_compute()
    stat = _stat(essay)
    assert stat.responses == 2
    # (3/4 + 1/4) / 2 = 0.5
    assert stat.facility == pytest.approx(0.5)
    # The pending essay stays out of c3's rest-of-test total too: graded now,
    # the other items' statistics would move.
    before = _stat(dataset["questions"][3]).discrimination
    Response.objects.filter(item__question=essay, pending_review=True).update(manual_points=0.0)
    _store_shares()
    question_stats_compute()
    assert _stat(essay).responses == 3
    assert _stat(dataset["questions"][3]).discrimination != pytest.approx(before)


def test_multiple_choice_counts_every_pick_and_ignores_unknown_ids(monkeypatch):
    monkeypatch.setattr(statistics, "MIN_RESPONSES", 1)
    assessment = AssessmentFactory()
    skill = SkillFactory()
    section = Section.objects.create(assessment=assessment, skill=skill, question_count=1)
    question = _question(
        skill, "multi", "multiple_choice", choices=[("x A", True), ("x B", True), ("x C", False)]
    )
    a, b, c = (str(pk) for pk in question.choices.values_list("pk", flat=True))
    for answer in ([a, b], [a], ["99999"], None):
        _respond(_attempt(assessment, score_percent=0), 1, section, question, 0.5, answer=answer)
    _store_shares()
    question_stats_compute()
    counts = _stat(question).option_counts
    assert {pk: row["all"] for pk, row in counts.items()} == {a: 2, b: 1, c: 0}
    assert _stat(question).responses == 4


def test_attempts_in_progress_are_ignored(dataset, small_minimum):
    open_attempt = _attempt(dataset["assessment"], state="in_progress")
    _respond(open_attempt, 1, dataset["sections"][0], dataset["questions"][0], 0)
    _store_shares()
    assert not Response.objects.filter(item__attempt=open_attempt, score_share__isnull=False)
    statistics_recompute()
    assert _stat(dataset["questions"][0]).responses == 5
    assert AssessmentStat.objects.get().attempts == 5


def test_recomputing_updates_rows_and_drops_questions_without_responses(dataset, small_minimum):
    statistics_recompute()
    first = _stat(dataset["questions"][3])
    # c5 now also gets q4 right: facility 2/5.
    Response.objects.filter(
        item__attempt=dataset["attempts"][4], item__question=dataset["questions"][3]
    ).update(auto_points=1.0)
    _store_shares()
    statistics_recompute(now=first.computed_at + timedelta(hours=1))
    second = _stat(dataset["questions"][3])
    assert second.pk == first.pk
    assert second.facility == pytest.approx(0.4)
    assert second.computed_at == first.computed_at + timedelta(hours=1)
    Invitation.objects.filter(assessment=dataset["assessment"]).delete()
    statistics_recompute()
    assert not QuestionStat.objects.exists()
    assert not AssessmentStat.objects.exists()


def test_recomputing_some_questions_leaves_the_others_alone(dataset, small_minimum):
    q1, q2, *_ = dataset["questions"]
    assert question_stats_compute(question_ids=[q1.pk]) == 1
    assert list(QuestionStat.objects.values_list("question", flat=True)) == [q1.pk]
    # The rest of the test still counts: the same r as the full computation.
    assert _stat(q1).discrimination == pytest.approx(0.686406, abs=1e-6)
    question_stats_compute()
    untouched = _stat(q2).computed_at
    later = untouched + timedelta(hours=1)
    assert question_stats_compute(question_ids=[q1.pk], now=later) == 1
    assert _stat(q1).computed_at == later
    assert _stat(q2).computed_at == untouched
    assert QuestionStat.objects.count() == 4


def test_the_task_recomputes_one_assessment(dataset, small_minimum):
    other = AssessmentFactory()
    _attempt(other, score_percent=10)
    result = tasks.recompute_statistics_task.enqueue(assessment_id=dataset["assessment"].pk)
    assert result.return_value == {"questions": 4, "assessments": 1}
    assert AssessmentStat.objects.get().assessment == dataset["assessment"]


def test_the_command_can_store_the_shares_again_first(dataset, small_minimum, capsys):
    # Grades changed behind scoring's back (a manual fix in the database).
    Response.objects.filter(item__question=dataset["questions"][3]).update(auto_points=1.0)
    call_command("compute_statistics")
    assert _stat(dataset["questions"][3]).facility == pytest.approx(0.2)  # the stored shares
    call_command("compute_statistics", "--shares")
    assert _stat(dataset["questions"][3]).facility == pytest.approx(1.0)
    assert "Stored the shares of 20 response(s)" in capsys.readouterr().out


def test_the_command_recomputes_everything(dataset, small_minimum, capsys):
    call_command("compute_statistics")
    out = capsys.readouterr().out
    assert "4 question version(s) and 1 assessment(s)" in out
    assert " s." in out


# Debounced scheduling after submissions.


def _open_attempt(assessment, section, question, answer):
    attempt = _attempt(assessment, state="in_progress")
    _respond(attempt, 1, section, question, None, None, answer)
    return attempt


@pytest.fixture
def sittings():
    """Three open attempts at one single-choice question, ready to submit."""
    assessment = AssessmentFactory()
    skill = SkillFactory()
    section = Section.objects.create(assessment=assessment, skill=skill, question_count=1)
    question = _question(skill, "sc", "single_choice", choices=[("yes", True), ("no", False)])
    right = str(question.choices.get(is_correct=True).pk)
    return assessment, [_open_attempt(assessment, section, question, right) for _ in range(3)]


def test_many_submissions_within_a_minute_recompute_once(
    sittings, monkeypatch, django_capture_on_commit_callbacks
):
    assessment, attempts = sittings
    runs = []
    monkeypatch.setattr(tasks, "statistics_recompute", lambda **kw: runs.append(kw) or {})
    for attempt in attempts:
        with django_capture_on_commit_callbacks(execute=True):
            submitted = attempt_submit(attempt=attempt)
        assert submitted.score_percent == 100.0
    assert runs == [{"assessment_ids": [assessment.pk]}]
    # The window closes (the key expires): the next submission queues again.
    cache.delete(statistics_pending_key(assessment.pk))
    with django_capture_on_commit_callbacks(execute=True):
        statistics_schedule(assessment=assessment)
    assert len(runs) == 2


def test_nothing_is_queued_before_the_submission_commits(
    sittings, monkeypatch, django_capture_on_commit_callbacks
):
    _assessment, attempts = sittings
    runs = []
    monkeypatch.setattr(tasks, "statistics_recompute", lambda **kw: runs.append(kw) or {})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        attempt_submit(attempt=attempts[0])
    assert runs == []
    assert len(callbacks) == 1


def test_a_backend_that_can_defer_runs_the_recompute_after_the_window(
    sittings, monkeypatch, django_capture_on_commit_callbacks
):
    assessment, _attempts = sittings
    queued = []
    monkeypatch.setattr(ImmediateBackend, "supports_defer", True)
    monkeypatch.setattr(
        ImmediateBackend, "enqueue", lambda self, task, args, kwargs: queued.append(task)
    )
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert statistics_schedule(assessment=assessment) is True
        assert statistics_schedule(assessment=assessment) is False
    assert len(queued) == 1
    assert queued[0].run_after >= before + timedelta(seconds=statistics.DEBOUNCE_SECONDS)


# Admin.


def _stat_row(question, **values):
    defaults = {"responses": 30, "computed_at": timezone.now()}
    return QuestionStat.objects.create(question=question, **{**defaults, **values})


@pytest.fixture
def rated_questions():
    skill = SkillFactory()
    easy = _question(skill, "easy")
    hard = _question(skill, "hard")
    poor = _question(skill, "poor")
    fine = _question(skill, "fine")
    bare = _question(skill, "bare")
    _stat_row(easy, facility=0.95, discrimination=0.3)
    _stat_row(hard, facility=0.1, discrimination=0.4)
    _stat_row(poor, facility=0.5, discrimination=0.05)
    _stat_row(fine, facility=0.6, discrimination=0.45)
    return {"easy": easy, "hard": hard, "poor": poor, "fine": fine, "bare": bare}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"facility": "easy"}, {"easy"}),
        ({"facility": "hard"}, {"hard"}),
        ({"discrimination": "poor"}, {"poor"}),
        ({"has_statistics": "yes"}, {"easy", "hard", "poor", "fine"}),
        ({"has_statistics": "no"}, {"bare"}),
        ({}, {"easy", "hard", "poor", "fine", "bare"}),
    ],
)
def test_the_changelist_filters_by_statistics(rated_questions, staff_client, query, expected):
    response = staff_client.get(CHANGELIST, query)
    assert response.status_code == 200
    assert {q.slug for q in response.context["cl"].result_list} == expected


def test_the_changelist_shows_the_statistics_columns(rated_questions, staff_client):
    response = staff_client.get(CHANGELIST, {"o": "9"})  # ordered by facility
    content = response.content.decode()
    assert "95%" in content
    assert "0.05" in content
    slugs = [q.slug for q in response.context["cl"].result_list]
    assert slugs.index("hard") < slugs.index("easy")


def _changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGELIST, {"versions": "all"}).status_code == 200
    return len(queries)


def test_the_changelist_query_count_stays_fixed_with_statistics(
    staff_client, django_assert_num_queries
):
    skill = SkillFactory()
    for index in range(5):
        _stat_row(_question(skill, f"first-{index}"), facility=0.5, discrimination=0.3)
    few = _changelist_queries(staff_client)
    for index in range(40):
        _stat_row(_question(skill, f"more-{index}"), facility=0.5, discrimination=0.3)
    # session, user, the skill-category and skill filter choices, filtered and
    # total counts, the page of questions joined with skill, owner and stat,
    # the navigation's membership: no query per row for the statistics columns.
    with django_assert_num_queries(few):
        staff_client.get(CHANGELIST, {"versions": "all"})
    assert few <= 8


def test_the_change_page_shows_statistics_and_the_option_table(dataset, staff_client):
    q2 = dataset["questions"][1]
    _stat_row(
        q2,
        responses=25,
        facility=0.6,
        discrimination=0.4804,
        option_counts={
            dataset["choices"]["A"]: {"all": 15, "upper": 6, "lower": 1},
            dataset["choices"]["C"]: {"all": 5, "upper": 0, "lower": 4},
        },
    )
    response = staff_client.get(reverse("admin:assessments_question_change", args=[q2.pk]))
    assert response.status_code == 200
    panel = response.context["question_statistics"]
    assert panel["facility"] == "60%"
    assert panel["discrimination"] == "0.48"
    assert [(o["text"], o["all"], o["upper"], o["lower"]) for o in panel["options"]] == [
        ("Option A", 15, 6, 1),
        ("Option B", 0, 0, 0),
        ("Option C", 5, 0, 4),
    ]
    content = response.content.decode()
    assert 'id="question-statistics"' in content
    assert "Upper 27%" in content


@pytest.mark.parametrize("responses", [None, 3])
def test_the_change_page_says_when_there_are_too_few_responses(dataset, staff_client, responses):
    question = dataset["questions"][0]
    if responses is not None:
        _stat_row(question, responses=responses)
    Question.objects.filter(pk=question.pk).update(locked_at=timezone.now())  # view-only page
    response = staff_client.get(reverse("admin:assessments_question_change", args=[question.pk]))
    assert response.status_code == 200
    assert f"Not enough responses yet ({responses or 0} of 20)." in response.content.decode()


# Performance: a fixed number of queries however many responses.


def _bulk_dataset(attempt_count=100, question_count=20, seed=7):
    """attempt_count x question_count responses, built with a handful of bulk inserts."""
    rng = random.Random(seed)
    assessment = AssessmentFactory()
    skills = [SkillFactory() for _ in range(4)]
    sections = [
        Section.objects.create(assessment=assessment, skill=skill, question_count=5, position=i)
        for i, skill in enumerate(skills)
    ]
    questions = [
        _question(
            skills[i % 4],
            f"bulk-{i}",
            "single_choice",
            choices=[("right", True), ("wrong", False), ("other", False)],
        )
        for i in range(question_count)
    ]
    choice_ids = {
        q.pk: [str(pk) for pk in q.choices.values_list("pk", flat=True)] for q in questions
    }
    candidates = Candidate.objects.bulk_create(
        Candidate(organization=assessment.organization, name=f"C{i}", email=f"c{i}@example.com")
        for i in range(attempt_count)
    )
    now = timezone.now()
    invitations = Invitation.objects.bulk_create(
        Invitation(candidate=c, assessment=assessment, expires_at=now + timedelta(days=7))
        for c in candidates
    )
    ability = [rng.random() for _ in range(attempt_count)]
    attempts = Attempt.objects.bulk_create(
        Attempt(
            invitation=invitation,
            assessment_id=invitation.assessment_id,
            seed=1,
            state="submitted",
            started_at=now - timedelta(hours=1),
            deadline=now,
            submitted_at=now,
            score_percent=round(100 * ability[i], 1),
        )
        for i, invitation in enumerate(invitations)
    )
    items = AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            attempt=attempt, position=p + 1, section=sections[p % 4], question=questions[p]
        )
        for attempt in attempts
        for p in range(question_count)
    )
    responses = []
    for index, item in enumerate(items):
        correct = rng.random() < ability[index // question_count]
        ids = choice_ids[item.question_id]
        responses.append(
            Response(
                item=item,
                answer=ids[0] if correct else rng.choice(ids[1:]),
                auto_points=1.0 if correct else 0.0,
                max_points=1.0,
            )
        )
    Response.objects.bulk_create(responses)
    _store_shares()
    return assessment, questions


def test_computing_over_thousands_of_responses_takes_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    assessment, questions = _bulk_dataset()
    assert Response.objects.count() == 2000
    # Questions: the sums, the option counts, the choices of 20 choice
    # questions, savepoint, upsert, delete of stale rows, release. Assessments:
    # the attempts, the per-section sums, savepoint, upsert, delete, release.
    with django_assert_max_num_queries(13):
        result = statistics_recompute()
    assert result == {"questions": 20, "assessments": 1}
    stats = QuestionStat.objects.filter(question__in=questions)
    assert all(s.responses == 100 and s.facility is not None for s in stats)
    # Abler candidates get more right: items discriminate positively.
    assert all(s.discrimination > 0 for s in stats)
    assessment_stat = AssessmentStat.objects.get(assessment=assessment)
    assert assessment_stat.attempts == 100
    assert sum(assessment_stat.distribution) == 100
    assert assessment_stat.reliability > 0.5


def test_the_ranked_groups_match_ranking_every_response_in_python(monkeypatch):
    """The database's ranking (window functions) against the plain definition.

    With 0/1 items many candidates tie on the rest of the test, so the attempt
    id settles who is at a group's edge.
    """
    monkeypatch.setattr(statistics, "MIN_RESPONSES", 5)
    _assessment, questions = _bulk_dataset(attempt_count=37, question_count=8, seed=3)
    question_stats_compute()
    rows = Response.objects.filter(item__question__in=questions).values_list(
        "item__question_id", "item__attempt_id", "answer", "rest_share"
    )
    by_question = {}
    for question_id, attempt_id, answer, rest in rows:
        by_question.setdefault(question_id, []).append((rest, attempt_id, answer))
    for question in questions:
        ranked = sorted(by_question[question.pk])
        size = statistics._group_size(len(ranked))
        expected = {
            str(pk): {"all": 0, "upper": 0, "lower": 0}
            for pk in question.choices.values_list("pk", flat=True)
        }
        for group, members in (
            ("all", ranked),
            ("lower", ranked[:size]),
            ("upper", ranked[-size:]),
        ):
            for _rest, _attempt, answer in members:
                expected[answer][group] += 1
        assert size == 10
        assert _stat(question).option_counts == expected
