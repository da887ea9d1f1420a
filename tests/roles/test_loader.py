import json
import shutil

import pytest
from django.core.management import call_command

from roles.models import Role, RoleProfile, RoleSkill, SalaryFact, SeniorityLevel, Skill
from roles.services import LIBRARY_DIR, LibraryError, library_load

pytestmark = pytest.mark.django_db

MODELS = (Role, SeniorityLevel, RoleProfile, Skill, RoleSkill, SalaryFact)


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def library_copy(tmp_path):
    target = tmp_path / "library"
    shutil.copytree(LIBRARY_DIR, target)
    return target


def _edit_json(path, change):
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_loading_twice_changes_nothing():
    first = library_load()
    counts = _counts()
    second = library_load()
    assert first.total("created") > 0
    assert _counts() == counts
    assert second.total("created") == 0
    assert second.total("updated") == 0
    assert second.total("unchanged") == first.total("created")


def test_an_admin_edit_survives_a_reload():
    library_load()
    role = Role.objects.get(slug="backend-engineer")
    role.summary = "Edited by a curator."
    role.save()

    report = library_load()

    role.refresh_from_db()
    assert role.summary == "Edited by a curator."
    assert report.total("kept") == 1


def test_overwrite_replaces_admin_edits_with_shipped_content():
    library_load()
    Role.objects.filter(slug="backend-engineer").update(summary="Edited by a curator.")

    library_load(overwrite=True)

    assert Role.objects.get(slug="backend-engineer").summary != "Edited by a curator."


def test_rows_created_by_staff_are_never_deleted():
    library_load()
    Role.objects.create(name="Platform Engineer", slug="platform-engineer", summary="s", focus="f")
    library_load(overwrite=True)
    assert Role.objects.filter(slug="platform-engineer").exists()


def test_a_changed_content_file_updates_rows_nobody_edited(library_copy):
    library_load(directory=library_copy)
    _edit_json(
        library_copy / "levels.json",
        lambda levels: levels[0].update(summary="A new summary from the repository."),
    )

    report = library_load(directory=library_copy)

    assert SeniorityLevel.objects.get(rank=1).summary == "A new summary from the repository."
    assert report.total("updated") == 1


def test_an_unknown_skill_loads_nothing(library_copy):
    _edit_json(
        library_copy / "roles.json",
        lambda roles: roles[0]["profiles"][0]["skills"].append(
            {"skill": "cobol", "weight": 1, "proficiency": 1}
        ),
    )
    with pytest.raises(LibraryError, match="Unknown skill 'cobol'"):
        library_load(directory=library_copy)
    assert _counts() == dict.fromkeys(_counts(), 0)


def test_the_command_reports_what_it_did():
    from io import StringIO

    out = StringIO()
    call_command("load_library", stdout=out)
    assert "created" in out.getvalue()
    out = StringIO()
    call_command("load_library", stdout=out)
    assert "Library loaded: 0 created, 0 updated." in out.getvalue()
