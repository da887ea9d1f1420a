from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from roles.models import RoleProfile
from tests.factories import AssessmentFactory, InvitationFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("recruiting:dashboard")


def test_anonymous_visitors_log_in_first(as_user):
    response = as_user(None).get(DASHBOARD)
    assert response.url.startswith(reverse("login"))


def test_a_user_without_an_organisation_is_asked_to_create_one(as_user, django_user_model):
    loner = django_user_model.objects.create_user(email="loner@example.com", password="pw")
    response = as_user(loner).get(DASHBOARD)
    assert response.url == reverse("recruiting:organization-create")


def test_a_new_organisation_sees_how_to_start(alice, as_user):
    page = as_user(alice).get(DASHBOARD).text
    assert "Get your first results in three steps" in page
    assert reverse("assessments:new") in page


def test_the_reviewer_sees_no_create_button(bob, as_user):
    page = as_user(bob).get(DASHBOARD).text
    assert reverse("assessments:new") not in page


def test_counts_completions_and_expiring_invitations_for_this_organisation_only(
    library, org_a, org_b, alice, as_user
):
    profile = RoleProfile.objects.first()
    mine = AssessmentFactory(organization=org_a, role_profile=profile, title="Mine")
    theirs = AssessmentFactory(organization=org_b, role_profile=profile, title="Theirs")
    now = timezone.now()
    InvitationFactory(assessment=mine, status="completed", completed_at=now, candidate__name="Ada")
    InvitationFactory(
        assessment=mine, status="sent", expires_at=now + timedelta(hours=5), candidate__name="Bo"
    )
    InvitationFactory(
        assessment=theirs, status="completed", completed_at=now, candidate__name="Zed"
    )
    page = as_user(alice).get(DASHBOARD).text
    assert "Ada" in page
    assert "Bo" in page
    assert "Zed" not in page


def test_the_dashboard_has_a_fixed_number_of_queries(
    library, org_a, alice, as_user, django_assert_max_num_queries
):
    profile = RoleProfile.objects.first()
    assessment = AssessmentFactory(organization=org_a, role_profile=profile)
    now = timezone.now()
    for index in range(60):
        InvitationFactory(
            assessment=assessment,
            status="completed" if index % 2 else "sent",
            completed_at=now,
            expires_at=now + timedelta(hours=10),
        )
    # session, user, membership, invitations by status, expiring, recent, assessments by
    # status, candidate count, answers waiting for a grade.
    client = as_user(alice)
    with django_assert_max_num_queries(9):
        client.get(DASHBOARD)


def test_the_dashboard_query_count_is_the_same_with_1000_attempts(
    question_bank, org_a, alice, as_user, django_assert_max_num_queries
):
    from assessments.models import Attempt
    from recruiting.models import Candidate, Invitation

    profile = RoleProfile.objects.first()
    assessment = AssessmentFactory(organization=org_a, role_profile=profile)
    now = timezone.now()
    candidates = Candidate.objects.bulk_create(
        Candidate(organization=org_a, name=f"C{i}", email=f"c{i}@bulk.test") for i in range(1000)
    )
    invitations = Invitation.objects.bulk_create(
        Invitation(
            candidate=c, assessment=assessment, expires_at=now, status="completed", completed_at=now
        )
        for c in candidates
    )
    Attempt.objects.bulk_create(
        Attempt(
            invitation=inv,
            assessment_id=inv.assessment_id,
            seed=i,
            started_at=now - timedelta(minutes=30),
            deadline=now,
            state="submitted",
            score_percent=50.0,
        )
        for i, inv in enumerate(invitations)
    )
    client = as_user(alice)
    with django_assert_max_num_queries(9):
        page = client.get(DASHBOARD)
    assert page.text.count("ago") >= 10
