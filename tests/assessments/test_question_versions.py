import pytest

from assessments import grading
from assessments.models import Question
from assessments.services import (
    QuestionError,
    bank_import,
    question_lock,
    question_new_version,
    question_set_status,
    question_to_dict,
)
from tests.assessments.factories import make_question

pytestmark = pytest.mark.django_db


def _reimport(question, **changes):
    data = {**question_to_dict(question), **changes}
    bank_import(data={"format": "yardstick-questions/1", "questions": [data]})


def test_an_unused_question_is_edited_in_place(library):
    question = make_question()
    _reimport(question, prompt="Which clause filters aggregated groups?")
    assert Question.objects.filter(lineage=question.lineage).count() == 1
    question.refresh_from_db()
    assert question.prompt == "Which clause filters aggregated groups?"


def test_a_used_question_is_never_changed_in_place(library):
    question = make_question()
    old_key = question.grading_key()
    question_lock(question=question)

    _reimport(question, prompt="Changed after use.")

    question.refresh_from_db()
    assert question.prompt == "Which clause filters groups?"
    assert question.grading_key() == old_key
    new = Question.objects.get(lineage=question.lineage, version=2)
    assert new.prompt == "Changed after use."
    assert new.previous == question


def test_only_the_newest_published_version_is_drawn(library):
    question = make_question()
    question_lock(question=question)
    draft = question_new_version(question=question)
    assert draft.status == Question.Status.DRAFT
    assert list(Question.objects.drawable()) == [question]

    question_set_status(questions=[draft], status=Question.Status.PUBLISHED)

    assert list(Question.objects.drawable()) == [draft]


def test_an_old_version_still_grades_what_the_candidate_saw(library):
    question = make_question()
    question_lock(question=question)
    correct_then = next(c for c in question.grading_key()["choices"] if c["correct"])["id"]
    _reimport(
        question,
        choices=[
            {"text": "WHERE", "correct": True},
            {"text": "HAVING", "correct": False},
        ],
    )
    question.refresh_from_db()
    assert grading.grade(question.grading_key(), correct_then).points == 1


def test_retired_questions_are_not_drawn_but_keep_their_key(library):
    question = make_question()
    question_set_status(questions=[question], status=Question.Status.RETIRED)
    assert not Question.objects.drawable().exists()
    assert Question.objects.get(pk=question.pk).choices.count() == 3


def test_publishing_refuses_an_inconsistent_question_with_a_reason(library):
    question = make_question(status="draft")
    question.choices.update(is_correct=True)
    result = question_set_status(questions=[question], status=Question.Status.PUBLISHED)
    assert result.changed == []
    assert "exactly one" in result.refused[0][1]
    question.refresh_from_db()
    assert question.status == Question.Status.DRAFT


def test_only_the_newest_version_can_be_revised(library):
    question = make_question()
    question_lock(question=question)
    question_new_version(question=question)
    with pytest.raises(QuestionError):
        question_new_version(question=question)
