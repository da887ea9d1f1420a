"""The team page: members, roles, teammate invitations and joining a team."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from recruiting.models import Membership, TeamInvitation, User
from recruiting.services.accounts import (
    ALREADY_INVITED,
    ALREADY_MEMBER,
    INVITATION_ACCEPTED,
    INVITATION_EXPIRED,
    INVITATION_REVOKED,
    LAST_OWNER,
    AccountError,
    membership_remove,
    membership_set_role,
    team_invite,
)
from recruiting.tenancy import SESSION_KEY
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
TEAM = reverse("recruiting:team")


@pytest.fixture
def invitation(org_a, alice):
    return TeamInvitation.objects.create(
        organization=org_a, email="newbie@example.com", role="recruiter", invited_by=alice
    )


@pytest.fixture
def personas(alice, rita, bob, charlie):
    return {"alice": alice, "rita": rita, "bob": bob, "charlie": charlie}


def _membership(user):
    return Membership.objects.get(user=user)


def _messages(response):
    """Messages waiting after a redirect (unread ones from earlier requests included)."""
    return [str(m) for m in response.wsgi_request._messages]


def _owner_actions(rita, invitation):
    """(url, POST data) for every owner-only action on org A's objects."""
    member = _membership(rita)
    return [
        (reverse("recruiting:team-member-role", args=[member.pk]), {"role": "reviewer"}),
        (reverse("recruiting:team-member-remove", args=[member.pk]), {}),
        (reverse("recruiting:team-invitation-revoke", args=[invitation.pk]), {}),
    ]


def _state():
    return (
        sorted(Membership.objects.values_list("pk", "role")),
        sorted(TeamInvitation.objects.values_list("pk", "revoked_at", "accepted_at")),
    )


# The persona ladder


def test_anonymous_visitors_are_sent_to_log_in_from_every_team_view(client, rita, invitation):
    urls = [TEAM, reverse("recruiting:team-invite")]
    urls += [url for url, _data in _owner_actions(rita, invitation)]
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("login")), url


def test_charlie_gets_404_for_org_a_members_and_invitations_whatever_the_verb(
    as_user, charlie, rita, invitation
):
    client = as_user(charlie)
    before = _state()
    for url, data in _owner_actions(rita, invitation):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    assert _state() == before


@pytest.mark.parametrize("name", ["bob", "rita"])
def test_non_owners_get_403_for_every_owner_action(as_user, personas, invitation, name):
    client = as_user(personas[name])
    before = _state()
    for url, data in _owner_actions(personas["rita"], invitation):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    invite = client.post(
        reverse("recruiting:team-invite"), {"email": "x@example.com", "role": "owner"}
    )
    assert invite.status_code == 403
    assert _state() == before
    assert mail.outbox == []


@pytest.mark.parametrize("name", ["alice", "rita", "bob"])
def test_every_member_sees_the_team(as_user, personas, invitation, name):
    response = as_user(personas[name]).get(TEAM)

    assert response.status_code == 200
    content = response.content.decode()
    for email in ("alice@acme.test", "rita@acme.test", "bob@acme.test", invitation.email):
        assert email in content
    assert "charlie@bravo.test" not in content
    owner_controls = reverse("recruiting:team-invite") in content
    assert owner_controls is (name == "alice")
    if name != "alice":
        assert "Only owners can invite teammates" in content


def test_charlie_sees_only_his_own_team(as_user, personas, invitation):
    content = as_user(personas["charlie"]).get(TEAM).content.decode()
    assert "charlie@bravo.test" in content
    assert "alice@acme.test" not in content
    assert invitation.email not in content


