from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.attempts import attempt_start
from assessments.models import Attempt
from recruiting.models import Candidate, Invitation, Organization, User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_demo_once_and_prints_the_logins(question_bank):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "admin@example.com" in text
    assert "recruiter@example.com" in text
    organization = Organization.objects.get(slug="demo")
    assert organization.assessments.get().status == "published"
    assert Candidate.objects.filter(organization=organization).count() == 4
    assert Attempt.objects.filter(state="submitted").count() == 2
    counts = (User.objects.count(), Invitation.objects.count(), Attempt.objects.count())

    call_command("seed_demo", stdout=StringIO())

    assert (User.objects.count(), Invitation.objects.count(), Attempt.objects.count()) == counts


def test_periodic_once_finalises_overdue_attempts(question_bank):
    call_command("seed_demo", stdout=StringIO())
    invitation = Invitation.objects.filter(status="pending").first()
    attempt = attempt_start(invitation=invitation, now=timezone.now() - timedelta(hours=5)).attempt
    out = StringIO()
    call_command("periodic", "--once", stdout=out)
    assert "1 finalised attempts" in out.getvalue()
    attempt.refresh_from_db()
    assert attempt.state == "submitted"
