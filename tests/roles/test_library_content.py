"""The shipped role library meets the rules the product promises."""

from statistics import mean

import pytest

from roles.models import (
    Role,
    RoleProfile,
    RoleSkill,
    SalaryFact,
    SeniorityLevel,
    Skill,
    SkillCategory,
)

pytestmark = pytest.mark.django_db

CORE_SKILLS = {
    "python",
    "concurrency",
    "sql",
    "http-apis",
    "security",
    "caching",
    "architecture",
    "testing",
}


def test_both_roles_at_four_levels(library):
    assert set(Role.objects.values_list("slug", flat=True)) >= {
        "backend-developer",
        "backend-engineer",
    }
    assert list(SeniorityLevel.objects.values_list("name", flat=True)) == [
        "Junior",
        "Mid-level",
        "Senior",
        "Lead",
    ]
    assert RoleProfile.objects.count() == 8


def test_at_least_24_skills_in_at_least_8_categories(library):
    assert Skill.objects.count() >= 24
    assert SkillCategory.objects.filter(skills__isnull=False).distinct().count() >= 8


def test_every_profile_weights_at_least_8_skills_including_the_core(library):
    for profile in RoleProfile.objects.prefetch_related("role_skills__skill"):
        slugs = {rs.skill.slug for rs in profile.role_skills.all()}
        assert len(slugs) >= 8, profile
        assert slugs >= CORE_SKILLS, f"{profile} misses {CORE_SKILLS - slugs}"


def test_expected_proficiency_rises_with_seniority(library):
    for role in Role.objects.all():
        profiles = list(role.profiles.order_by("level__rank").prefetch_related("role_skills"))
        averages = [mean(rs.expected_proficiency for rs in p.role_skills.all()) for p in profiles]
        assert averages == sorted(averages), role
        assert len(set(averages)) == len(averages), f"{role}: two levels expect the same"
        by_skill = {}
        for profile in profiles:
            for rs in profile.role_skills.all():
                by_skill.setdefault(rs.skill_id, []).append(rs.expected_proficiency)
        for levels in by_skill.values():
            assert levels == sorted(levels), role


def test_every_skill_is_weighted_somewhere(library):
    weighted = set(RoleSkill.objects.values_list("skill_id", flat=True))
    assert weighted == set(Skill.objects.values_list("pk", flat=True))


def test_salary_facts_name_their_source_region_currency_and_year(library):
    facts = list(SalaryFact.objects.all())
    assert len(facts) >= 4
    for fact in facts:
        assert fact.source_name
        assert fact.region
        assert len(fact.currency) == 3
        assert 2020 <= fact.year <= 2026


def test_the_roles_say_what_distinguishes_them(library):
    engineer = Role.objects.get(slug="backend-engineer")
    developer = Role.objects.get(slug="backend-developer")
    assert "design" in engineer.focus.lower()
    assert engineer.focus != developer.focus
