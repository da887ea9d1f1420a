"""Reads across the role library models."""

from dataclasses import dataclass

from django.db.models import Prefetch

from .models import Role, RoleProfile, RoleSkill, SkillCategory


def profile_with_skills(queryset=None):
    """Profiles with their role, level and weighted skills in three queries."""
    queryset = queryset if queryset is not None else RoleProfile.objects.all()
    return queryset.select_related("role", "level").prefetch_related(
        Prefetch(
            "role_skills",
            queryset=RoleSkill.objects.select_related("skill__category").order_by(
                "-weight", "skill__name"
            ),
        ),
    )


def library_grid():
    """Roles, each with its profiles ordered by level, for the library page."""
    return Role.objects.prefetch_related(
        Prefetch("profiles", queryset=RoleProfile.objects.select_related("level"))
    )


def categories_with_skills():
    return SkillCategory.objects.prefetch_related("skills")


@dataclass
class ComparedSkill:
    skill: object
    left: RoleSkill | None
    right: RoleSkill | None

    @property
    def differs(self) -> bool:
        if self.left is None or self.right is None:
            return True
        return (self.left.weight, self.left.expected_proficiency) != (
            self.right.weight,
            self.right.expected_proficiency,
        )

    @property
    def weight_gap(self) -> int:
        left = self.left.weight if self.left else 0
        right = self.right.weight if self.right else 0
        return right - left

    @property
    def weight_gap_size(self) -> int:
        return abs(self.weight_gap)


def compare_skills(left: RoleProfile, right: RoleProfile) -> list[ComparedSkill]:
    """Union of both profiles' skills, largest difference in weight first.

    Both profiles must come from `profile_with_skills` so this adds no query.
    """
    left_by_skill = {rs.skill_id: rs for rs in left.role_skills.all()}
    right_by_skill = {rs.skill_id: rs for rs in right.role_skills.all()}
    skills = {rs.skill_id: rs.skill for rs in [*left_by_skill.values(), *right_by_skill.values()]}
    rows = [
        ComparedSkill(skill=skill, left=left_by_skill.get(pk), right=right_by_skill.get(pk))
        for pk, skill in skills.items()
    ]
    rows.sort(key=lambda row: (-abs(row.weight_gap), row.skill.category.position, row.skill.name))
    return rows
