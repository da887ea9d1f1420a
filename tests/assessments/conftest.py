"""Fixtures shared by the attempt tests: a published assessment and a sent invitation.

Modules that need a differently shaped assessment define their own `assessment`.
"""

import pytest

from assessments import builder
from roles.models import RoleProfile
from tests.factories import InvitationFactory


@pytest.fixture
def assessment(question_bank, org_a, alice):
    """Backend Developer, Mid-level: 10 questions from the shipped bank, published."""
    profile = RoleProfile.objects.get(role__slug="backend-developer", level__slug="mid-level")
    assessment = builder.assessment_create_from_profile(
        profile=profile, organization=org_a, by=alice, total_questions=10
    )
    return builder.assessment_publish(assessment=assessment)


@pytest.fixture
def invitation(assessment):
    return InvitationFactory(assessment=assessment, status="sent", candidate__stage="invited")
