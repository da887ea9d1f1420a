"""The benchmark's own data: an organisation, a published assessment, candidates.

The load-test candidates are made through the services (candidate_create,
invitation_create, attempt_start), as a recruiter and a candidate would make
them. The thousands of completed attempts behind the recruiter pages are
written with bulk_create, with scores and answers shaped like the ones
scoring writes, because building 10,000 attempts one service call at a time
would take longer than the whole benchmark may.

Import after Django is set up (bench/cli.py does it; the test suite has it).
"""

import random
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from assessments import builder
from assessments.attempts import attempt_start
from assessments.models import Assessment, Attempt, AttemptQuestion, Question, Response
from assessments.statistics import response_shares
from recruiting.models import Candidate, Invitation, Membership, Organization, Stage, User
from recruiting.services.candidates import candidate_create
from recruiting.services.invitations import invitation_create
from roles.models import RoleProfile

QUESTIONS_PER_ATTEMPT = 10
BATCH = 2000
PROFILE = ("backend-engineer", "senior")


@dataclass
class Workspace:
    organization: Organization
    owner: User
    assessment: Assessment


def _profile() -> RoleProfile:
    profile = (
        RoleProfile.objects.filter(role__slug=PROFILE[0], level__slug=PROFILE[1]).first()
        or RoleProfile.objects.order_by("pk").first()
    )
    if profile is None:
        raise RuntimeError("The role library is empty: run `manage.py load_library` first.")
    return profile


def workspace_create(*, slug: str, questions: int = QUESTIONS_PER_ATTEMPT) -> Workspace:
    """An organisation with an owner and a published assessment of `questions` questions."""
    with transaction.atomic():
        organization = Organization.objects.create(name=f"Bench {slug}", slug=slug)
        owner = User.objects.create_user(email=f"owner@{slug}.bench.test", full_name="Bench Owner")
        Membership.objects.create(user=owner, organization=organization, role=Membership.Role.OWNER)
        assessment = builder.assessment_create_from_profile(
            profile=_profile(), organization=organization, by=owner, total_questions=questions
        )
    assessment = builder.assessment_publish(assessment=assessment)
    return Workspace(organization=organization, owner=owner, assessment=assessment)


def invitations_create(*, workspace: Workspace, count: int, prefix: str) -> list[Invitation]:
    """`count` candidates, each invited (no email) through the services."""
    invitations = []
    for n in range(count):
        candidate = candidate_create(
            organization=workspace.organization,
            name=f"{prefix.title()} Candidate {n}",
            email=f"{prefix}{n}@candidates.bench.test",
            tags=["bench", prefix],
            by=workspace.owner,
        )
        invitations.append(
            invitation_create(
                assessment=workspace.assessment, candidate=candidate, by=workspace.owner, send=False
            )
        )
    return invitations


def started_attempt(invitation: Invitation) -> dict:
    """Start the invitation's attempt; what a load user needs to save answers to it."""
    attempt = attempt_start(invitation=invitation, user_agent="bench seed").attempt
    items = attempt.items.select_related("question").order_by("position")
    return {
        "token": invitation.token,
        "items": [{"position": i.position, "type": i.question.type} for i in items],
    }


def seed_load(*, autosave_users: int, burst_users: int, slug: str = "bench-load") -> dict:
    """Candidates for the load tests: some with a started attempt, some waiting to start."""
    workspace = workspace_create(slug=slug)
    started = invitations_create(workspace=workspace, count=autosave_users, prefix="saver")
    waiting = invitations_create(workspace=workspace, count=burst_users, prefix="starter")
    return {
        "assessment": str(workspace.assessment.code),
        "autosave": [started_attempt(invitation) for invitation in started],
        "burst": [invitation.token for invitation in waiting],
    }


# Completed attempts in bulk, for the recruiter pages and the statistics.


@dataclass
class _Draw:
    items: list  # [(section, question)]


def _draws(assessment: Assessment, count: int) -> list[_Draw]:
    """A few real draws of the assessment, reused round-robin by the bulk attempts."""
    draws = []
    for seed in range(count):
        drawn = builder.draw_questions(assessment=assessment, seed=seed)
        draws.append(_Draw(items=[(d.section, d.question) for d in drawn]))
    return draws


def _answer(question: Question, rng: random.Random, ability: float) -> tuple[object, float]:
    """An answer in the shape the page sends, and the points scoring would give it."""
    right = rng.random() < ability
    points = float(question.points)
    choices = list(question.choices.all())
    if question.type == Question.Type.MULTIPLE_CHOICE and choices:
        correct = sorted(str(c.pk) for c in choices if c.is_correct)
        if right:
            return correct, points
        return sorted({str(rng.choice(choices).pk)}), 0.0
    if question.is_choice_type and choices:
        correct = [c for c in choices if c.is_correct] or choices
        wrong = [c for c in choices if not c.is_correct] or choices
        pick = rng.choice(correct if right else wrong)
        return str(pick.pk), points if right else 0.0
    return ("A considered answer." if right else "Not sure."), points if right else 0.0