def test_the_team_page_makes_a_fixed_number_of_queries(
    as_user, alice, org_a, django_assert_max_num_queries
):
    for n in range(30):
        user = UserFactory(email=f"member{n}@acme.test", full_name=f"Member {n}")
        Membership.objects.create(user=user, organization=org_a, role="reviewer")
        TeamInvitation.objects.create(
            organization=org_a, email=f"invitee{n}@example.com", invited_by=alice
        )
    TeamInvitation.objects.create(
        organization=org_a, email="old@example.com", expires_at=timezone.now() - timedelta(days=1)
    )
    client = as_user(alice)

    # 1 session, 2 user, 3 member_required's membership + organisation,
    # 4 members with their users, 5 open invitations with who sent them,
    # 6 the navigation's membership (context processor).
    with django_assert_max_num_queries(6):
        response = client.get(TEAM)

    content = response.content.decode()
    assert "member29@acme.test" in content
    assert "invitee29@example.com" in content
    assert "old@example.com" not in content  # expired: not pending any more


# Inviting


def test_alice_invites_a_teammate_and_the_email_carries_the_accept_link(
    as_user, alice, org_a, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://yardstick.example.com"
    client = as_user(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("recruiting:team-invite"),
            {"email": "New.Person@Example.com", "role": "reviewer"},
        )

    assert response.status_code == 302
    assert response.url == TEAM
    invitation = TeamInvitation.objects.get()
    assert invitation.email == "new.person@example.com"
    assert invitation.role == "reviewer"
    assert invitation.invited_by == alice
    assert invitation.organization == org_a
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    link = "https://yardstick.example.com" + invitation.get_absolute_url()
    assert message.to == ["new.person@example.com"]
    assert "Acme Hiring" in message.subject
    assert link in message.body
    assert "Reviewer" in message.body
    assert link in message.alternatives[0][0]
    assert "Invitation sent to new.person@example.com" in _messages(response)[0]


@pytest.mark.parametrize(
    ("email", "message"),
    [("RITA@acme.test", ALREADY_MEMBER), ("NewBie@example.com", ALREADY_INVITED)],
)
def test_inviting_a_member_or_an_invited_email_is_refused(
    as_user, alice, rita, invitation, django_capture_on_commit_callbacks, email, message
):
    before = _state()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(alice).post(
            reverse("recruiting:team-invite"), {"email": email, "role": "recruiter"}
        )

    assert response.status_code == 200
    assert str(message) in response.content.decode()
    assert _state() == before
    assert mail.outbox == []


def test_a_bad_invite_form_shows_errors(as_user, alice):
    response = as_user(alice).post(
        reverse("recruiting:team-invite"), {"email": "not an email", "role": "boss"}
    )
    content = response.content.decode()
    assert "Enter a valid email address" in content
    assert "Select a valid choice" in content
    assert not TeamInvitation.objects.exists()


def test_a_revoked_or_expired_invitation_does_not_block_a_new_one(alice, org_a, invitation):
    invitation.revoked_at = timezone.now()
    invitation.save()
    TeamInvitation.objects.create(
        organization=org_a, email="late@example.com", expires_at=timezone.now()
    )

    team_invite(organization=org_a, email=invitation.email, role="reviewer", invited_by=alice)
    team_invite(organization=org_a, email="late@example.com", role="reviewer", invited_by=alice)

    assert TeamInvitation.objects.filter(revoked_at__isnull=True).count() == 3


def test_alice_revokes_an_invitation_and_its_link_stops_working(as_user, alice, invitation):
    client = as_user(alice)

    response = client.post(reverse("recruiting:team-invitation-revoke", args=[invitation.pk]))

    assert response.url == TEAM
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    client.logout()
    page = client.get(invitation.get_absolute_url())
    assert page.status_code == 410
    assert str(INVITATION_REVOKED) in page.content.decode()


def test_revoking_twice_says_so_and_changes_nothing(as_user, alice, invitation):
    client = as_user(alice)
    url = reverse("recruiting:team-invitation-revoke", args=[invitation.pk])
    client.post(url)
    invitation.refresh_from_db()
    first = invitation.revoked_at

    response = client.post(url)

    assert "no longer pending" in _messages(response)[-1]
    invitation.refresh_from_db()
    assert invitation.revoked_at == first


# Roles and removal


def test_alice_changes_a_members_role(as_user, alice, rita):
    member = _membership(rita)
    response = as_user(alice).post(
        reverse("recruiting:team-member-role", args=[member.pk]), {"role": "reviewer"}
    )
    assert response.url == TEAM
    member.refresh_from_db()
    assert member.role == "reviewer"
    assert "Rita is now a reviewer." in _messages(response)


def test_an_unknown_role_is_refused(as_user, alice, rita):
    member = _membership(rita)
    response = as_user(alice).post(
        reverse("recruiting:team-member-role", args=[member.pk]), {"role": "emperor"}
    )
    assert "Choose one of the roles" in _messages(response)[0]
    member.refresh_from_db()
    assert member.role == "recruiter"


def test_alice_removes_a_member(as_user, alice, bob):
    member = _membership(bob)
    response = as_user(alice).post(reverse("recruiting:team-member-remove", args=[member.pk]))
    assert response.url == TEAM
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert User.objects.filter(pk=bob.pk).exists()
    assert as_user(bob).get(TEAM).url == reverse("recruiting:organization-create")


def test_the_last_owner_cannot_be_demoted_or_removed(as_user, alice, rita):
    client = as_user(alice)
    owner = _membership(alice)
    before = _state()

    demote = client.post(
        reverse("recruiting:team-member-role", args=[owner.pk]), {"role": "recruiter"}
    )
    remove = client.post(reverse("recruiting:team-member-remove", args=[owner.pk]))

    assert _messages(demote) == [str(LAST_OWNER)]
    assert _messages(remove)[-1] == str(LAST_OWNER)
    assert _state() == before
    assert "The last owner" in client.get(TEAM).content.decode()


def test_the_service_enforces_the_last_owner_rule(alice, rita):
    owner = _membership(alice)
    with pytest.raises(AccountError, match="at least one owner"):
        membership_set_role(membership=owner, role="reviewer", by=alice)
    with pytest.raises(AccountError, match="at least one owner"):
        membership_remove(membership=owner, by=alice)
    owner.refresh_from_db()
    assert owner.role == "owner"


def test_with_a_second_owner_alice_can_step_down_and_leave(as_user, alice, rita):
    membership_set_role(membership=_membership(rita), role="owner", by=alice)
    client = as_user(alice)
    owner = _membership(alice)

    client.post(reverse("recruiting:team-member-role", args=[owner.pk]), {"role": "recruiter"})
    owner.refresh_from_db()
    assert owner.role == "recruiter"
    # Now a recruiter, alice can no longer remove anyone; rita (owner) removes her.
    assert client.post(reverse("recruiting:team-member-remove", args=[owner.pk])).status_code == 403
    membership_set_role(membership=owner, role="owner", by=rita)

    response = client.post(reverse("recruiting:team-member-remove", args=[owner.pk]))

    assert response.url == reverse("recruiting:dashboard")
    assert not Membership.objects.filter(user=alice).exists()


# Accepting an invitation


def test_a_new_person_creates_an_account_and_joins(client, invitation, org_a):
    page = client.get(invitation.get_absolute_url())
    assert page.status_code == 200
    assert "Create your account" in page.content.decode()

    response = client.post(
        invitation.get_absolute_url(),
        {"full_name": "Nina Newbie", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.url == reverse("recruiting:dashboard")
    user = User.objects.get(email="newbie@example.com")
    assert user.full_name == "Nina Newbie"
    membership = Membership.objects.get(user=user)
    assert membership.organization == org_a
    assert membership.role == "recruiter"
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[SESSION_KEY] == org_a.pk


def test_a_weak_password_on_the_join_form_creates_nothing(client, invitation):
    response = client.post(
        invitation.get_absolute_url(),
        {"full_name": "Nina", "password1": "newbie123", "password2": "newbie123"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="newbie@example.com").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_someone_with_an_account_is_asked_to_log_in_and_comes_back(client, invitation):
    UserFactory(email="newbie@example.com")
    before = _state()

    page = client.get(invitation.get_absolute_url())
    client.post(invitation.get_absolute_url(), {"full_name": "X", "password1": "a"})

    content = page.content.decode()
    assert "Log in to accept" in content
    login_url = reverse("login") + "?next=" + invitation.get_absolute_url().replace("/", "%2F")
    assert login_url in content
    assert _state() == before


def test_the_invited_user_confirms_and_joins_and_the_session_switches(
    as_user, charlie, org_a, org_b, alice
):
    invitation = TeamInvitation.objects.create(
        organization=org_a, email="Charlie@Bravo.test", role="reviewer", invited_by=alice
    )
    client = as_user(charlie)

    page = client.get(invitation.get_absolute_url())
    assert page.status_code == 200
    assert "Join Acme Hiring" in page.content.decode()
    assert not Membership.objects.filter(user=charlie, organization=org_a).exists()

    response = client.post(invitation.get_absolute_url())

    assert response.url == reverse("recruiting:dashboard")
    membership = Membership.objects.get(user=charlie, organization=org_a)
    assert membership.role == "reviewer"
    assert Membership.objects.filter(user=charlie, organization=org_b).exists()
    assert client.session[SESSION_KEY] == org_a.pk
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert "alice@acme.test" in client.get(TEAM).content.decode()

    replay = client.post(invitation.get_absolute_url())
    assert replay.status_code == 410
    assert "already a member" in replay.content.decode()
    assert Membership.objects.filter(user=charlie).count() == 2


def test_a_different_logged_in_account_is_refused(as_user, rita, invitation):
    client = as_user(rita)
    before = _state()

    page = client.get(invitation.get_absolute_url())
    post = client.post(invitation.get_absolute_url())

    assert page.status_code == 403
    assert post.status_code == 403
    assert "This invitation is for <strong>newbie@example.com</strong>" in page.content.decode()
    assert _state() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, INVITATION_EXPIRED),
        ({"revoked_at": timezone.now()}, INVITATION_REVOKED),
        ({"accepted_at": timezone.now()}, INVITATION_ACCEPTED),
    ],
)
def test_dead_links_say_why_and_change_nothing(client, invitation, change, message):
    TeamInvitation.objects.filter(pk=invitation.pk).update(**change)
    before = (_state(), User.objects.count())

    page = client.get(invitation.get_absolute_url())
    post = client.post(
        invitation.get_absolute_url(),
        {"full_name": "Nina", "password1": PASSWORD, "password2": PASSWORD},
    )

    for response in (page, post):
        assert response.status_code == 410
        assert str(message) in response.content.decode()
    assert (_state(), User.objects.count()) == before


def test_replaying_a_used_link_creates_nothing(client, invitation):
    data = {"full_name": "Nina", "password1": PASSWORD, "password2": PASSWORD}
    client.post(invitation.get_absolute_url(), data)
    before = (_state(), User.objects.count())
    client.logout()

    response = client.post(invitation.get_absolute_url(), data)

    assert response.status_code == 410
    assert (_state(), User.objects.count()) == before


def test_an_unknown_token_is_a_404(client, db):
    assert client.get(reverse("recruiting:team-accept", args=["nope"])).status_code == 404


def test_the_accept_link_is_the_invitations_absolute_url(invitation):
    assert invitation.get_absolute_url() == f"/app/team/join/{invitation.token}/"
    assert re.fullmatch(r"[\w-]{40,}", invitation.token)


def test_the_invitation_email_subject_and_text_are_not_html_escaped(
    alice, org_a, django_capture_on_commit_callbacks
):
    org_a.name = "Smith & Sons"
    org_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        team_invite(organization=org_a, email="x@example.com", role="recruiter", invited_by=alice)

    message = mail.outbox[0]
    assert message.subject == "Alice invited you to join Smith & Sons on Yardstick"
    assert "join Smith & Sons on Yardstick as a Recruiter" in message.body
    assert "Smith &amp; Sons" in message.alternatives[0][0]
