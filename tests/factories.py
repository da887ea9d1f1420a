from datetime import timedelta

import factory
from django.utils import timezone

from recruiting.models import User
from roles.models import Role, RoleProfile, RoleSkill, SeniorityLevel, Skill, SkillCategory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.django.Password("password")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    name = factory.Sequence(lambda n: f"Role {n}")
    slug = factory.Sequence(lambda n: f"role-{n}")
    summary = "A role."
    focus = "What the role does."


class SeniorityLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeniorityLevel

    name = factory.Sequence(lambda n: f"Level {n}")
    slug = factory.Sequence(lambda n: f"level-{n}")
    rank = factory.Sequence(lambda n: n + 10)
    summary = "A level."
    expectations = "What the level is trusted with."
    years_min = 1
    years_max = 3


class SkillCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillCategory

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    category = factory.SubFactory(SkillCategoryFactory)
    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.Sequence(lambda n: f"skill-{n}")


class RoleProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleProfile

    role = factory.SubFactory(RoleFactory)
    level = factory.SubFactory(SeniorityLevelFactory)
    summary = "A profile."
    responsibilities = "Builds things\nFixes things"
    expectations = "Knows things"


class RoleSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleSkill

    profile = factory.SubFactory(RoleProfileFactory)
    skill = factory.SubFactory(SkillFactory)
    weight = 3
    expected_proficiency = 2


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "recruiting.Organization"

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "recruiting.Candidate"

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Candidate {n}")
    email = factory.Sequence(lambda n: f"candidate{n}@example.com")


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A published assessment; pass role_profile= from the loaded library."""

    class Meta:
        model = "assessments.Assessment"

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Assessment {n}")
    role_profile = factory.SubFactory(RoleProfileFactory)
    status = "published"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "recruiting.Invitation"

    assessment = factory.SubFactory(AssessmentFactory)
    candidate = factory.SubFactory(
        CandidateFactory, organization=factory.SelfAttribute("..assessment.organization")
    )
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
