"""Seniority fit on constructed cases at each boundary."""

import pytest

from assessments.fit import MEETS_SHARE, PROFICIENCY_BAR, seniority_fit
from roles.models import RoleProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def profiles(library):
    return list(
        RoleProfile.objects.filter(role__slug="backend-engineer")
        .select_related("level")
        .prefetch_related("role_skills__skill")
    )


def _scores(profiles, rank, delta=0.0):
    """Scores exactly at (or `delta` around) the bar that level `rank` expects on every skill."""
    profile = next(p for p in profiles if p.level.rank == rank)
    scores = {}
    for p in profiles:
        for rs in p.role_skills.all():
            scores.setdefault(rs.skill.slug, {"percent": 0.0, "skill": rs.skill.name})
    for rs in profile.role_skills.all():
        scores[rs.skill.slug]["percent"] = PROFICIENCY_BAR[rs.expected_proficiency] + delta
    return scores, profile


def _lower_levels_met(scores, profiles, rank):
    # Skills a lower level weighs but this level does not: give them their own bar.
    for p in profiles:
        if p.level.rank < rank:
            for rs in p.role_skills.all():
                bar = PROFICIENCY_BAR[rs.expected_proficiency]
                scores[rs.skill.slug]["percent"] = max(scores[rs.skill.slug]["percent"], bar)


@pytest.mark.parametrize("rank", [1, 2, 3, 4])
def test_scores_exactly_at_a_levels_bars_meet_that_level(profiles, rank):
    scores, _profile = _scores(profiles, rank)
    _lower_levels_met(scores, profiles, rank)
    fit = seniority_fit(scores, profiles)
    assert fit.rank >= rank
    assert fit.summary.startswith("Meets ")


@pytest.mark.parametrize("rank", [1, 2, 3, 4])
def test_just_under_every_bar_of_a_level_misses_it(profiles, rank):
    scores, _profile = _scores(profiles, rank, delta=-0.1)
    fit = seniority_fit(scores, profiles)
    assert fit.rank < rank


def test_the_75_percent_weight_boundary(profiles):
    junior = next(p for p in profiles if p.level.rank == 1)
    skills = list(junior.role_skills.all())
    total = sum(rs.weight for rs in skills)
    scores = {rs.skill.slug: {"percent": 100.0, "skill": rs.skill.name} for rs in skills}
    # Fail the heaviest skills until the met weight falls below 75%.
    met = total
    for rs in sorted(skills, key=lambda r: -r.weight):
        if met - rs.weight < MEETS_SHARE * total:
            break
        scores[rs.skill.slug]["percent"] = 0.0
        met -= rs.weight
    assert seniority_fit(scores, [junior]).rank == 1
    remaining = next(rs for rs in skills if scores[rs.skill.slug]["percent"] == 100.0)
    scores[remaining.skill.slug]["percent"] = 0.0
    assert seniority_fit(scores, [junior]).rank == 0


def test_the_summary_names_the_next_level_and_the_weakest_skill(profiles):
    scores, _profile = _scores(profiles, 2)
    _lower_levels_met(scores, profiles, 2)
    for score in scores.values():  # everything else at the Mid-level bar, under Senior's
        score["percent"] = max(score["percent"], PROFICIENCY_BAR[2])
    senior = next(p for p in profiles if p.level.rank == 3)
    weakest = min(senior.role_skills.all(), key=lambda rs: rs.skill.name)
    scores[weakest.skill.slug]["percent"] = 1.0
    fit = seniority_fit(scores, profiles)
    assert fit.rank == 2
    assert fit.summary.startswith("Meets Mid-level; at Senior on ")
    assert fit.summary.endswith(f"furthest below: {weakest.skill.name}")


def test_below_the_first_level(profiles):
    scores, _profile = _scores(profiles, 1, delta=-40)
    fit = seniority_fit(scores, profiles)
    assert fit.rank == 0
    assert fit.summary.startswith("Below Junior")


def test_a_level_with_no_measured_skill_cannot_be_met(profiles):
    fit = seniority_fit({}, profiles)
    assert fit.rank == 0