def completed_attempts_create(
    *, workspace: Workspace, count: int, start: int = 0, draws: int = 20, seed: int = 7
) -> int:
    """Add `count` submitted, scored attempts (candidate, invitation, items, responses).

    `start` numbers the new candidates after those already made, so the
    function can grow the same organisation from 100 to 1,000 to 10,000.
    """
    rng = random.Random(seed + start)
    assessment = workspace.assessment
    plans = _draws(assessment, draws)
    question_ids = {q.pk for plan in plans for _s, q in plan.items}
    questions = {q.pk: q for q in Question.objects.with_keys().filter(pk__in=question_ids)}
    now = timezone.now()
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        with transaction.atomic():
            _batch(workspace, plans, questions, rng, now, first=start + made, size=size)
        made += size
    return made


def _batch(workspace, plans, questions, rng, now, *, first: int, size: int) -> None:
    assessment = workspace.assessment
    candidates = Candidate.objects.bulk_create(
        Candidate(
            organization=workspace.organization,
            name=f"Done Candidate {n}",
            email=f"done{n}@candidates.bench.test",
            tags=["bench"],
            stage=Stage.ASSESSED,
            created_by=workspace.owner,
        )
        for n in range(first, first + size)
    )
    moments = []
    for n in range(size):
        started = now - timedelta(days=1, minutes=n % 1440)
        moments.append((started, started + timedelta(minutes=25)))
    invitations = Invitation.objects.bulk_create(
        Invitation(
            candidate=candidate,
            assessment=assessment,
            token=secrets.token_urlsafe(32),
            status=Invitation.Status.COMPLETED,
            expires_at=now + timedelta(days=7),
            created_by=workspace.owner,
            sent_at=started - timedelta(hours=1),
            send_count=1,
            delivered_count=1,
            opened_at=started,
            started_at=started,
            completed_at=submitted,
        )
        for candidate, (started, submitted) in zip(candidates, moments, strict=True)
    )
    attempts, answers = [], []
    for n, (invitation, (started, submitted)) in enumerate(zip(invitations, moments, strict=True)):
        plan = plans[(first + n) % len(plans)]
        ability = rng.random()
        graded = [
            (section, questions[q.pk], *_answer(questions[q.pk], rng, ability))
            for section, q in plan.items
        ]
        attempts.append(_scored_attempt(invitation, graded, assessment, started, submitted))
        answers.append(graded)
    Attempt.objects.bulk_create(attempts)
    items = AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            attempt=attempt,
            position=position,
            section=section,
            question=question,
            choice_order=[str(c.pk) for c in question.choices.all()],
        )
        for attempt, graded in zip(attempts, answers, strict=True)
        for position, (section, question, _given, _points) in enumerate(graded, start=1)
    )
    flat = [entry for graded in answers for entry in graded]
    responses = [
        Response(
            item=item,
            answer=answer,
            revision=1,
            saved_at=item.attempt.submitted_at,
            seconds_spent=60,
            auto_points=points,
            max_points=float(question.points),
        )
        for item, (_section, question, answer, points) in zip(items, flat, strict=True)
    ]
    # The statistics' shares, as scoring stores them for each attempt.
    start = 0
    for graded in answers:
        response_shares(responses[start : start + len(graded)])
        start += len(graded)
    Response.objects.bulk_create(responses)


def _scored_attempt(invitation, graded, assessment, started, submitted) -> Attempt:
    """An attempt whose scores are what scoring's summary would make of `graded`."""
    earned, possible, skills = {}, {}, {}
    for section, question, _given, points in graded:
        skills[section.pk] = section
        earned[section.pk] = earned.get(section.pk, 0.0) + points
        possible[section.pk] = possible.get(section.pk, 0.0) + question.points
    skill_scores, weighted, weights = {}, 0.0, 0
    for pk, section in skills.items():
        share = earned[pk] / possible[pk] if possible[pk] else 0.0
        skill_scores[section.skill.slug] = {
            "skill": section.skill.name,
            "percent": round(share * 100, 1),
            "points": earned[pk],
            "max_points": possible[pk],
            "weight": section.weight,
        }
        weighted += share * section.weight
        weights += section.weight
    percent = round(100 * weighted / weights, 1) if weights else 0.0
    return Attempt(
        invitation=invitation,
        assessment_id=invitation.assessment_id,
        seed=secrets.randbits(48),
        state=Attempt.State.SUBMITTED,
        started_at=started,
        deadline=started + timedelta(minutes=assessment.time_limit_minutes),
        submitted_at=submitted,
        finished_by=Attempt.Finish.CANDIDATE,
        score_points=sum(earned.values()),
        max_points=sum(possible.values()),
        score_percent=percent,
        passed=percent >= assessment.pass_mark,
        provisional=False,
        skill_scores=skill_scores,
    )
