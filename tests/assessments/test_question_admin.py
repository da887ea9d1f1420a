import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Question, SqlDataset
from assessments.services import question_lock
from roles.models import Skill
from tests.assessments.factories import make_question

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:assessments_question_changelist")
ADD = reverse("admin:assessments_question_add")


def _inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _add_form(skill, **fields):
    data = {
        "slug": "sql-admin-question",
        "skill": skill.pk,
        "difficulty": 1,
        "type": "single_choice",
        "status": "draft",
        "prompt": "Which keyword removes duplicate rows?",
        "explanation": "DISTINCT removes duplicates.",
        "points": 1,
        "suggested_seconds": 60,
    }
    for prefix in ("short_answer_key", "numeric_key", "sql_key", "rubric_criteria"):
        data.update(_inline_management(prefix))
    data.update(fields)
    return data


def _choices(*rows):
    data = _inline_management("choices", total=len(rows))
    for index, (text, correct) in enumerate(rows):
        data[f"choices-{index}-text"] = text
        data[f"choices-{index}-position"] = index
        if correct:
            data[f"choices-{index}-is_correct"] = "on"
    return data


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"status__exact": "published"},
        {"type__exact": "sql"},
        {"difficulty__exact": "4"},
        {"owner": "global"},
        {"versions": "all"},
        {"q": "index"},
    ],
)
def test_the_bank_changelist_filters_and_searches(question_bank, staff_client, query):
    response = staff_client.get(CHANGELIST, query)
    assert response.status_code == 200


def test_the_changelist_query_count_does_not_grow_with_the_bank(
    question_bank, staff_client, django_assert_max_num_queries
):
    # session, user, counts, the page of questions with skill and owner, filter choices.
    with django_assert_max_num_queries(12):
        response = staff_client.get(CHANGELIST)
    assert response.context["cl"].result_count >= 300


def test_staff_add_a_consistent_question(library, staff_client):
    skill = Skill.objects.get(slug="sql")
    data = _add_form(skill, **_choices(("DISTINCT", True), ("UNIQUE", False), ("GROUP", False)))
    response = staff_client.post(ADD, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"]
    question = Question.objects.get(slug="sql-admin-question")
    assert question.author.email == "curator@example.com"
    assert question.choices.filter(is_correct=True).count() == 1


def test_a_single_choice_question_with_two_right_answers_is_refused_clearly(library, staff_client):
    skill = Skill.objects.get(slug="sql")
    data = _add_form(skill, **_choices(("DISTINCT", True), ("UNIQUE", True)))
    response = staff_client.post(ADD, data)
    assert response.status_code == 200
    assert "Mark exactly one choice as correct." in response.text
    assert not Question.objects.filter(slug="sql-admin-question").exists()


def test_a_sql_question_whose_reference_fails_in_the_sandbox_is_refused(library, staff_client):
    skill = Skill.objects.get(slug="sql")
    dataset = SqlDataset.objects.create(name="tiny", setup_sql="CREATE TABLE t (x INTEGER);")
    data = _add_form(skill, type="sql", points=2)
    data.update(_inline_management("choices"))
    data.update(_inline_management("sql_key", total=1))
    data.update(
        {
            "sql_key-0-dataset": dataset.pk,
            "sql_key-0-reference_query": "SELECT nope FROM t",
        }
    )
    response = staff_client.post(ADD, data)
    assert response.status_code == 200
    assert "no such column" in response.text
    assert not Question.objects.filter(slug="sql-admin-question").exists()


def test_a_negative_numeric_tolerance_is_refused(library, staff_client):
    skill = Skill.objects.get(slug="caching")
    data = _add_form(skill, type="numeric")
    data.update(_inline_management("choices"))
    data.update(_inline_management("numeric_key", total=1))
    data.update({"numeric_key-0-value": "42", "numeric_key-0-tolerance": "-1"})
    response = staff_client.post(ADD, data)
    assert response.status_code == 200
    assert not Question.objects.filter(slug="sql-admin-question").exists()


def test_a_free_text_question_needs_a_rubric(library, staff_client):
    skill = Skill.objects.get(slug="architecture")
    data = _add_form(skill, type="free_text", points=4)
    data.update(_inline_management("choices"))
    response = staff_client.post(ADD, data)
    assert response.status_code == 200
    assert "rubric" in response.text.lower()
    assert not Question.objects.filter(slug="sql-admin-question").exists()


def test_change_and_preview_pages_show_the_question_and_its_history(library, staff_client):
    question = make_question()
    change = staff_client.get(reverse("admin:assessments_question_change", args=[question.pk]))
    assert change.status_code == 200
    assert "Preview as a candidate" in change.text
    assert "v1" in change.text
    preview = staff_client.get(reverse("admin:assessments_question_preview", args=[question.pk]))
    assert preview.status_code == 200
    assert "Which clause filters groups?" in preview.text
    assert 'type="radio"' in preview.text
    assert "HAVING filters after grouping." in preview.text


def test_a_locked_question_is_read_only_and_edited_as_a_new_version(library, staff_client):
    question = make_question()
    question_lock(question=question)
    change_url = reverse("admin:assessments_question_change", args=[question.pk])
    page = staff_client.get(change_url)
    assert "this version is read-only" in page.text
    assert "Edit as a new version" in page.text

    refused = staff_client.post(change_url, {"prompt": "Sneaky edit"})
    question.refresh_from_db()
    assert question.prompt == "Which clause filters groups?"
    assert refused.status_code == 403

    response = staff_client.post(
        reverse("admin:assessments_question_new_version", args=[question.pk])
    )
    new = Question.objects.get(lineage=question.lineage, version=2)
    assert response.url == reverse("admin:assessments_question_change", args=[new.pk])
    assert new.status == Question.Status.DRAFT
    assert new.choices.count() == 3


def test_bulk_actions_publish_and_retire(library, staff_client):
    question = make_question(status="draft")
    staff_client.post(CHANGELIST, {"action": "publish", "_selected_action": [question.pk]})
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED
    staff_client.post(CHANGELIST, {"action": "retire", "_selected_action": [question.pk]})
    question.refresh_from_db()
    assert question.status == Question.Status.RETIRED


def test_export_action_downloads_json(library, staff_client):
    question = make_question()
    response = staff_client.post(
        CHANGELIST, {"action": "export_selected", "_selected_action": [question.pk]}
    )
    document = json.loads(response.content)
    assert document["questions"][0]["slug"] == question.slug


def test_import_view_reports_errors_and_imports_nothing(library, staff_client):
    bad = {"format": "yardstick-questions/1", "questions": [{"slug": "x", "skill": "nope"}]}
    upload = SimpleUploadedFile("bank.json", json.dumps(bad).encode(), "application/json")
    url = reverse("admin:assessments_question_import")
    response = staff_client.post(url, {"file": upload})
    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert "Question 1 (x)" in response.text
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"{broken", "not valid JSON"),
        (b" " * (5 * 1024 * 1024 + 1), "larger than 5 MB"),
    ],
)
def test_import_view_refuses_bad_files_clearly(library, staff_client, content, message):
    url = reverse("admin:assessments_question_import")
    upload = SimpleUploadedFile("bank.json", content, "application/json")
    response = staff_client.post(url, {"file": upload})
    assert message in response.text


def test_non_staff_cannot_reach_the_bank(library, client, django_user_model):
    user = django_user_model.objects.create_user(email="r@example.com", password="pw")
    client.force_login(user)
    assert client.get(CHANGELIST).status_code == 302
    question = make_question()
    preview = reverse("admin:assessments_question_preview", args=[question.pk])
    assert client.get(preview).status_code == 302
