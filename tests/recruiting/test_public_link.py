"""An assessment's public link /t/a/<public_token>/: one invitation per email, flood control."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from assessments import candidate_views
from recruiting.models import Candidate, Invitation
from tests.factories import AssessmentFactory, CandidateFactory, InvitationFactory

Status = Invitation.Status


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The rate limit lives in the cache, which outlives a test's database transaction.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def assessment(org_a):
    return AssessmentFactory(
        organization=org_a, title="Backend Developer", public_link_enabled=True
    )


def _url(assessment):
    return reverse("candidate:public", args=[assessment.public_token])


def _entry(email="ada@example.com", name="Ada Lovelace", consent="on"):
    data = {"name": name, "email": email}
    if consent:
        data["consent"] = consent
    return data


def test_the_public_page_asks_for_a_name_an_email_and_consent(client, assessment):
    response = client.get(_url(assessment))
    assert response.status_code == 200
    assert "Acme Hiring" in response.text
    assert "Backend Developer" in response.text
    for field in ('name="name"', 'name="email"', 'name="consent"'):
        assert field in response.text


def test_an_entry_creates_one_candidate_and_one_invitation_and_goes_to_the_landing(
    client, assessment, org_a
):
    response = client.post(_url(assessment), _entry())
    invitation = Invitation.objects.get()
    assert response.status_code == 302
    assert response.url == invitation.get_absolute_url()
    assert invitation.source == Invitation.Source.PUBLIC_LINK
    assert invitation.assessment == assessment
    assert invitation.candidate.organization == org_a
    assert invitation.candidate.name == "Ada Lovelace"
    assert mail.outbox == []  # the candidate goes straight to the landing; nothing is emailed
    assert client.get(response.url).status_code == 200


def test_the_same_email_gets_the_same_invitation_back(client, assessment):
    first = client.post(_url(assessment), _entry())
    again = client.post(_url(assessment), _entry(email="ADA@Example.com", name="A. Lovelace"))
    assert again.status_code == 302
    assert again.url == first.url
    assert Invitation.objects.count() == 1
    assert Candidate.objects.count() == 1


def test_a_known_candidate_is_reused_not_duplicated(client, assessment, org_a):
    ada = CandidateFactory(organization=org_a, email="ada@example.com", name="Ada")
    client.post(_url(assessment), _entry())
    assert Candidate.objects.get() == ada
    assert Invitation.objects.get().candidate == ada


def test_a_private_invitation_is_never_handed_out_through_the_public_form(
    client, assessment, org_a
):
    ada = CandidateFactory(organization=org_a, email="ada@example.com")
    private = InvitationFactory(assessment=assessment, candidate=ada, status=Status.SENT)
    response = client.post(_url(assessment), _entry())
    assert response.status_code == 400
    assert "already has a private invitation" in response.text
    assert private.token not in response.text
    assert Invitation.objects.count() == 1


def test_a_revoked_public_entry_stays_revoked(client, assessment):
    client.post(_url(assessment), _entry())
    Invitation.objects.update(status=Status.REVOKED)
    response = client.post(_url(assessment), _entry(), follow=True)
    assert "no longer valid" in response.text
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (_entry(consent=""), "Tick the box to agree"),
        (_entry(email="not-an-email"), "Enter a valid email address"),
        (_entry(name=""), "This field is required"),
    ],
)
def test_bad_entries_are_explained_and_change_nothing(client, assessment, data, error):
    response = client.post(_url(assessment), data)
    assert response.status_code == 400
    assert error in response.text
    assert not Invitation.objects.exists()
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(
    "change", [{"public_link_enabled": False}, {"status": "draft"}, {"status": "closed"}]
)
def test_a_disabled_link_or_unpublished_assessment_is_refused_clearly(client, assessment, change):
    for name, value in change.items():
        setattr(assessment, name, value)
    assessment.save()
    page = client.get(_url(assessment))
    assert page.status_code == 404
    assert "not taking entries" in page.text
    posted = client.post(_url(assessment), _entry())
    assert posted.status_code == 404
    assert not Invitation.objects.exists()
    assert not Candidate.objects.exists()


def test_an_unknown_public_token_is_the_styled_404(client, db):
    response = client.get(reverse("candidate:public", args=["nope"]))
    assert response.status_code == 404
    assert "couldn’t find that page" in response.text


def test_a_flood_from_one_address_gets_a_429(client, assessment):
    for number in range(candidate_views.RATE_PER_IP):
        response = client.post(_url(assessment), _entry(email=f"person{number}@example.com"))
        assert response.status_code == 302
    flooded = client.post(_url(assessment), _entry(email="one-more@example.com"))
    assert flooded.status_code == 429
    assert "Too many requests" in flooded.text
    assert flooded["Retry-After"] == "3600"
    assert not Candidate.objects.filter(email="one-more@example.com").exists()
    assert Invitation.objects.count() == candidate_views.RATE_PER_IP
    # Another address is still welcome.
    other = client.post(
        _url(assessment), _entry(email="neighbour@example.com"), REMOTE_ADDR="203.0.113.9"
    )
    assert other.status_code == 302


def test_a_flood_on_one_assessment_from_many_addresses_gets_a_429(client, assessment, monkeypatch):
    monkeypatch.setattr(candidate_views, "RATE_PER_ASSESSMENT", 3)
    for number in range(3):
        response = client.post(
            _url(assessment),
            _entry(email=f"p{number}@example.com"),
            REMOTE_ADDR=f"198.51.100.{number}",
        )
        assert response.status_code == 302
    flooded = client.post(
        _url(assessment), _entry(email="p9@example.com"), REMOTE_ADDR="198.51.100.99"
    )
    assert flooded.status_code == 429
    assert Invitation.objects.count() == 3


def test_reading_the_public_page_is_not_rate_limited(client, assessment):
    for _ in range(candidate_views.RATE_PER_IP + 5):
        assert client.get(_url(assessment)).status_code == 200
