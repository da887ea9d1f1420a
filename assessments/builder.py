"""Building assessments: proposals from a role profile, edits, publishing, and the draw.

The draw lives here because the builder's preview and a candidate's attempt
must pick questions the same way.
"""

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from roles.models import RoleProfile

from .models import Assessment, Attempt, Question, Section

DEFAULT_QUESTION_COUNT = 20
MIN_MINUTES, MAX_MINUTES = 15, 120

# The difficulty mix centred on each level (rank -> allowed question difficulties).
# Junior questions test basics, Lead questions judgement about systems; a level's
# range reaches one step either side so the result can show a candidate above or
# below the level, except where the scale ends.
DIFFICULTY_RANGE = {1: (1, 2), 2: (1, 3), 3: (2, 4), 4: (3, 4)}

# A random draw gives candidates different questions only when the pool is much
# larger than what is asked; below this ratio the builder warns.
VARIETY_RATIO = 3


class AssessmentError(Exception):
    """A builder action was refused; the message says why."""


STRUCTURE_LOCKED = _(
    "Candidates have started this assessment, so its questions and timing can no longer "
    "change. Duplicate it to make a changed version."
)


def question_pool(organization):
    """Questions an organisation's assessments may draw: the global library and its own."""
    return Question.objects.drawable().filter(Q(owner__isnull=True) | Q(owner=organization))


@dataclass
class PoolCounts:
    """Drawable questions per skill and difficulty, from one aggregate query."""

    counts: dict = field(default_factory=lambda: defaultdict(int))
    seconds: dict = field(default_factory=lambda: defaultdict(int))

    @classmethod
    def for_skills(cls, organization, skill_ids) -> "PoolCounts":
        pool = cls()
        rows = (
            question_pool(organization)
            .filter(skill_id__in=list(skill_ids))
            .values("skill_id", "difficulty")
            .annotate(n=Count("pk"), seconds=Sum("suggested_seconds"))
            .order_by()
        )
        for row in rows:
            pool.counts[(row["skill_id"], row["difficulty"])] = row["n"]
            pool.seconds[(row["skill_id"], row["difficulty"])] = row["seconds"] or 0
        return pool

    def size(self, skill_id, low, high) -> int:
        return sum(self.counts[(skill_id, d)] for d in range(low, high + 1))

    def mean_seconds(self, skill_id, low, high) -> float:
        size = self.size(skill_id, low, high)
        total = sum(self.seconds[(skill_id, d)] for d in range(low, high + 1))
        return total / size if size else 90.0


@dataclass
class SectionPlan:
    skill: object
    weight: int
    question_count: int
    difficulty_min: int
    difficulty_max: int
    pool_size: int = 0

    @property
    def thin(self) -> bool:
        return self.pool_size < self.question_count * VARIETY_RATIO

    @property
    def short(self) -> bool:
        return self.pool_size < self.question_count


@dataclass
class Proposal:
    profile: RoleProfile
    sections: list[SectionPlan]
    time_limit_minutes: int

    @property
    def question_count(self) -> int:
        return sum(section.question_count for section in self.sections)


def _allocate(weights: list[int], total: int, capacity: list[int]) -> list[int]:
    """Split `total` questions across sections in proportion to `weights`.

    Every section first gets one question (heaviest first, while questions
    last), then the rest go out by weight with largest-remainder rounding. No
    section gets more than its `capacity` (the questions its pool holds);
    sections left at zero are dropped by the caller.
    """
    counts = [0] * len(weights)
    remaining = min(total, sum(capacity))
    for i in sorted(range(len(weights)), key=lambda i: (-weights[i], i)):
        if remaining and capacity[i] > 0:
            counts[i] = 1
            remaining -= 1
    active = [i for i in range(len(weights)) if counts[i] < capacity[i]]
    while remaining > 0 and active:
        weight_sum = sum(weights[i] for i in active)
        quotas = {i: remaining * weights[i] / weight_sum for i in active}
        given = {i: min(capacity[i] - counts[i], math.floor(quotas[i])) for i in active}
        if not any(given.values()):
            # Less than one question per section left: largest share first.
            for i in sorted(active, key=lambda i: (-quotas[i], -weights[i], i)):
                if remaining == 0:
                    break
                counts[i] += 1
                remaining -= 1
        else:
            for i, extra in given.items():
                counts[i] += extra
                remaining -= extra
        active = [i for i in active if counts[i] < capacity[i]]
    return counts


