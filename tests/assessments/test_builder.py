import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import builder
from assessments.models import Assessment, Question, Section
from recruiting.models import Invitation
from roles.models import RoleProfile
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def _profile(role="backend-engineer", level="senior"):
    return RoleProfile.objects.with_related().get(role__slug=role, level__slug=level)


@pytest.fixture
def draft(question_bank, org_a, alice):
    return builder.assessment_create_from_profile(profile=_profile(), organization=org_a, by=alice)


def _start_a_candidate(assessment):
    candidate = CandidateFactory(organization=assessment.organization)
    return Invitation.objects.create(
        candidate=candidate,
        assessment=assessment,
        expires_at=timezone.now() + timezone.timedelta(days=7),
        status="started",
        started_at=timezone.now(),
    )


# The proposal


@pytest.mark.parametrize(
    "role", ["backend-developer", "backend-engineer"], ids=["developer", "engineer"]
)
@pytest.mark.parametrize("level", ["junior", "mid-level", "senior", "lead"])
def test_every_profiles_proposal_can_be_published_and_drawn(
    question_bank, org_a, alice, role, level
):
    profile = _profile(role, level)
    assessment = builder.assessment_create_from_profile(
        profile=profile, organization=org_a, by=alice
    )
    assert builder.publish_problems(assessment) == []
    builder.assessment_publish(assessment=assessment)
    drawn = builder.draw_questions(assessment=assessment, seed=7)
    assert len(drawn) == 20
    assert len({d.question.lineage for d in drawn}) == 20
    for entry in drawn:
        assert (
            entry.section.difficulty_min
            <= entry.question.difficulty
            <= entry.section.difficulty_max
        )
        assert entry.question.skill_id == entry.section.skill_id


def test_sections_follow_the_profiles_weights(question_bank, org_a):
    proposal = builder.assessment_propose(profile=_profile(), organization=org_a)
    weights = {rs.skill_id: rs.weight for rs in _profile().role_skills.all()}
    counts = [(weights[s.skill.pk], s.question_count) for s in proposal.sections]
    heavy = [n for w, n in counts if w == 5]
    lighter = [n for w, n in counts if w < 5]
    assert min(heavy) >= max(lighter)
    # With more skills than room, the lightest skills are the ones left out.
    kept = {s.skill.pk for s in proposal.sections}
    dropped = [w for skill_id, w in weights.items() if skill_id not in kept]
    assert max(dropped, default=0) <= min(weights[pk] for pk in kept)
    assert proposal.question_count == 20


@pytest.mark.parametrize(("level", "low", "high"), [("junior", 1, 2), ("lead", 3, 4)])
def test_the_difficulty_mix_is_centred_on_the_level(question_bank, org_a, level, low, high):
    proposal = builder.assessment_propose(profile=_profile(level=level), organization=org_a)
    assert {(s.difficulty_min, s.difficulty_max) for s in proposal.sections} == {(low, high)}


def test_allocation_never_exceeds_what_the_pool_holds():
    assert builder._allocate([5, 5, 1], 10, [2, 20, 20]) == [2, 7, 1]
    assert sum(builder._allocate([3, 3, 3], 7, [9, 9, 9])) == 7
    assert builder._allocate([5, 1], 10, [3, 2]) == [3, 2]


# The draw


def test_the_draw_is_repeatable_for_a_seed_and_varies_between_seeds(draft):
    first = [d.question.pk for d in builder.draw_questions(assessment=draft, seed=1)]
    again = [d.question.pk for d in builder.draw_questions(assessment=draft, seed=1)]
    other = [d.question.pk for d in builder.draw_questions(assessment=draft, seed=2)]
    assert first == again
    assert first != other


def test_pinned_questions_are_always_drawn(draft):
    section = draft.sections.first()
    question = builder.question_pool(draft.organization).filter(skill=section.skill).last()
    builder.section_pin(section=section, question=question, pinned=True)
    for seed in range(5):
        drawn = builder.draw_questions(assessment=draft, seed=seed)
        assert question.pk in [d.question.pk for d in drawn]


def test_retired_questions_are_never_drawn(draft):
    section = draft.sections.first()
    Question.objects.filter(skill=section.skill).update(status=Question.Status.RETIRED)
    assert builder.publish_problems(draft)
    drawn = builder.draw_questions(assessment=draft, seed=3)
    assert all(d.section.pk != section.pk for d in drawn)


