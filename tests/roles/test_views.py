import pytest
from django.urls import reverse
from django.utils.html import escape

from roles.models import RoleProfile
from tests.factories import RoleProfileFactory, RoleSkillFactory

pytestmark = pytest.mark.django_db

NOT_FOUND = "We couldn’t find that page"


def _compare_url(a="backend-developer", b="backend-engineer", level="senior"):
    return reverse("roles:compare") + f"?a={a}&b={b}&level={level}"


def test_the_library_lists_every_role_and_level(library, client):
    response = client.get(reverse("roles:library"))
    assert response.status_code == 200
    for text in ("Backend Developer", "Backend Engineer", "Junior", "Mid-level", "Senior", "Lead"):
        assert text in response.text
    for profile in RoleProfile.objects.all():
        assert profile.get_absolute_url() in response.text


def test_the_library_has_a_fixed_number_of_queries(library, client, django_assert_max_num_queries):
    # roles, their profiles with levels, levels, skill categories, their skills.
    with django_assert_max_num_queries(5):
        client.get(reverse("roles:library"))
    extra = RoleProfileFactory()
    RoleSkillFactory.create_batch(5, profile=extra)
    with django_assert_max_num_queries(5):
        client.get(reverse("roles:library"))


def test_a_profile_page_shows_summary_responsibilities_skills_and_salaries(library, client):
    profile = RoleProfile.objects.get(role__slug="backend-engineer", level__slug="senior")
    response = client.get(profile.get_absolute_url())
    assert response.status_code == 200
    assert escape(profile.summary) in response.text
    for item in profile.responsibility_list:
        assert escape(item) in response.text
    for role_skill in profile.role_skills.select_related("skill"):
        assert role_skill.skill.name in response.text
    assert f"Weight {role_skill.weight} of 5" in response.text
    assert "USD 105,000" in response.text
    assert "Glassdoor" in response.text
    assert "Build an assessment for this profile" in response.text


def test_a_profile_page_has_a_fixed_number_of_queries(
    library, client, django_assert_max_num_queries
):
    profile = RoleProfile.objects.get(role__slug="backend-engineer", level__slug="senior")
    with django_assert_max_num_queries(7):
        client.get(profile.get_absolute_url())


@pytest.mark.parametrize(
    "url",
    [
        "/roles/backend-engineer/principal/",
        "/roles/frontend-developer/senior/",
        _compare_url(level="principal"),
        _compare_url(a="nobody"),
    ],
)
def test_unknown_slugs_give_a_styled_404(library, client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert NOT_FOUND in response.text
    assert "Browse the role library" in response.text


def test_the_comparison_puts_both_profiles_side_by_side_and_marks_differences(library, client):
    response = client.get(_compare_url())
    assert response.status_code == 200
    page = response.text
    assert "Backend Developer" in page
    assert "Backend Engineer" in page
    developer = RoleProfile.objects.get(role__slug="backend-developer", level__slug="senior")
    engineer = RoleProfile.objects.get(role__slug="backend-engineer", level__slug="senior")
    assert escape(developer.summary) in page
    assert escape(engineer.summary) in page
    assert 'class="differs"' in page
    only_engineer = set(engineer.role_skills.values_list("skill__name", flat=True)) - set(
        developer.role_skills.values_list("skill__name", flat=True)
    )
    assert only_engineer
    assert "Only Backend Engineer" in page


def test_the_comparison_defaults_to_developer_vs_engineer_at_senior(library, client):
    response = client.get(reverse("roles:compare"))
    assert response.status_code == 200
    assert response.context["left"].level.slug == "senior"


def test_the_comparison_has_a_fixed_number_of_queries(
    library, client, django_assert_max_num_queries
):
    # roles, levels, the two profiles, their role skills.
    with django_assert_max_num_queries(5):
        client.get(_compare_url())


def test_home_page_points_to_the_library(library, client):
    response = client.get("/")
    assert response.status_code == 200
    assert reverse("roles:library") in response.text


def test_pages_forbid_inline_scripts(library, client):
    response = client.get(reverse("roles:library"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in response.text