def assessment_propose(
    *, profile: RoleProfile, organization, total_questions: int = DEFAULT_QUESTION_COUNT
) -> Proposal:
    """Sections per weighted skill, sized by weight, at difficulties centred on the level."""
    low, high = DIFFICULTY_RANGE.get(profile.level.rank, (1, 4))
    role_skills = sorted(
        profile.role_skills.select_related("skill"), key=lambda rs: (-rs.weight, rs.skill.name)
    )
    # With more skills than questions, the heaviest skills are kept.
    role_skills = role_skills[:total_questions]
    pool = PoolCounts.for_skills(organization, [rs.skill_id for rs in role_skills])
    capacity = [pool.size(rs.skill_id, low, high) for rs in role_skills]
    counts = _allocate([rs.weight for rs in role_skills], total_questions, capacity)
    sections = [
        SectionPlan(
            skill=rs.skill,
            weight=rs.weight,
            question_count=count,
            difficulty_min=low,
            difficulty_max=high,
            pool_size=cap,
        )
        for rs, count, cap in zip(role_skills, counts, capacity, strict=True)
        if count > 0
    ]
    seconds = sum(s.question_count * pool.mean_seconds(s.skill.pk, low, high) for s in sections)
    minutes = min(MAX_MINUTES, max(MIN_MINUTES, 5 * math.ceil(seconds / 60 / 5)))
    return Proposal(profile=profile, sections=sections, time_limit_minutes=minutes)


@transaction.atomic
def assessment_create_from_profile(
    *, profile: RoleProfile, organization, by, total_questions: int = DEFAULT_QUESTION_COUNT
) -> Assessment:
    proposal = assessment_propose(
        profile=profile, organization=organization, total_questions=total_questions
    )
    assessment = Assessment.objects.create(
        organization=organization,
        title=_("%(role)s — %(level)s assessment")
        % {"role": profile.role.name, "level": profile.level.name},
        role_profile=profile,
        time_limit_minutes=proposal.time_limit_minutes,
        created_by=by,
    )
    Section.objects.bulk_create(
        Section(
            assessment=assessment,
            skill=plan.skill,
            question_count=plan.question_count,
            difficulty_min=plan.difficulty_min,
            difficulty_max=plan.difficulty_max,
            weight=plan.weight,
            position=position,
        )
        for position, plan in enumerate(proposal.sections)
    )
    return assessment


def structure_locked(assessment: Assessment) -> bool:
    """True once any candidate has started: questions and timing are then fixed."""
    return assessment.invitations.filter(
        Q(started_at__isnull=False) | Q(status__in=["started", "completed"])
    ).exists()