# Editing and locking


def test_publishing_is_refused_while_a_section_cannot_be_filled(draft):
    section = draft.sections.first()
    builder.section_save(
        assessment=draft, skill=section.skill, question_count=50, difficulty_min=4, difficulty_max=4
    )
    with pytest.raises(builder.AssessmentError, match="only"):
        builder.assessment_publish(assessment=draft)
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT


def test_once_a_candidate_started_the_structure_is_fixed(draft):
    builder.assessment_publish(assessment=draft)
    _start_a_candidate(draft)
    section = draft.sections.first()
    with pytest.raises(builder.AssessmentError, match="Duplicate"):
        builder.section_save(
            assessment=draft,
            skill=section.skill,
            question_count=1,
            difficulty_min=1,
            difficulty_max=1,
        )
    with pytest.raises(builder.AssessmentError):
        builder.assessment_update(assessment=draft, changes={"time_limit_minutes": 99})
    builder.assessment_update(assessment=draft, changes={"title": "Renamed"})
    copy = builder.assessment_duplicate(assessment=draft, by=None)
    assert copy.status == Assessment.Status.DRAFT
    assert copy.sections.count() == draft.sections.count()
    builder.section_save(
        assessment=copy, skill=section.skill, question_count=1, difficulty_min=1, difficulty_max=2
    )


def test_closing_keeps_the_results_and_stops_the_public_link(draft):
    builder.assessment_publish(assessment=draft)
    Assessment.objects.filter(pk=draft.pk).update(public_link_enabled=True)
    closed = builder.assessment_close(assessment=draft)
    assert closed.status == Assessment.Status.CLOSED
    assert not closed.public_link_enabled


# Views: the persona ladder


def _views(assessment):
    code = assessment.code
    section = assessment.sections.first()
    reads = [
        reverse("assessments:detail", args=[code]),
        reverse("assessments:preview", args=[code]),
        reverse("assessments:section-questions", args=[code, section.pk]),
    ]
    writes = [
        (
            reverse("assessments:settings", args=[code]),
            {"title": "T", "time_limit_minutes": 30, "pass_mark": 50},
        ),
        (
            reverse("assessments:section-save", args=[code]),
            {
                "skill": section.skill_id,
                "question_count": 1,
                "difficulty_min": 1,
                "difficulty_max": 4,
            },
        ),
        (reverse("assessments:section-remove", args=[code, section.pk]), {}),
        (reverse("assessments:publish", args=[code]), {}),
        (reverse("assessments:close", args=[code]), {}),
        (reverse("assessments:duplicate", args=[code]), {}),
    ]
    return reads, writes


