import pytest
from django.urls import reverse

from roles.models import (
    Role,
    RoleProfile,
    RoleSkill,
    SalaryFact,
    SeniorityLevel,
    Skill,
    SkillCategory,
)

pytestmark = pytest.mark.django_db

MODELS = [Role, SeniorityLevel, RoleProfile, SkillCategory, Skill, RoleSkill, SalaryFact]


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_staff_can_open_changelist_add_and_change_pages(library, staff_client, model):
    obj = model.objects.first()
    for url in (_url(model, "changelist"), _url(model, "add"), _url(model, "change", obj.pk)):
        response = staff_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelists_search_and_filter(library, staff_client, model):
    response = staff_client.get(_url(model, "changelist"), {"q": "a"})
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_queries_do_not_grow_per_row(
    library, staff_client, model, django_assert_max_num_queries
):
    # Session, user, count, full count, the page's rows, filter choices: a
    # fixed handful whatever the number of rows (RoleSkill has ~100).
    with django_assert_max_num_queries(12):
        staff_client.get(_url(model, "changelist"))


def test_non_staff_users_are_refused(library, client, django_user_model):
    user = django_user_model.objects.create_user(email="recruiter@example.com", password="pw")
    client.force_login(user)
    response = client.get(_url(Role, "changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_staff_can_add_a_skill_weight_to_a_profile(library, staff_client):
    profile = RoleProfile.objects.get(role__slug="backend-developer", level__slug="junior")
    unweighted = Skill.objects.exclude(role_skills__profile=profile).first()
    response = staff_client.post(
        _url(RoleSkill, "add"),
        {"profile": profile.pk, "skill": unweighted.pk, "weight": 2, "expected_proficiency": 1},
    )
    assert response.status_code == 302
    assert profile.role_skills.filter(skill=unweighted, weight=2).exists()