def _lock_for_structure_change(assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if structure_locked(locked):
        raise AssessmentError(STRUCTURE_LOCKED)
    if locked.status == Assessment.Status.CLOSED:
        raise AssessmentError(_("This assessment is closed. Duplicate it to reuse it."))
    _discard_prepared_draws(locked)
    return locked


def _discard_prepared_draws(assessment: Assessment) -> None:
    """Drop the draws made for candidates who opened their link but never started.

    They were drawn from the old structure; the next Start draws again.
    """
    Attempt.objects.filter(assessment=assessment, state=Attempt.State.PREPARED).delete()


STRUCTURE_FIELDS = ("time_limit_minutes", "shuffle_questions", "shuffle_choices")


@transaction.atomic
def assessment_update(*, assessment: Assessment, changes: dict) -> Assessment:
    """Change an assessment's settings; structural ones only until a candidate starts."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    structural = {
        name
        for name in STRUCTURE_FIELDS
        if name in changes and changes[name] != getattr(locked, name)
    }
    if structural and structure_locked(locked):
        raise AssessmentError(STRUCTURE_LOCKED)
    if structural:
        _discard_prepared_draws(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save()
    return locked


@transaction.atomic
def section_save(
    *,
    assessment: Assessment,
    skill,
    question_count: int,
    difficulty_min: int,
    difficulty_max: int,
    weight: int | None = None,
) -> Section:
    """Add a skill's section, or change the one the assessment already has."""
    _lock_for_structure_change(assessment)
    if difficulty_min > difficulty_max:
        raise AssessmentError(_("The lowest difficulty must not be above the highest."))
    section = Section.objects.filter(assessment=assessment, skill=skill).first()
    if section is None:
        last = assessment.sections.order_by("-position").values_list("position", flat=True).first()
        role_skill = assessment.role_profile.role_skills.filter(skill=skill).first()
        section = Section(
            assessment=assessment,
            skill=skill,
            position=(last or 0) + 1,
            weight=weight or (role_skill.weight if role_skill else 1),
        )
    section.question_count = question_count
    section.difficulty_min = difficulty_min
    section.difficulty_max = difficulty_max
    if weight:
        section.weight = weight
    section.save()
    return section


@transaction.atomic
def section_remove(*, section: Section) -> None:
    _lock_for_structure_change(section.assessment)
    if section.assessment.sections.count() == 1:
        raise AssessmentError(_("An assessment needs at least one section."))
    section.delete()


@transaction.atomic
def section_pin(*, section: Section, question: Question, pinned: bool) -> None:
    """Pin a question so every candidate gets it (or unpin it)."""
    _lock_for_structure_change(section.assessment)
    if pinned:
        if question.skill_id != section.skill_id:
            raise AssessmentError(_("Only questions of this section's skill can be pinned here."))
        if section.pinned_questions.count() >= section.question_count:
            raise AssessmentError(
                _("This section asks %(n)d question(s); raise the count to pin more.")
                % {"n": section.question_count}
            )
        section.pinned_questions.add(question)
    else:
        section.pinned_questions.remove(question)


def publish_problems(assessment: Assessment) -> list[str]:
    """Why the assessment cannot be published yet (empty when it can)."""
    sections = list(
        assessment.sections.select_related("skill").prefetch_related("pinned_questions")
    )
    if not sections:
        return [_("Add at least one section.")]
    pool = PoolCounts.for_skills(assessment.organization, [s.skill_id for s in sections])
    problems = []
    for section in sections:
        available = pool.size(section.skill_id, section.difficulty_min, section.difficulty_max)
        pinned_outside = [
            q
            for q in section.pinned_questions.all()
            if not section.difficulty_min <= q.difficulty <= section.difficulty_max
        ]
        if available + len(pinned_outside) < section.question_count:
            problems.append(
                _(
                    "%(skill)s asks %(n)d questions but only %(have)d are available at these "
                    "difficulties."
                )
                % {"skill": section.skill.name, "n": section.question_count, "have": available}
            )
    return problems


@transaction.atomic
def assessment_publish(*, assessment: Assessment, now=None) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status == Assessment.Status.PUBLISHED:
        return locked
    if locked.status == Assessment.Status.CLOSED:
        raise AssessmentError(_("A closed assessment cannot be published again; duplicate it."))
    problems = publish_problems(locked)
    if problems:
        raise AssessmentError(" ".join(problems))
    locked.status = Assessment.Status.PUBLISHED
    locked.published_at = now or timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    return locked


@transaction.atomic
def assessment_close(*, assessment: Assessment, now=None) -> Assessment:
    """Stop new candidates from starting; those already in progress can finish."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != Assessment.Status.PUBLISHED:
        raise AssessmentError(_("Only a published assessment can be closed."))
    locked.status = Assessment.Status.CLOSED
    locked.closed_at = now or timezone.now()
    locked.public_link_enabled = False
    locked.save(update_fields=["status", "closed_at", "public_link_enabled", "updated_at"])
    return locked


@transaction.atomic
def assessment_duplicate(*, assessment: Assessment, by) -> Assessment:
    """A draft copy with the same settings, sections and pinned questions."""
    sections = list(assessment.sections.prefetch_related("pinned_questions"))
    copy = Assessment.objects.create(
        organization=assessment.organization,
        title=_("Copy of %(title)s") % {"title": assessment.title},
        role_profile=assessment.role_profile,
        time_limit_minutes=assessment.time_limit_minutes,
        pass_mark=assessment.pass_mark,
        instructions=assessment.instructions,
        shuffle_questions=assessment.shuffle_questions,
        shuffle_choices=assessment.shuffle_choices,
        show_results_to_candidate=assessment.show_results_to_candidate,
        ask_fullscreen=assessment.ask_fullscreen,
        created_by=by,
    )
    for section in sections:
        pinned = list(section.pinned_questions.all())
        section.pk = None
        section.assessment = copy
        section.save()
        section.pinned_questions.set(pinned)
    return copy


# The draw


@dataclass
class DrawnQuestion:
    section: Section
    question: Question


# Pinned questions in the order the admin lists them (Question.Meta.ordering),
# as the related manager gives them: it decides which pins count when a
# section has more pins than questions.
PINNED_ORDER = [
    f"-question__{name[1:]}" if name.startswith("-") else f"question__{name}"
    for name in Question._meta.ordering
]


@dataclass(frozen=True)
class PlannedQuestion:
    section: Section
    question_id: int
    question_type: str


def draw_plan(*, assessment: Assessment, seed: int) -> list[PlannedQuestion]:
    """Pick each section's questions: pinned first, the rest at random from the pool.

    Deterministic for a given seed. Random picks rotate through the section's
    difficulties so a draw mixes them rather than clustering; a pinned question
    whose newer version was published is asked in its newest version.

    Reads the pool as plain tuples and builds no Question instances: pressing
    Start draws for every candidate of a cohort at once, and loading a few
    hundred model instances per candidate was most of what a start cost.
    """
    rng = random.Random(seed)
    sections = list(assessment.sections.select_related("skill"))
    pinned_by_section = defaultdict(list)
    for section_id, question_id, lineage, question_type in (
        Section.pinned_questions.through.objects.filter(section__in=sections)
        .order_by(*PINNED_ORDER)
        .values_list("section_id", "question_id", "question__lineage", "question__type")
    ):
        pinned_by_section[section_id].append((question_id, lineage, question_type))
    pool_by_skill = defaultdict(list)
    for entry in (
        question_pool(assessment.organization_id)
        .filter(skill_id__in={s.skill_id for s in sections})
        .order_by("pk")
        .values_list("pk", "skill_id", "lineage", "difficulty", "type", named=True)
    ):
        pool_by_skill[entry.skill_id].append(entry)

    plan = []
    for section in sections:
        candidates = pool_by_skill[section.skill_id]
        newest = {q.lineage: (q.pk, q.type) for q in candidates}
        pinned_versions = pinned_by_section[section.pk][: section.question_count]
        pinned = [newest.get(lineage, (pk, kind)) for pk, lineage, kind in pinned_versions]
        taken = {lineage for _pk, lineage, _kind in pinned_versions}
        by_difficulty = defaultdict(list)
        for question in candidates:
            low, high = section.difficulty_min, section.difficulty_max
            if low <= question.difficulty <= high and question.lineage not in taken:
                by_difficulty[question.difficulty].append((question.pk, question.type))
        for questions in by_difficulty.values():
            rng.shuffle(questions)
        difficulties = sorted(by_difficulty)
        rng.shuffle(difficulties)
        picks = []
        needed = section.question_count - len(pinned)
        while needed > 0 and any(by_difficulty.values()):
            for difficulty in difficulties:
                if needed and by_difficulty[difficulty]:
                    picks.append(by_difficulty[difficulty].pop())
                    needed -= 1
        chosen = pinned + picks
        if assessment.shuffle_questions:
            rng.shuffle(chosen)
        plan.extend(PlannedQuestion(section, pk, kind) for pk, kind in chosen)
    return plan


def draw_questions(*, assessment: Assessment, seed: int) -> list[DrawnQuestion]:
    """The draw of `draw_plan`, with each question loaded (choices prefetched)."""
    plan = draw_plan(assessment=assessment, seed=seed)
    loaded = Question.objects.prefetch_related("choices").in_bulk([p.question_id for p in plan])
    return [DrawnQuestion(section=p.section, question=loaded[p.question_id]) for p in plan]
