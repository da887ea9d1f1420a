"""The shipped question bank: every question is sound and the bank meets its promises."""

import json
from collections import Counter

import pytest

from assessments import grading
from assessments.markdown import render_markdown
from assessments.models import Question
from assessments.services import _grading_key, shipped_bank
from roles.services import LIBRARY_DIR

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


class Shipped:
    """A question from the repository's files, shaped like a saved one."""

    def __init__(self, item, key):
        self.slug = item["slug"]
        self.type = item["type"]
        self.status = item.get("status", "published")
        self.prompt = item["prompt"]
        self.explanation = item["explanation"]
        self.difficulty = item["difficulty"]
        self.skill_slug = item["skill"]
        self.points = item.get("points", 1)
        self.key = key


@pytest.fixture(scope="module")
def bank_questions():
    """Every shipped question with the grading key the graders will see."""
    bank = shipped_bank()
    datasets = {item["name"]: item["setup_sql"] for item in bank["datasets"]}
    return [Shipped(item, _grading_key(item, datasets)) for item in bank["questions"]]


def _wrong_answer(key):
    question_type = key["type"]
    if question_type == "single_choice" or question_type == "true_false":
        return next(c["id"] for c in key["choices"] if not c["correct"])
    if question_type == "multiple_choice":
        return [c["id"] for c in key["choices"] if not c["correct"]]
    if question_type == "short_answer":
        return "definitely not the answer 42"
    if question_type == "numeric":
        return str(float(key["value"]) + float(key["tolerance"]) + 1000.5)
    if question_type == "sql":
        return "SELECT 1 AS nothing"
    return ""


def test_the_bank_has_at_least_300_published_questions(bank_questions):
    assert sum(1 for q in bank_questions if q.status == "published") >= 300


def test_every_auto_graded_question_grades_its_own_reference_answer_correct(bank_questions):
    failures = []
    for question in bank_questions:
        if question.type == "free_text":
            continue
        result = grading.grade(question.key, grading.reference_answer(question.key))
        if result.points != result.max_points or result.max_points != question.points:
            failures.append(f"{question.slug}: {result}")
    assert not failures, failures


def test_every_auto_graded_question_gives_a_wrong_answer_less(bank_questions):
    failures = []
    for question in bank_questions:
        if question.type == "free_text":
            continue
        result = grading.grade(question.key, _wrong_answer(question.key))
        if result.points >= result.max_points:
            failures.append(question.slug)
    assert not failures, failures


def test_every_key_is_valid_and_every_sql_reference_runs(bank_questions):
    problems = {
        question.slug: errors
        for question in bank_questions
        if (errors := grading.validate_key(question.key))
    }
    assert not problems


def test_free_text_questions_wait_for_a_reviewer(bank_questions):
    for question in bank_questions:
        if question.type == "free_text":
            assert grading.grade(question.key, "A considered answer.").pending, question.slug


def test_no_two_prompts_are_the_same(bank_questions):
    prompts = Counter(" ".join(q.prompt.lower().split()) for q in bank_questions)
    assert [p for p, n in prompts.items() if n > 1] == []


def test_every_prompt_and_explanation_renders(bank_questions):
    for question in bank_questions:
        assert question.explanation.strip(), question.slug
        assert str(render_markdown(question.prompt)).strip(), question.slug
        assert str(render_markdown(question.explanation)).strip(), question.slug


def test_every_weighted_skill_has_questions_at_all_four_difficulties(bank_questions):
    roles = json.loads((LIBRARY_DIR / "roles.json").read_text())
    weighted = {
        item["skill"]
        for role in roles
        for profile in role["profiles"]
        for item in profile["skills"]
    }
    counts = Counter((q.skill_slug, q.difficulty) for q in bank_questions)
    missing = [(s, d) for s in weighted for d in (1, 2, 3, 4) if counts[(s, d)] == 0]
    assert missing == []
    thin_core = [
        (s, d, counts[(s, d)]) for s in CORE_SKILLS for d in (1, 2, 3, 4) if counts[(s, d)] < 5
    ]
    assert thin_core == []


def test_the_type_mix_matches_the_promise(bank_questions):
    types = Counter(q.type for q in bank_questions)
    total = sum(types.values())
    assert types["sql"] >= 30
    assert types["short_answer"] + types["numeric"] >= 25
    assert types["free_text"] >= 20
    assert types["true_false"] <= total * 0.10


def test_free_text_questions_are_for_senior_and_lead(bank_questions):
    levels = {q.difficulty for q in bank_questions if q.type == "free_text"}
    assert levels <= {3, 4}


def test_the_files_have_unique_slugs():
    slugs = Counter(item["slug"] for item in shipped_bank()["questions"])
    assert [slug for slug, n in slugs.items() if n > 1] == []


@pytest.mark.django_db
def test_loaded_questions_grade_their_reference_answers_from_the_database(question_bank):
    assert question_bank.created >= 300
    questions = Question.objects.global_library().drawable().with_keys()
    for question in questions:
        if question.type == "free_text":
            continue
        key = question.grading_key()
        result = grading.grade(key, grading.reference_answer(key))
        assert result.points == question.points, question.slug
