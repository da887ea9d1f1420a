"""The candidate landing page /t/<token>/: each state says what it is; dead links allow nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Section
from recruiting.models import Invitation
from tests.factories import AssessmentFactory, CandidateFactory, InvitationFactory, SkillFactory

Status = Invitation.Status


@pytest.fixture
def assessment(org_a):
    assessment = AssessmentFactory(
        organization=org_a,
        title="Senior Backend Engineer",
        time_limit_minutes=30,
        instructions="Use **PostgreSQL** syntax for SQL questions.",
    )
    Section.objects.create(assessment=assessment, skill=SkillFactory(), question_count=3)
    Section.objects.create(assessment=assessment, skill=SkillFactory(), question_count=5)
    return assessment


@pytest.fixture
def invite(assessment, org_a):
    def make(**fields):
        candidate = CandidateFactory(organization=org_a, name="Ada Lovelace")
        return InvitationFactory(assessment=assessment, candidate=candidate, **fields)

    return make


def _start_url(invitation):
    return reverse("candidate:start", args=[invitation.token])


def _snapshot(invitation):
    return Invitation.objects.values().get(pk=invitation.pk)


def test_the_landing_explains_the_assessment_without_a_login(client, invite):
    invitation = invite(status=Status.SENT, extra_time_percent=25)
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 200
    assert response.templates[0].name == "candidate/landing.html"
    text = response.text
    assert "Acme Hiring" in text
    assert "Senior Backend Engineer" in text
    assert "Hello Ada Lovelace" in text
    assert "<dt>8</dt>" in text  # questions: 3 + 5
    assert "<dt>2</dt>" in text  # sections
    assert "<dt>38</dt>" in text  # 30 minutes + 25 %, rounded up
    assert "includes your +25% time" in text
    assert "<strong>PostgreSQL</strong>" in text  # the instructions, as Markdown
    for rule in ("One attempt", "timer runs on our server", "Every change is saved"):
        assert rule in text
    for recorded in ("loses focus", "paste text", "copy the text of a question"):
        assert recorded in text
    assert "Your privacy" in text
    assert 'name="consent"' in text
    assert f'action="{_start_url(invitation)}"' in text
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"]


def test_the_landing_has_no_inline_script_or_style(client, invite):
    text = client.get(invite().get_absolute_url()).text
    assert "<script>" not in text
    assert " style=" not in text


@pytest.mark.parametrize("status", [Status.PENDING, Status.SENT])
def test_the_first_view_marks_the_invitation_opened(client, invite, status):
    invitation = invite(status=status)
    client.get(invitation.get_absolute_url())
    invitation.refresh_from_db()
    assert invitation.status == Status.OPENED
    first_opened = invitation.opened_at
    assert first_opened is not None
    client.get(invitation.get_absolute_url())
    invitation.refresh_from_db()
    assert invitation.opened_at == first_opened


def test_an_unknown_token_is_the_styled_404(client, db):
    response = client.get(reverse("candidate:landing", args=["no-such-token"]))
    assert response.status_code == 404
    assert "couldn’t find that page" in response.text
    start = client.post(reverse("candidate:start", args=["no-such-token"]), {"consent": "on"})
    assert start.status_code == 404


def test_an_expired_link_says_when_and_whom_to_ask_and_allows_nothing(client, invite):
    expires_at = timezone.now() - timedelta(hours=2)
    invitation = invite(status=Status.SENT, expires_at=expires_at)
    before = _snapshot(invitation)
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 410
    assert "This link has expired" in response.text
    assert f"expired on {timezone.localtime(expires_at):%-d %B %Y}" in response.text
    assert "Ask Acme Hiring for a new one" in response.text
    assert 'name="consent"' not in response.text
    started = client.post(_start_url(invitation), {"consent": "on"})
    assert started.status_code == 410
    assert "This link has expired" in started.text
    assert _snapshot(invitation) == before


def test_a_revoked_link_says_so_and_allows_nothing(client, invite):
    invitation = invite(status=Status.REVOKED, revoked_at=timezone.now())
    before = _snapshot(invitation)
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 410
    assert "This link is no longer valid" in response.text
    started = client.post(_start_url(invitation), {"consent": "on"})
    assert started.status_code == 410
    assert "no longer valid" in started.text
    assert "will open here" not in started.text
    assert _snapshot(invitation) == before


def test_a_submitted_link_thanks_the_candidate(client, invite):
    invitation = invite(status=Status.COMPLETED, completed_at=timezone.now())
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 200
    assert "Already submitted — thank you" in response.text
    assert "will open here" not in client.post(_start_url(invitation), {"consent": "on"}).text


def test_a_started_link_continues_the_attempt(client, invite):
    invitation = invite(status=Status.STARTED, started_at=timezone.now())
    response = client.get(invitation.get_absolute_url())
    assert response.url == reverse("candidate:take", args=[invitation.token])
    invitation.refresh_from_db()
    assert invitation.status == Status.STARTED


def test_a_completed_link_is_not_expired_by_the_clock(client, invite):
    invitation = invite(status=Status.COMPLETED, expires_at=timezone.now() - timedelta(days=3))
    assert "Already submitted" in client.get(invitation.get_absolute_url()).text


def test_start_needs_the_consent_box(client, invite):
    invitation = invite(status=Status.OPENED)
    before = _snapshot(invitation)
    response = client.post(_start_url(invitation), {})
    assert response.status_code == 400
    assert "Tick the box to agree" in response.text
    assert _snapshot(invitation) == before


def test_start_with_consent_on_a_closed_assessment_starts_nothing(client, invite, assessment):
    assessment.status = "closed"
    assessment.save()
    invitation = invite(status=Status.OPENED)
    response = client.post(_start_url(invitation), {"consent": "on"})
    assert response.status_code == 410
    assert "This assessment is closed" in response.text
    invitation.refresh_from_db()
    assert invitation.status == Status.OPENED
    assert not hasattr(invitation, "attempt")


def test_start_by_get_goes_back_to_the_landing(client, invite):
    invitation = invite()
    response = client.get(_start_url(invitation))
    assert response.status_code == 302
    assert response.url == invitation.get_absolute_url()


def test_a_head_request_from_a_link_checker_does_not_count_as_opened(client, invite):
    invitation = invite(status=Status.SENT)
    assert client.head(invitation.get_absolute_url()).status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == Status.SENT
    assert invitation.opened_at is None
