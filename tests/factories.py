import factory

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
