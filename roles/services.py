"""Writes to the role library: loading the shipped content files."""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction

from .models import (
    Role,
    RoleProfile,
    RoleSkill,
    SalaryFact,
    SeniorityLevel,
    Skill,
    SkillCategory,
)

LIBRARY_DIR = Path(__file__).resolve().parent / "library"


class LibraryError(Exception):
    """The content files are inconsistent; nothing was loaded."""


@dataclass
class LoadReport:
    """What a load did, counted per model: created, updated, unchanged, kept."""

    counts: dict[str, Counter] = field(default_factory=dict)

    def add(self, model: type[models.Model], outcome: str) -> None:
        self.counts.setdefault(model._meta.verbose_name_plural, Counter())[outcome] += 1

    def total(self, outcome: str) -> int:
        return sum(counter[outcome] for counter in self.counts.values())

    def lines(self) -> list[str]:
        rows = []
        for name, counter in self.counts.items():
            parts = [f"{counter[key]} {key}" for key in ("created", "updated", "unchanged", "kept")]
            rows.append(f"{name}: " + ", ".join(parts))
        return rows


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    return value


def checksum(values: dict) -> str:
    payload = json.dumps({k: _plain(v) for k, v in values.items()}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def library_row_upsert(
    *,
    model: type[models.Model],
    lookup: dict,
    values: dict,
    overwrite: bool,
    report: LoadReport,
):
    """Create or update one library row without trampling edits made in admin.

    A row is updated only when its current values still match what the loader
    last wrote (its checksum), or when `overwrite` is set. Rows created or
    edited by staff are reported as "kept".
    """
    wanted = checksum(values)
    row = model.objects.filter(**lookup).first()
    if row is None:
        row = model.objects.create(**lookup, **values, library_checksum=wanted)
        report.add(model, "created")
        return row
    current = checksum({name: getattr(row, name) for name in values})
    if current == wanted:
        if row.library_checksum != wanted and row.library_checksum:
            row.library_checksum = wanted
            row.save(update_fields=["library_checksum"])
        report.add(model, "unchanged")
        return row
    untouched_since_load = bool(row.library_checksum) and current == row.library_checksum
    if not (untouched_since_load or overwrite):
        report.add(model, "kept")
        return row
    for name, value in values.items():
        setattr(row, name, value)
    row.library_checksum = wanted
    row.save()
    report.add(model, "updated")
    return row


def _read(directory: Path, name: str):
    path = directory / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LibraryError(f"{path} is missing.") from None
    except json.JSONDecodeError as error:
        raise LibraryError(f"{path} is not valid JSON: {error}") from None


@transaction.atomic
def library_load(
    *, directory: Path = LIBRARY_DIR, overwrite: bool = False, report: LoadReport | None = None
) -> LoadReport:
    """Load levels, skills, roles, profiles and salary facts from `directory`.

    Idempotent: a second run reports everything unchanged. Never deletes.
    Raises LibraryError (and loads nothing) when a file refers to something
    that does not exist.
    """
    report = report or LoadReport()
    upsert = {"overwrite": overwrite, "report": report}

    levels = {}
    for item in _read(directory, "levels.json"):
        levels[item["slug"]] = library_row_upsert(
            model=SeniorityLevel,
            lookup={"slug": item["slug"]},
            values={
                "name": item["name"],
                "rank": item["rank"],
                "summary": item["summary"],
                "expectations": item["expectations"],
                "years_min": item["years_min"],
                "years_max": item.get("years_max"),
            },
            **upsert,
        )

    skills = {}
    for category_item in _read(directory, "skills.json"):
        category = library_row_upsert(
            model=SkillCategory,
            lookup={"slug": category_item["slug"]},
            values={
                "name": category_item["name"],
                "description": category_item.get("description", ""),
                "position": category_item.get("position", 0),
            },
            **upsert,
        )
        for skill_item in category_item["skills"]:
            skills[skill_item["slug"]] = library_row_upsert(
                model=Skill,
                lookup={"slug": skill_item["slug"]},
                values={
                    "category": category,
                    "name": skill_item["name"],
                    "description": skill_item.get("description", ""),
                },
                **upsert,
            )

    roles = {}
    for position, role_item in enumerate(_read(directory, "roles.json"), start=1):
        role = roles[role_item["slug"]] = library_row_upsert(
            model=Role,
            lookup={"slug": role_item["slug"]},
            values={
                "name": role_item["name"],
                "summary": role_item["summary"],
                "focus": role_item["focus"],
                "position": position,
            },
            **upsert,
        )
        for profile_item in role_item["profiles"]:
            level = _lookup(levels, profile_item["level"], "level", role_item["slug"])
            profile = library_row_upsert(
                model=RoleProfile,
                lookup={"role": role, "level": level},
                values={
                    "summary": profile_item["summary"],
                    "responsibilities": "\n".join(profile_item["responsibilities"]),
                    "expectations": "\n".join(profile_item["expectations"]),
                },
                **upsert,
            )
            for skill_item in profile_item["skills"]:
                skill = _lookup(skills, skill_item["skill"], "skill", str(profile))
                library_row_upsert(
                    model=RoleSkill,
                    lookup={"profile": profile, "skill": skill},
                    values={
                        "weight": skill_item["weight"],
                        "expected_proficiency": skill_item["proficiency"],
                        "note": skill_item.get("note", ""),
                    },
                    **upsert,
                )

    for item in _read(directory, "salaries.json"):
        role = _lookup(roles, item["role"], "role", "salaries.json")
        subject = {"role": role, "profile": None}
        if item.get("level"):
            level = _lookup(levels, item["level"], "level", "salaries.json")
            subject = {"role": None, "profile": RoleProfile.objects.get(role=role, level=level)}
        library_row_upsert(
            model=SalaryFact,
            lookup={
                **subject,
                "region": item["region"],
                "source_name": item["source_name"],
                "year": item["year"],
            },
            values={
                "currency": item["currency"],
                "amount_min": item["amount_min"],
                "amount_max": item["amount_max"],
                "period": item.get("period", SalaryFact.Period.YEAR),
                "source_url": item.get("source_url", ""),
                "note": item.get("note", ""),
            },
            **upsert,
        )
    return report


def _lookup(known: dict, slug: str, kind: str, where: str):
    try:
        return known[slug]
    except KeyError:
        raise LibraryError(f"Unknown {kind} {slug!r} in {where}.") from None
