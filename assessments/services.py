"""Writes to the question bank: creating, revising, publishing, importing and loading."""

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from roles.models import Skill
from roles.services import LoadReport, library_row_upsert

from . import grading
from .models import (
    Choice,
    NumericKey,
    Question,
    RubricCriterion,
    ShortAnswerKey,
    SqlDataset,
    SqlKey,
)

FORMAT = "yardstick-questions/1"
QUESTIONS_DIR = Path(__file__).resolve().parent / "library" / "questions"
DATASETS_DIR = Path(__file__).resolve().parent / "library" / "datasets"

COMMON_FIELDS = (
    "slug",
    "skill",
    "difficulty",
    "type",
    "prompt",
    "explanation",
    "points",
    "suggested_seconds",
    "status",
)
TYPE_FIELDS = {
    Question.Type.SINGLE_CHOICE: ("choices",),
    Question.Type.MULTIPLE_CHOICE: ("choices",),
    Question.Type.TRUE_FALSE: ("choices",),
    Question.Type.SHORT_ANSWER: ("accepted", "case_sensitive", "regex"),
    Question.Type.NUMERIC: ("value", "tolerance"),
    Question.Type.SQL: ("dataset", "reference_query", "order_matters"),
    Question.Type.FREE_TEXT: ("rubric",),
}