def test_anonymous_visitors_are_sent_to_log_in(draft, as_user):
    client = as_user(None)
    reads, writes = _views(draft)
    for url in [*reads, reverse("assessments:list"), reverse("assessments:new")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    for url, data in writes:
        assert client.post(url, data).url.startswith(reverse("login"))


def test_another_organisations_assessment_is_a_404_for_every_verb(draft, charlie, as_user):
    client = as_user(charlie)
    reads, writes = _views(draft)
    for url in reads:
        assert client.get(url).status_code == 404, url
    for url, data in writes:
        assert client.post(url, data).status_code == 404, url
    assert draft.title not in client.get(reverse("assessments:list")).text


def test_a_reviewer_reads_but_cannot_change(draft, bob, as_user):
    client = as_user(bob)
    reads, writes = _views(draft)
    for url in reads:
        assert client.get(url).status_code == 200, url
    for url, data in writes:
        assert client.post(url, data).status_code == 403, url
    assert client.get(reverse("assessments:new")).status_code == 403
    assert client.get(reverse("assessments:question-new")).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT


def test_a_recruiter_builds_previews_and_publishes(question_bank, rita, as_user):
    client = as_user(rita)
    page = client.get(reverse("assessments:new"), {"profile": "backend-engineer:senior"})
    assert "Proposed for Backend Engineer — Senior" in page.text
    response = client.post(
        reverse("assessments:new"),
        {"profile": _profile().pk, "question_count": 12, "create": "1"},
    )
    assessment = Assessment.objects.get()
    assert response.url == assessment.get_absolute_url()
    assert sum(assessment.sections.values_list("question_count", flat=True)) == 12

    preview = client.get(reverse("assessments:preview", args=[assessment.code]))
    assert preview.status_code == 200
    assert preview.text.count('class="card mb-3 preview-question"') == 12
    assert not Question.objects.filter(locked_at__isnull=False).exists()

    client.post(reverse("assessments:publish", args=[assessment.code]))
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.PUBLISHED


def test_a_started_assessment_page_says_the_structure_is_fixed(draft, alice, as_user):
    builder.assessment_publish(assessment=draft)
    _start_a_candidate(draft)
    client = as_user(alice)
    page = client.get(draft.get_absolute_url())
    assert "are fixed. Duplicate it to change them." in page.text
    section = draft.sections.first()
    response = client.post(
        reverse("assessments:section-save", args=[draft.code]),
        {"skill": section.skill_id, "question_count": 9, "difficulty_min": 1, "difficulty_max": 4},
        follow=True,
    )
    assert "can no longer change" in response.text
    assert Section.objects.get(pk=section.pk).question_count == section.question_count


def test_the_list_has_a_fixed_number_of_queries(
    question_bank, org_a, alice, as_user, django_assert_max_num_queries
):
    for _ in range(30):
        assessment = builder.assessment_create_from_profile(
            profile=_profile(), organization=org_a, by=alice
        )
        _start_a_candidate(assessment)
    client = as_user(alice)
    # session, user, membership (tenancy) + membership (navigation), count, page of
    # assessments with profile, role, level, creator and invitation counts.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("assessments:list"))
    assert response.text.count("Backend Engineer — Senior assessment") == 25


def test_the_list_shows_the_average_of_submitted_scores(draft, alice, as_user):
    builder.assessment_publish(assessment=draft)
    for score in (40.0, 80.0):
        invitation = _start_a_candidate(draft)
        from assessments.models import Attempt

        Attempt.objects.create(
            invitation=invitation,
            assessment_id=invitation.assessment_id,
            seed=1,
            started_at=timezone.now() - timezone.timedelta(hours=1),
            deadline=timezone.now(),
            state="submitted",
            score_percent=score,
        )
    page = as_user(alice).get(reverse("assessments:list")).text
    assert "60%" in page


# Organisation-private questions


def _question_post(**overrides):
    from roles.models import Skill

    data = {
        "type": "single_choice",
        "skill": Skill.objects.get(slug="sql").pk,
        "difficulty": 2,
        "prompt": "Which index type suits equality lookups on `orders.status` here?",
        "explanation": "A B-tree handles equality and ranges.",
        "points": 1,
        "suggested_seconds": 60,
        "status": "published",
        "choices": "*B-tree\nGIN\nBRIN",
        "tolerance": "0",
    }
    data.update(overrides)
    return data


def test_a_recruiter_writes_a_private_question_that_joins_the_pool(
    question_bank, org_a, rita, as_user
):
    client = as_user(rita)
    response = client.post(reverse("assessments:question-new"), _question_post())
    assert response.status_code == 302
    question = Question.objects.get(owner=org_a)
    assert question.author == rita
    assert question in builder.question_pool(org_a)
    assert question not in builder.question_pool(org_a.__class__.objects.create(name="Z", slug="z"))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"choices": "*B-tree\n*GIN"}, "Mark exactly one choice as correct."),
        (
            {"type": "sql", "choices": "", "reference_query": "SELECT nope FROM orders"},
            "no such column",
        ),
        ({"type": "free_text", "choices": "", "points": 4, "rubric": "2 | Names it"}, "rubric"),
        ({"type": "numeric", "choices": ""}, "Enter the correct number."),
    ],
)
def test_inconsistent_private_questions_are_refused_clearly(
    question_bank, rita, as_user, overrides, message
):
    from assessments.models import SqlDataset

    if overrides.get("type") == "sql":
        overrides["dataset"] = SqlDataset.objects.get(name="shop").pk
    response = as_user(rita).post(reverse("assessments:question-new"), _question_post(**overrides))
    assert response.status_code == 200
    assert message.lower() in response.text.lower()
    assert not Question.objects.filter(owner__isnull=False).exists()
