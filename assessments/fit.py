"""Seniority fit: which level of the role a candidate's skill profile meets.

How it is computed (shown on every report):

1. Each level of the role has a profile that expects a proficiency (1 Junior to
   4 Lead) on each skill, with a weight. A skill score meets an expected
   proficiency when it reaches that proficiency's bar: 50% for 1, 60% for 2,
   70% for 3, 80% for 4.
2. A candidate meets a level when the skills they meet carry at least 75% of
   the weight of that level's skills that the assessment measured.
3. The fit is the highest level such that it and every level below it are met.
   The summary also says how the candidate does at the next level up and on
   which skill they are furthest below its bar.

Only skills the assessment measured count: a level whose profile weights none
of them cannot be judged, and the fit stops below it.
"""

from dataclasses import dataclass, field

PROFICIENCY_BAR = {1: 50.0, 2: 60.0, 3: 70.0, 4: 80.0}
MEETS_SHARE = 0.75


@dataclass
class SkillCheck:
    slug: str
    name: str
    score: float
    bar: float
    weight: int

    @property
    def met(self) -> bool:
        return self.score >= self.bar

    @property
    def gap(self) -> float:
        return self.bar - self.score


@dataclass
class LevelCheck:
    rank: int
    name: str
    skills: list[SkillCheck] = field(default_factory=list)

    @property
    def judged(self) -> bool:
        return bool(self.skills)

    @property
    def met_weight(self) -> int:
        return sum(s.weight for s in self.skills if s.met)

    @property
    def total_weight(self) -> int:
        return sum(s.weight for s in self.skills)

    @property
    def met_count(self) -> int:
        return sum(1 for s in self.skills if s.met)

    @property
    def meets(self) -> bool:
        return self.judged and self.met_weight >= MEETS_SHARE * self.total_weight

    @property
    def furthest_below(self) -> SkillCheck | None:
        below = [s for s in self.skills if not s.met]
        return max(below, key=lambda s: (s.gap, s.weight)) if below else None


@dataclass
class Fit:
    rank: int  # 0: below the first level
    level_name: str | None
    levels: list[LevelCheck]
    summary: str


def level_checks(skill_scores: dict, profiles) -> list[LevelCheck]:
    """One check per level, lowest first. `profiles` carry `level` and `role_skills`
    (with `skill`) prefetched; `skill_scores` maps skill slug -> {"percent", "skill"}."""
    checks = []
    for profile in sorted(profiles, key=lambda p: p.level.rank):
        check = LevelCheck(rank=profile.level.rank, name=profile.level.name)
        for role_skill in profile.role_skills.all():
            measured = skill_scores.get(role_skill.skill.slug)
            if measured is None:
                continue
            check.skills.append(
                SkillCheck(
                    slug=role_skill.skill.slug,
                    name=role_skill.skill.name,
                    score=float(measured["percent"]),
                    bar=PROFICIENCY_BAR[role_skill.expected_proficiency],
                    weight=role_skill.weight,
                )
            )
        checks.append(check)
    return checks


def seniority_fit(skill_scores: dict, profiles) -> Fit:
    checks = level_checks(skill_scores, profiles)
    met = None
    for check in checks:
        if not check.meets:
            break
        met = check
    nxt = next((c for c in checks if met is None or c.rank > met.rank), None)
    parts = []
    if met is None:
        first = checks[0] if checks else None
        parts.append(f"Below {first.name}" if first else "Not enough skills measured")
    else:
        parts.append(f"Meets {met.name}")
    if nxt is not None and nxt.judged:
        parts.append(f"at {nxt.name} on {nxt.met_count} of {len(nxt.skills)} skills")
        below = nxt.furthest_below
        if below is not None:
            parts.append(f"furthest below: {below.name}")
    elif met is not None:
        parts.append(f"on {met.met_count} of {len(met.skills)} skills")
    return Fit(
        rank=met.rank if met else 0,
        level_name=met.name if met else None,
        levels=checks,
        summary="; ".join(parts),
    )