class QuestionError(Exception):
    """A question (or a bank file) is invalid; `errors` lists every problem found."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


# Serialising: one canonical dict per question, shared by export, import and the loader.


def _number(value):
    """Numbers as the database stores them (6 decimals), written as people write them."""
    try:
        decimal = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError, TypeError):
        return value
    if decimal == decimal.to_integral_value():
        return int(decimal)
    return float(decimal.normalize())


def question_to_dict(question: Question) -> dict:
    """The question in the bank file format (docs/question-format.md)."""
    data = {
        "slug": question.slug,
        "skill": question.skill.slug,
        "difficulty": question.difficulty,
        "type": question.type,
        "prompt": question.prompt,
        "explanation": question.explanation,
        "points": question.points,
        "suggested_seconds": question.suggested_seconds,
        "status": question.status,
    }
    key = question.grading_key()
    if question.is_choice_type:
        data["choices"] = [
            {"text": c["text"], "correct": c["correct"], "feedback": c["feedback"]}
            for c in key["choices"]
        ]
    elif question.type == Question.Type.SHORT_ANSWER:
        data.update({name: key.get(name) for name in ("accepted", "case_sensitive", "regex")})
    elif question.type == Question.Type.NUMERIC:
        data.update({"value": key.get("value"), "tolerance": key.get("tolerance")})
    elif question.type == Question.Type.SQL:
        sql_key = getattr(question, "sql_key", None)
        data.update(
            {
                "dataset": sql_key.dataset.name if sql_key else None,
                "reference_query": key.get("reference_query"),
                "order_matters": key.get("order_matters"),
            }
        )
    elif question.type == Question.Type.FREE_TEXT:
        data["rubric"] = key["rubric"]
    return data


def canonical(data: dict) -> dict:
    """`data` with defaults filled in, shaped exactly as `question_to_dict` returns it."""
    question_type = data.get("type")
    result = {name: data.get(name) for name in COMMON_FIELDS}
    result["status"] = data.get("status") or Question.Status.PUBLISHED
    result["points"] = data.get("points", 1)
    result["suggested_seconds"] = data.get("suggested_seconds", 90)
    if question_type in Question.CHOICE_TYPES:
        result["choices"] = [
            {
                "text": choice.get("text", ""),
                "correct": bool(choice.get("correct")),
                "feedback": choice.get("feedback", ""),
            }
            for choice in data.get("choices") or []
        ]
    elif question_type == Question.Type.SHORT_ANSWER:
        result["accepted"] = [a.strip() for a in data.get("accepted") or [] if a.strip()]
        result["case_sensitive"] = bool(data.get("case_sensitive", False))
        result["regex"] = data.get("regex") or ""
    elif question_type == Question.Type.NUMERIC:
        result["value"] = _number(data.get("value"))
        result["tolerance"] = _number(data.get("tolerance", 0))
    elif question_type == Question.Type.SQL:
        result["dataset"] = data.get("dataset")
        result["reference_query"] = data.get("reference_query")
        result["order_matters"] = bool(data.get("order_matters", False))
    elif question_type == Question.Type.FREE_TEXT:
        result["rubric"] = [
            {"criterion": item.get("criterion", ""), "points": item.get("points")}
            for item in data.get("rubric") or []
        ]
    return result


def fingerprint(data: dict) -> str:
    payload = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


# Validation


def question_data_errors(data: dict, *, datasets: dict[str, str], skills: set[str]) -> list[str]:
    """Every problem with one question in file format; empty when it can be saved.

    `datasets` maps dataset names to their setup SQL, `skills` is the set of
    known skill slugs.
    """
    if not isinstance(data, dict):
        return [_("Each question must be a JSON object.")]
    errors = []
    for name in ("slug", "skill", "difficulty", "type", "prompt", "explanation"):
        if data.get(name) in (None, ""):
            errors.append(_("%(field)s is required.") % {"field": name})
    question_type = data.get("type")
    if question_type and question_type not in Question.Type.values:
        errors.append(_("Unknown type %(type)r.") % {"type": question_type})
    if data.get("skill") and data["skill"] not in skills:
        errors.append(_("Unknown skill %(skill)r.") % {"skill": data["skill"]})
    if data.get("difficulty") not in (1, 2, 3, 4):
        errors.append(_("difficulty must be 1, 2, 3 or 4."))
    points = data.get("points", 1)
    if not isinstance(points, int) or isinstance(points, bool) or not 1 <= points <= 100:
        errors.append(_("points must be a whole number from 1 to 100."))
    seconds = data.get("suggested_seconds", 90)
    if not isinstance(seconds, int) or not 10 <= seconds <= 3600:
        errors.append(_("suggested_seconds must be a whole number from 10 to 3600."))
    status = data.get("status", Question.Status.PUBLISHED)
    if status not in Question.Status.values:
        errors.append(_("Unknown status %(status)r.") % {"status": status})
    if errors or question_type not in Question.Type.values:
        return errors
    if question_type == Question.Type.SQL and data.get("dataset") not in datasets:
        return [_("Unknown dataset %(name)r.") % {"name": data.get("dataset")}]
    return [str(message) for message in grading.validate_key(_grading_key(data, datasets))]


def _grading_key(data: dict, datasets: dict[str, str]) -> dict:
    item = canonical(data)
    key = {"type": item["type"], "points": item["points"] or 1}
    if item["type"] in Question.CHOICE_TYPES:
        key["choices"] = [
            {"id": str(index), **choice} for index, choice in enumerate(item["choices"])
        ]
    elif item["type"] == Question.Type.SQL:
        key.update(
            setup_sql=datasets.get(item["dataset"], ""),
            reference_query=item["reference_query"],
            order_matters=item["order_matters"],
        )
    else:
        key.update({name: item[name] for name in TYPE_FIELDS[item["type"]]})
    return key


# Writing


def _write_key(question: Question, item: dict, datasets: dict[str, SqlDataset]) -> None:
    """Replace the answer key rows of an unlocked question with those in `item`."""
    question.choices.all().delete()
    question.rubric_criteria.all().delete()
    for model in (ShortAnswerKey, NumericKey, SqlKey):
        model.objects.filter(question=question).delete()
    question_type = item["type"]
    if question_type in Question.CHOICE_TYPES:
        Choice.objects.bulk_create(
            Choice(
                question=question,
                text=choice["text"],
                is_correct=choice["correct"],
                feedback=choice["feedback"],
                position=position,
            )
            for position, choice in enumerate(item["choices"])
        )
    elif question_type == Question.Type.SHORT_ANSWER:
        ShortAnswerKey.objects.create(
            question=question,
            accepted="\n".join(item["accepted"]),
            case_sensitive=item["case_sensitive"],
            regex=item["regex"],
        )
    elif question_type == Question.Type.NUMERIC:
        NumericKey.objects.create(
            question=question,
            value=Decimal(str(item["value"])),
            tolerance=Decimal(str(item["tolerance"])),
        )
    elif question_type == Question.Type.SQL:
        SqlKey.objects.create(
            question=question,
            dataset=datasets[item["dataset"]],
            reference_query=item["reference_query"],
            order_matters=item["order_matters"],
        )
    elif question_type == Question.Type.FREE_TEXT:
        RubricCriterion.objects.bulk_create(
            RubricCriterion(
                question=question,
                criterion=criterion["criterion"],
                points=criterion["points"],
                position=position,
            )
            for position, criterion in enumerate(item["rubric"])
        )


def _apply(question: Question, item: dict, skills: dict[str, Skill]) -> None:
    for name in COMMON_FIELDS:
        value = skills[item["skill"]] if name == "skill" else item[name]
        setattr(question, name, value)


def question_create(
    *,
    data: dict,
    datasets: dict[str, SqlDataset],
    skills: dict[str, Skill],
    owner=None,
    author=None,
) -> Question:
    """Create version 1 of a new question from validated file-format data."""
    item = canonical(data)
    question = Question(owner=owner, author=author, library_checksum=fingerprint(item))
    _apply(question, item, skills)
    question.save()
    _write_key(question, item, datasets)
    return question


def question_revise(
    *,
    question: Question,
    data: dict,
    datasets: dict[str, SqlDataset],
    skills: dict[str, Skill],
    author=None,
) -> Question:
    """Apply validated file-format data to a question, keeping what attempts saw.

    A locked version (one an attempt has drawn) is never changed: the change
    becomes a new version linked to it. An unlocked version is updated in place.
    Returns the version that now holds the data.
    """
    item = canonical(data)
    if question.is_locked:
        question = _new_version_row(question, author=author)
    _apply(question, item, skills)
    question.library_checksum = fingerprint(item)
    question.save()
    _write_key(question, item, datasets)
    return question


def _new_version_row(question: Question, *, author=None) -> Question:
    newest = Question.objects.filter(lineage=question.lineage).aggregate(Max("version"))
    if newest["version__max"] != question.version:
        raise QuestionError([_("Only the newest version of a question can be revised.")])
    source_pk = question.pk
    question.pk = None
    question.id = None
    question._state.adding = True
    question.code = Question._meta.get_field("code").default()
    question.version += 1
    question.previous_id = source_pk
    question.locked_at = None
    question.author = author or question.author
    question.save()
    return question


@transaction.atomic
def question_new_version(*, question: Question, author=None) -> Question:
    """Copy a question and its key into a new draft version for editing.

    The copy keeps the old version's library fingerprint, so the content
    loader sees it as edited by staff and leaves it alone.
    """
    source = Question.objects.with_keys().get(pk=question.pk)
    item = question_to_dict(source)
    datasets = {}
    if source.type == Question.Type.SQL:
        datasets[source.sql_key.dataset.name] = source.sql_key.dataset
    new = _new_version_row(source, author=author)
    new.status = Question.Status.DRAFT
    new.save(update_fields=["status"])
    _write_key(new, item, datasets)
    return new


def question_lock(*, question: Question, now=None) -> None:
    """Mark a version as used by an attempt; from now on it never changes."""
    if question.locked_at is None:
        Question.objects.filter(pk=question.pk, locked_at__isnull=True).update(
            locked_at=now or timezone.now()
        )
        question.refresh_from_db(fields=["locked_at"])


STATUS_CHANGES = {
    Question.Status.IN_REVIEW: {Question.Status.DRAFT},
    Question.Status.PUBLISHED: {Question.Status.DRAFT, Question.Status.IN_REVIEW},
    Question.Status.RETIRED: {
        Question.Status.DRAFT,
        Question.Status.IN_REVIEW,
        Question.Status.PUBLISHED,
    },
}


@dataclass
class StatusChange:
    changed: list[Question] = field(default_factory=list)
    refused: list[tuple[Question, str]] = field(default_factory=list)


@transaction.atomic
def question_set_status(*, questions, status: str) -> StatusChange:
    """Move questions to `status`; each refusal is reported with its reason.

    Publishing checks the answer key: an inconsistent question stays where it
    was. Status is workflow, not content, so it may change on locked versions.
    """
    result = StatusChange()
    allowed_from = STATUS_CHANGES[status]
    for question in (
        Question.objects.with_keys()
        .filter(pk__in=[q.pk for q in questions])
        .select_for_update(of=("self",))
    ):
        if question.status not in allowed_from:
            result.refused.append(
                (
                    question,
                    _("%(question)s is %(status)s and cannot become %(new)s.")
                    % {
                        "question": question,
                        "status": question.get_status_display().lower(),
                        "new": Question.Status(status).label.lower(),
                    },
                )
            )
            continue
        if status == Question.Status.PUBLISHED:
            errors = grading.validate_key(question.grading_key())
            if errors:
                result.refused.append((question, f"{question}: {' '.join(errors)}"))
                continue
        question.status = status
        question.save(update_fields=["status", "updated_at"])
        result.changed.append(question)
    return result


# Import, export and the shipped library


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0


def _read_bank(data) -> tuple[list, list, list[str]]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return (
            [],
            [],
            [_("The file is not a Yardstick question bank (format %(f)s).") % {"f": FORMAT}],
        )
    questions = data.get("questions")
    datasets = data.get("datasets", [])
    if not isinstance(questions, list) or not isinstance(datasets, list):
        return [], [], [_("questions and datasets must be lists.")]
    return questions, datasets, []


def bank_errors(data, *, owner=None) -> list[str]:
    """Every problem in a bank document, each with its position. Empty when importable."""
    questions, dataset_items, errors = _read_bank(data)
    if errors:
        return errors
    known = {ds.name: ds.setup_sql for ds in SqlDataset.objects.filter(owner=owner)}
    for position, item in enumerate(dataset_items, start=1):
        if not isinstance(item, dict) or not item.get("name") or not item.get("setup_sql"):
            errors.append(_("Dataset %(n)d: name and setup_sql are required.") % {"n": position})
            continue
        known[item["name"]] = item["setup_sql"]
    skills = set(Skill.objects.values_list("slug", flat=True))
    seen = set()
    for position, item in enumerate(questions, start=1):
        label = _("Question %(n)d") % {"n": position}
        if isinstance(item, dict) and item.get("slug"):
            label += f" ({item['slug']})"
            if item["slug"] in seen:
                errors.append(f"{label}: " + _("the slug appears twice in the file."))
            seen.add(item["slug"])
        errors.extend(
            f"{label}: {error}"
            for error in question_data_errors(item, datasets=known, skills=skills)
        )
    return errors


@transaction.atomic
def bank_import(
    *, data, owner=None, author=None, overwrite: bool = True, report: ImportReport | None = None
) -> ImportReport:
    """Import a bank document: all of it, or nothing when any question is invalid.

    Questions are matched by slug within the owner's bank. A matching question
    whose content differs is revised (a new version when attempts used it).
    With `overwrite=False` (the shipped-library loader), a question that staff
    edited since it was loaded is kept as it is.
    """
    errors = bank_errors(data, owner=owner)
    if errors:
        raise QuestionError(errors)
    report = report or ImportReport()
    questions, dataset_items, _errors = _read_bank(data)
    datasets = {ds.name: ds for ds in SqlDataset.objects.filter(owner=owner)}
    for item in dataset_items:
        datasets[item["name"]] = library_row_upsert(
            model=SqlDataset,
            lookup={"name": item["name"], "owner": owner},
            values={"setup_sql": item["setup_sql"], "description": item.get("description", "")},
            overwrite=overwrite,
            report=LoadReport(),
        )
    skills = {skill.slug: skill for skill in Skill.objects.all()}
    existing = {
        q.slug: q
        for q in Question.objects.with_keys()
        .filter(owner=owner, slug__in=[item["slug"] for item in questions])
        .latest_versions()
    }
    for item in questions:
        wanted = canonical(item)
        question = existing.get(item["slug"])
        if question is None:
            question_create(data=item, datasets=datasets, skills=skills, owner=owner, author=author)
            report.created += 1
            continue
        current = question_to_dict(question)
        if current == wanted:
            report.unchanged += 1
            continue
        untouched = question.library_checksum == fingerprint(current)
        if not (overwrite or untouched):
            report.kept += 1
            continue
        question_revise(
            question=question, data=item, datasets=datasets, skills=skills, author=author
        )
        report.updated += 1
    return report


def bank_export(questions) -> dict:
    """A bank document with the given questions and the datasets they use."""
    questions = list(questions.with_keys())
    datasets = {}
    for question in questions:
        sql_key = getattr(question, "sql_key", None) if question.type == "sql" else None
        if sql_key:
            datasets[sql_key.dataset.name] = sql_key.dataset
    return {
        "format": FORMAT,
        "datasets": [
            {"name": ds.name, "description": ds.description, "setup_sql": ds.setup_sql}
            for ds in sorted(datasets.values(), key=lambda ds: ds.name)
        ],
        "questions": [question_to_dict(question) for question in questions],
    }


def shipped_bank() -> dict:
    """The shipped library as one bank document, read from the repository."""
    datasets = [
        {"name": path.stem, "setup_sql": path.read_text(encoding="utf-8")}
        for path in sorted(DATASETS_DIR.glob("*.sql"))
    ]
    questions = []
    for path in sorted(QUESTIONS_DIR.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        questions.extend(document["questions"])
    return {"format": FORMAT, "datasets": datasets, "questions": questions}


def question_bank_load(*, overwrite: bool = False) -> ImportReport:
    """Load the shipped question bank; idempotent, keeps staff edits unless `overwrite`."""
    return bank_import(data=shipped_bank(), overwrite=overwrite)


@transaction.atomic
def private_question_create(*, organization, author, item: dict) -> Question:
    """Create an organisation's own question from file-format data (as the builder form makes).

    Raises QuestionError with every problem, exactly as an import would.
    """
    from django.db.models import F, Q

    # The organisation's own dataset wins over a global one of the same name.
    datasets = {
        ds.name: ds
        for ds in SqlDataset.objects.filter(Q(owner__isnull=True) | Q(owner=organization)).order_by(
            F("owner_id").asc(nulls_first=True)
        )
    }
    skills = {skill.slug: skill for skill in Skill.objects.all()}
    item = {**item, "slug": f"{item['skill']}-{uuid.uuid4().hex[:10]}"}
    errors = question_data_errors(
        item, datasets={n: ds.setup_sql for n, ds in datasets.items()}, skills=set(skills)
    )
    if errors:
        raise QuestionError(errors)
    return question_create(
        data=item, datasets=datasets, skills=skills, owner=organization, author=author
    )
