import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Question
from assessments.services import FORMAT, QuestionError, bank_export, bank_import, shipped_bank

pytestmark = pytest.mark.django_db


def test_export_then_import_round_trips_exactly(question_bank):
    first = bank_export(Question.objects.global_library().latest_versions())
    Question.objects.all().delete()

    bank_import(data=json.loads(json.dumps(first)))

    second = bank_export(Question.objects.global_library().latest_versions())
    assert second == first


def test_the_shipped_files_survive_the_round_trip(question_bank):
    exported = {
        item["slug"]: item
        for item in bank_export(Question.objects.global_library().latest_versions())["questions"]
    }
    from assessments.services import canonical

    for item in shipped_bank()["questions"]:
        assert exported[item["slug"]] == canonical(item), item["slug"]


def test_an_import_with_errors_reports_each_with_its_position_and_imports_nothing(library):
    document = {
        "format": FORMAT,
        "questions": [
            {
                "slug": "ok-question",
                "skill": "sql",
                "difficulty": 1,
                "type": "true_false",
                "prompt": "NULL = NULL is true.",
                "explanation": "It is unknown.",
                "choices": [{"text": "True"}, {"text": "False", "correct": True}],
            },
            {
                "slug": "two-right",
                "skill": "sql",
                "difficulty": 1,
                "type": "single_choice",
                "prompt": "p",
                "explanation": "e",
                "choices": [{"text": "a", "correct": True}, {"text": "b", "correct": True}],
            },
            {"slug": "bad-skill", "skill": "cobol", "difficulty": 9, "type": "numeric"},
        ],
    }
    with pytest.raises(QuestionError) as caught:
        bank_import(data=document)
    errors = caught.value.errors
    assert any(e.startswith("Question 2 (two-right)") and "exactly one" in e for e in errors)
    assert any(e.startswith("Question 3 (bad-skill)") and "cobol" in e for e in errors)
    assert any(e.startswith("Question 3 (bad-skill)") and "difficulty" in e for e in errors)
    assert not Question.objects.exists()


def test_a_file_that_is_not_a_bank_is_refused(library):
    with pytest.raises(QuestionError, match="not a Yardstick question bank"):
        bank_import(data={"questions": []})


def test_a_sql_question_whose_reference_does_not_run_is_refused(library):
    document = {
        "format": FORMAT,
        "datasets": [{"name": "tiny", "setup_sql": "CREATE TABLE t (x INTEGER);"}],
        "questions": [
            {
                "slug": "sql-empty",
                "skill": "sql",
                "difficulty": 1,
                "type": "sql",
                "prompt": "Select everything from t.",
                "explanation": "There is nothing.",
                "dataset": "tiny",
                "reference_query": "SELECT * FROM t",
            }
        ],
    }
    with pytest.raises(QuestionError) as caught:
        bank_import(data=document)
    assert "Question 1 (sql-empty)" in caught.value.errors[0]


def test_commands_export_and_import(question_bank, tmp_path):
    target = tmp_path / "bank.json"
    call_command("export_questions", "--skill", "sql", "-o", str(target), stderr=StringIO())
    exported = json.loads(target.read_text())
    assert {item["skill"] for item in exported["questions"]} == {"sql"}
    assert {ds["name"] for ds in exported["datasets"]} >= {"shop"}

    out = StringIO()
    call_command("import_questions", str(target), stdout=out)
    assert f"0 created, 0 updated, {len(exported['questions'])} unchanged" in out.getvalue()

    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_questions", str(broken))


def test_the_loader_keeps_a_staff_edit_and_reports_it(question_bank):
    from assessments.services import question_bank_load

    question = Question.objects.filter(type="single_choice").first()
    question.prompt = "Edited by a curator."
    question.save()

    report = question_bank_load()

    question.refresh_from_db()
    assert question.prompt == "Edited by a curator."
    assert report.kept == 1
    assert report.created == 0


def test_the_stats_command_prints_counts_by_skill_difficulty_and_type(question_bank):
    out = StringIO()
    call_command("question_bank_stats", stdout=out)
    text = out.getvalue()
    assert "| SQL and relational databases |" in text
    assert "| SQL query |" in text
    assert f"Published questions: {Question.objects.drawable().count()}" in text
