import pytest
from django.db import IntegrityError, transaction

from roles.models import SalaryFact
from tests.factories import (
    RoleFactory,
    RoleProfileFactory,
    RoleSkillFactory,
    SeniorityLevelFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db


def _refused(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_a_role_has_one_profile_per_level():
    profile = RoleProfileFactory()
    _refused(RoleProfileFactory, role=profile.role, level=profile.level)


def test_a_profile_weights_a_skill_once():
    role_skill = RoleSkillFactory()
    _refused(RoleSkillFactory, profile=role_skill.profile, skill=role_skill.skill)


@pytest.mark.parametrize("weight", [0, 6])
def test_skill_weight_stays_between_one_and_five(weight):
    _refused(RoleSkillFactory, weight=weight)


@pytest.mark.parametrize("proficiency", [0, 5])
def test_expected_proficiency_stays_on_the_four_level_scale(proficiency):
    _refused(RoleSkillFactory, expected_proficiency=proficiency)


def test_level_years_must_be_ordered():
    _refused(SeniorityLevelFactory, years_min=5, years_max=2)
    assert SeniorityLevelFactory(years_min=8, years_max=None).years_label == "8+ years"


def test_salary_fact_belongs_to_a_role_or_a_profile_but_not_both():
    profile = RoleProfileFactory()
    common = {
        "region": "Spain",
        "currency": "EUR",
        "amount_min": 55000,
        "amount_max": 60000,
        "source_name": "Indeed",
        "year": 2024,
    }
    _refused(SalaryFact.objects.create, role=profile.role, profile=profile, **common)
    _refused(SalaryFact.objects.create, **common)
    fact = SalaryFact.objects.create(role=profile.role, **common)
    assert fact.is_range


def test_salary_range_cannot_be_upside_down():
    _refused(
        SalaryFact.objects.create,
        role=RoleFactory(),
        region="US",
        currency="USD",
        amount_min=120000,
        amount_max=80000,
        source_name="Somewhere",
        year=2023,
    )


def test_str_is_short_and_readable():
    profile = RoleProfileFactory(role__name="Backend Engineer", level__name="Senior")
    assert str(profile) == "Backend Engineer — Senior"
    assert str(SkillFactory(name="SQL")) == "SQL"
