"""Invitations: the services, the sending task, and the recruiter's pages and actions."""

import secrets
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import Section
from recruiting.models import Candidate, Invitation, Stage, new_token
from recruiting.services import invitations as services
from recruiting.tasks import send_invitation_task
from tests.factories import AssessmentFactory, CandidateFactory, InvitationFactory, SkillFactory

Status = Invitation.Status


@pytest.fixture
def assessment(org_a):
    assessment = AssessmentFactory(
        organization=org_a, title="Senior Backend Engineer", time_limit_minutes=30
    )
    Section.objects.create(assessment=assessment, skill=SkillFactory(), question_count=4)
    return assessment


@pytest.fixture
def ada(org_a):
    return CandidateFactory(organization=org_a, name="Ada Lovelace", email="ada@example.com")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs the on-commit hooks (the task queue) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _create_url(assessment):
    return f"{reverse('recruiting:invitation-create')}?assessment={assessment.code}"


def _list_url(assessment):
    return f"{reverse('recruiting:invitation-list')}?assessment={assessment.code}"


def _is_login_redirect(response):
    return response.status_code == 302 and response.url.startswith(reverse("login"))


# --- services ---------------------------------------------------------------------------


def test_creating_an_invitation_emails_the_private_link_through_the_task(
    assessment, ada, alice, committed, settings
):
    with committed():
        invitation = services.invitation_create(
            assessment=assessment,
            candidate=ada,
            expires_in_days=7,
            extra_time_percent=50,
            by=alice,
        )
    invitation.refresh_from_db()
    assert invitation.status == Status.SENT
    assert (invitation.send_count, invitation.delivered_count) == (1, 1)
    assert invitation.sent_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.com"]
    assert "Acme Hiring" in message.subject
    assert "Senior Backend Engineer" in message.subject
    link = f"{settings.SITE_URL}/t/{invitation.token}/"
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert link in body
        assert "45 minutes" in body  # 30 minutes + 50 %
        assert "Acme Hiring" in body
    ada.refresh_from_db()
    assert ada.stage == Stage.INVITED


def test_nothing_is_emailed_before_the_transaction_commits(assessment, ada, alice):
    services.invitation_create(
        assessment=assessment, candidate=ada, expires_in_days=7, extra_time_percent=0, by=alice
    )
    assert mail.outbox == []


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_it_refuses_an_assessment_that_is_not_published(assessment, ada, alice, status):
    assessment.status = status
    assessment.save()
    with pytest.raises(services.InvitationError, match="Only a published assessment"):
        services.invitation_create(
            assessment=assessment, candidate=ada, expires_in_days=7, extra_time_percent=0, by=alice
        )
    assert not Invitation.objects.exists()
    ada.refresh_from_db()
    assert ada.stage == Stage.NEW


def test_it_refuses_a_second_live_invitation_for_the_same_candidate(assessment, ada, alice):
    services.invitation_create(
        assessment=assessment, candidate=ada, expires_in_days=7, extra_time_percent=0, by=alice
    )
    with pytest.raises(services.InvitationError, match="already has an invitation"):
        services.invitation_create(
            assessment=assessment, candidate=ada, expires_in_days=7, extra_time_percent=0, by=alice
        )
    assert Invitation.objects.count() == 1


def test_the_database_backs_one_live_invitation_per_candidate_and_assessment(assessment, ada):
    InvitationFactory(assessment=assessment, candidate=ada)
    with pytest.raises(IntegrityError), transaction.atomic():
        InvitationFactory(assessment=assessment, candidate=ada)


def test_a_revoked_invitation_can_be_replaced(assessment, ada, alice):
    first = InvitationFactory(assessment=assessment, candidate=ada)
    services.invitation_revoke(invitation=first, by=alice)
    second = services.invitation_create(
        assessment=assessment, candidate=ada, expires_in_days=7, extra_time_percent=0, by=alice
    )
    assert second.pk != first.pk


def test_it_refuses_another_organisations_candidate(assessment, org_b, alice):
    stranger = CandidateFactory(organization=org_b)
    with pytest.raises(services.InvitationError, match="another organisation"):
        services.invitation_create(
            assessment=assessment, candidate=stranger, expires_in_days=7, extra_time_percent=0
        )
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(("days", "extra"), [(0, 0), (61, 0), (7, 30)])
def test_it_refuses_an_expiry_or_accommodation_out_of_range(assessment, ada, days, extra):
    with pytest.raises(services.InvitationError):
        services.invitation_create(
            assessment=assessment, candidate=ada, expires_in_days=days, extra_time_percent=extra
        )
    assert not Invitation.objects.exists()


def test_the_invitation_token_has_at_least_128_bits_of_randomness(assessment, ada):
    invitation = InvitationFactory(assessment=assessment, candidate=ada)
    # token_urlsafe(32): 32 random bytes (256 bits), 43 URL-safe characters.
    assert len(invitation.token) == len(secrets.token_urlsafe(32)) == 43
    assert len(invitation.token) * 6 >= 128
    assert len({new_token() for _ in range(500)}) == 500


def test_time_allowed_rounds_the_accommodation_up_to_the_minute():
    assert services.minutes_allowed(time_limit_minutes=25, extra_time_percent=25) == 32
    assert services.minutes_allowed(time_limit_minutes=30, extra_time_percent=100) == 60
    assert services.minutes_allowed(time_limit_minutes=45, extra_time_percent=0) == 45


# --- the sending task -------------------------------------------------------------------


def test_a_replayed_task_does_not_send_again(assessment, ada, committed):
    with committed():
        invitation = services.invitation_create(
            assessment=assessment, candidate=ada, expires_in_days=7, extra_time_percent=0
        )
    assert len(mail.outbox) == 1
    send_invitation_task.enqueue(invitation.pk, 1)
    send_invitation_task.call(invitation.pk, 1)
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.delivered_count == 1


def test_two_resends_send_two_emails_and_a_late_older_task_sends_none(assessment, ada):
    invitation = InvitationFactory(assessment=assessment, candidate=ada)
    services.invitation_send(invitation=invitation)  # send 1, its task not run yet
    services.invitation_send(invitation=invitation)  # send 2
    assert send_invitation_task.call(invitation.pk, 2) is True
    assert send_invitation_task.call(invitation.pk, 1) is False  # overtaken: already covered
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert (invitation.send_count, invitation.delivered_count) == (2, 2)


@pytest.mark.parametrize("change", ["revoke", "expire", "complete"])
def test_a_recovered_task_sends_nothing_for_a_dead_invitation(assessment, ada, change):
    invitation = InvitationFactory(assessment=assessment, candidate=ada)
    services.invitation_send(invitation=invitation)
    if change == "revoke":
        services.invitation_revoke(invitation=invitation)
    elif change == "expire":
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    else:
        Invitation.objects.filter(pk=invitation.pk).update(status=Status.COMPLETED)
    assert send_invitation_task.call(invitation.pk, 1) is False
    assert mail.outbox == []


def test_a_task_for_a_deleted_invitation_does_nothing(db):
    assert send_invitation_task.call(987654, 1) is False


# --- invite page: persona ladder ----------------------------------------------------------


def test_invite_page_sends_anonymous_visitors_to_log_in(as_user, assessment):
    client = as_user(None)
    assert _is_login_redirect(client.get(_create_url(assessment)))
    assert _is_login_redirect(client.post(_create_url(assessment), {}))


@pytest.mark.parametrize("method", ["get", "post"])
def test_invite_page_is_a_404_for_another_organisation(as_user, charlie, assessment, method):
    response = getattr(as_user(charlie), method)(_create_url(assessment), {})
    assert response.status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_reviewers_cannot_invite(as_user, bob, assessment, ada, method):
    data = {"candidates": [ada.code], "expires_in_days": 7, "extra_time_percent": 0}
    response = getattr(as_user(bob), method)(_create_url(assessment), data)
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_a_malformed_assessment_code_is_a_404(as_user, alice):
    url = f"{reverse('recruiting:invitation-create')}?assessment=not-a-uuid"
    assert as_user(alice).get(url).status_code == 404


def test_without_an_assessment_the_invite_page_offers_published_ones(as_user, alice, org_a):
    AssessmentFactory(organization=org_a, title="Published one")
    AssessmentFactory(organization=org_a, title="Still a draft", status="draft")
    response = as_user(alice).get(reverse("recruiting:invitation-create"))
    assert response.status_code == 200
    assert "Published one" in response.text
    assert "Still a draft" not in response.text


def test_the_invite_form_lists_candidates_and_marks_those_already_invited(
    as_user, alice, assessment, ada, org_a
):
    grace = CandidateFactory(organization=org_a, name="Grace Hopper")
    InvitationFactory(assessment=assessment, candidate=grace)
    response = as_user(alice).get(_create_url(assessment))
    assert response.status_code == 200
    assert "Ada Lovelace" in response.text
    assert "Already invited" in response.text
    searched = as_user(alice).get(_create_url(assessment) + "&q=grace")
    assert "Grace Hopper" in searched.text
    assert "Ada Lovelace" not in searched.text


def test_a_draft_assessment_says_to_publish_first_and_takes_no_invitations(
    as_user, rita, assessment, ada
):
    assessment.status = "draft"
    assessment.save()
    client = as_user(rita)
    page = client.get(_create_url(assessment))
    assert "Publish it before you invite" in page.text
    client.post(
        _create_url(assessment),
        {"candidates": [ada.code], "expires_in_days": 7, "extra_time_percent": 0},
    )
    assert not Invitation.objects.exists()


def test_inviting_existing_and_new_people_reports_who_was_invited_and_who_skipped(
    as_user, rita, assessment, ada, org_a, committed
):
    grace = CandidateFactory(organization=org_a, name="Grace Hopper", email="grace@example.com")
    InvitationFactory(assessment=assessment, candidate=grace)
    with committed():
        response = as_user(rita).post(
            _create_url(assessment),
            {
                "candidates": [ada.code, grace.code],
                "new_people": "Linus Torvalds <linus@example.com>\n\nADA@example.com\n",
                "expires_in_days": 10,
                "extra_time_percent": 25,
            },
            follow=True,
        )
    assert response.redirect_chain[-1][0] == _list_url(assessment)
    text = response.text
    assert "Invited 2 candidates" in text
    assert "Skipped Grace Hopper" in text
    assert "already has an invitation" in text
    linus = Candidate.objects.get(email="linus@example.com")
    assert linus.organization == org_a
    assert linus.created_by == rita
    assert Candidate.objects.filter(email__iexact="ada@example.com").count() == 1
    invited = Invitation.objects.filter(assessment=assessment).exclude(candidate=grace)
    assert {i.candidate_id for i in invited} == {ada.pk, linus.pk}
    for invitation in invited:
        assert invitation.extra_time_percent == 25
        assert invitation.created_by == rita
        delta = invitation.expires_at - invitation.created_at
        assert timedelta(days=9, hours=23) < delta < timedelta(days=10, hours=1)
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.com", "linus@example.com"]


def test_a_new_person_whose_email_exists_elsewhere_is_not_merged_across_organisations(
    as_user, alice, assessment, org_b
):
    CandidateFactory(organization=org_b, email="shared@example.com")
    as_user(alice).post(
        _create_url(assessment),
        {"new_people": "Sam <shared@example.com>", "expires_in_days": 7, "extra_time_percent": 0},
    )
    assert Candidate.objects.filter(email="shared@example.com").count() == 2
    assert Invitation.objects.get().candidate.organization == assessment.organization


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"new_people": "Ada <ada@example.com>\nnot a person"}, "Line 2: “not a person”"),
        ({"new_people": "Bad <nope@>"}, "Line 1: “nope@” is not a valid email"),
        ({"new_people": "x" * 201 + " <long@example.com>"}, "Line 1: the name or the email"),
        ({}, "Choose at least one candidate"),
        ({"new_people": "x@example.com", "expires_in_days": 61}, "less than or equal to 60"),
        ({"new_people": "x@example.com", "expires_in_days": 0}, "greater than or equal to 1"),
        ({"new_people": "x@example.com", "extra_time_percent": 30}, "Select a valid choice"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(as_user, alice, assessment, data, error):
    data = {"expires_in_days": 7, "extra_time_percent": 0, **data}
    response = as_user(alice).post(_create_url(assessment), data)
    assert response.status_code == 400
    assert error in response.text
    assert not Invitation.objects.exists()
    assert not Candidate.objects.exists()
    assert mail.outbox == []


def test_another_organisations_candidate_code_is_refused(as_user, alice, assessment, org_b):
    stranger = CandidateFactory(organization=org_b)
    response = as_user(alice).post(
        _create_url(assessment),
        {"candidates": [stranger.code], "expires_in_days": 7, "extra_time_percent": 0},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert not Invitation.objects.exists()


# --- invitation list ----------------------------------------------------------------------


def test_invitation_list_sends_anonymous_visitors_to_log_in(as_user, assessment):
    assert _is_login_redirect(as_user(None).get(_list_url(assessment)))


def test_invitation_list_is_a_404_for_another_organisation(as_user, charlie, assessment, ada):
    InvitationFactory(assessment=assessment, candidate=ada)
    assert as_user(charlie).get(_list_url(assessment)).status_code == 404
    everything = as_user(charlie).get(reverse("recruiting:invitation-list"))
    assert everything.status_code == 200
    assert "Ada Lovelace" not in everything.text


def test_reviewers_see_the_list_but_no_links_and_no_actions(as_user, bob, assessment, ada):
    invitation = InvitationFactory(assessment=assessment, candidate=ada, status=Status.SENT)
    response = as_user(bob).get(_list_url(assessment))
    assert response.status_code == 200
    assert "Ada Lovelace" in response.text
    assert invitation.token not in response.text
    assert "Copy link" not in response.text
    assert reverse("recruiting:invitation-revoke", args=[invitation.code]) not in response.text
    assert "Invite candidates" not in response.text


def test_writers_see_status_expiry_and_a_copy_link_button(as_user, rita, assessment, ada, settings):
    invitation = InvitationFactory(assessment=assessment, candidate=ada, status=Status.OPENED)
    expired = InvitationFactory(
        assessment=assessment,
        status=Status.SENT,
        expires_at=timezone.now() - timedelta(days=1),
    )
    response = as_user(rita).get(_list_url(assessment))
    assert response.status_code == 200
    text = response.text
    assert f'value="{settings.SITE_URL}/t/{invitation.token}/"' in text
    assert 'data-copy-target="link-' in text
    assert 'aria-live="polite"' in text
    assert "Link copied" in text
    assert "js/copy-link.js" in text
    assert "Opened" in text
    assert "Expired" in text
    assert expired.token not in text  # a dead link is not offered for copying


def test_the_list_filters_by_what_the_candidate_sees(as_user, alice, assessment, org_a):
    InvitationFactory(
        assessment=assessment,
        candidate=CandidateFactory(organization=org_a, name="Late Larry"),
        status=Status.SENT,
        expires_at=timezone.now() - timedelta(hours=1),
    )
    InvitationFactory(
        assessment=assessment,
        candidate=CandidateFactory(organization=org_a, name="Waiting Wendy"),
        status=Status.SENT,
    )
    expired = as_user(alice).get(_list_url(assessment) + "&status=expired")
    assert "Late Larry" in expired.text
    assert "Waiting Wendy" not in expired.text
    waiting = as_user(alice).get(_list_url(assessment) + "&status=waiting")
    assert "Waiting Wendy" in waiting.text
    assert "Late Larry" not in waiting.text


def test_the_list_shows_the_public_link_when_it_is_on(as_user, alice, assessment):
    assessment.public_link_enabled = True
    assessment.save()
    response = as_user(alice).get(_list_url(assessment))
    assert f"/t/a/{assessment.public_token}/" in response.text


def test_the_list_issues_a_fixed_number_of_queries(
    as_user, alice, assessment, org_a, django_assert_max_num_queries
):
    client = as_user(alice)
    for status in (Status.SENT, Status.OPENED, Status.REVOKED, Status.COMPLETED):
        InvitationFactory.create_batch(50, assessment=assessment, status=status)
    # 1 session, 2 user, 3 membership (member_required), 4 assessment (tenancy helper),
    # 5 status counts (one aggregate), 6 paginator count, 7 membership again (navigation
    # context processor), 8 the page of invitations with candidate and assessment joined.
    with django_assert_max_num_queries(8):
        response = client.get(_list_url(assessment))
    assert response.status_code == 200
    assert response.text.count("<tr>") == 101  # header + a page of 100
    with django_assert_max_num_queries(8):
        second = client.get(_list_url(assessment) + "&page=2")
    assert second.text.count("<tr>") == 101
    # Every invitation of the organisation (no assessment): one query fewer.
    with django_assert_max_num_queries(7):
        client.get(reverse("recruiting:invitation-list"))


# --- recruiter actions: resend, extend, revoke -------------------------------------------

ACTIONS = ["invitation-resend", "invitation-extend", "invitation-revoke"]


@pytest.fixture
def sent(assessment, ada):
    return InvitationFactory(
        assessment=assessment, candidate=ada, status=Status.SENT, send_count=1, delivered_count=1
    )


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_send_anonymous_visitors_to_log_in(as_user, sent, action):
    url = reverse(f"recruiting:{action}", args=[sent.code])
    assert _is_login_redirect(as_user(None).post(url, {"days": 3}))


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("action", ACTIONS)
def test_actions_are_a_404_for_another_organisation(as_user, charlie, sent, action, method):
    url = reverse(f"recruiting:{action}", args=[sent.code])
    response = getattr(as_user(charlie), method)(url, {"days": 3})
    assert response.status_code == 404
    sent.refresh_from_db()
    assert sent.status == Status.SENT


@pytest.mark.parametrize("action", ACTIONS)
def test_reviewers_cannot_act_on_invitations(as_user, bob, sent, action):
    before = Invitation.objects.values().get(pk=sent.pk)
    response = as_user(bob).post(reverse(f"recruiting:{action}", args=[sent.code]), {"days": 3})
    assert response.status_code == 403
    assert Invitation.objects.values().get(pk=sent.pk) == before
    assert mail.outbox == []


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_need_a_post(as_user, alice, sent, action):
    response = as_user(alice).get(reverse(f"recruiting:{action}", args=[sent.code]))
    assert response.status_code == 405


def test_resend_sends_the_same_link_again(as_user, rita, sent, committed, assessment):
    with committed():
        response = as_user(rita).post(
            reverse("recruiting:invitation-resend", args=[sent.code]),
            {"next": _list_url(assessment) + "&status=waiting"},
        )
    assert response.status_code == 302
    assert response.url == _list_url(assessment) + "&status=waiting"
    sent.refresh_from_db()
    assert (sent.send_count, sent.delivered_count) == (2, 2)
    assert len(mail.outbox) == 1
    assert sent.token in mail.outbox[0].body


def test_actions_ignore_a_next_that_leaves_the_list(as_user, rita, sent, assessment):
    response = as_user(rita).post(
        reverse("recruiting:invitation-resend", args=[sent.code]),
        {"next": "https://evil.example/"},
    )
    assert response.url == _list_url(assessment)


@pytest.mark.parametrize("status", [Status.REVOKED, Status.COMPLETED, Status.STARTED])
def test_resend_is_refused_once_the_candidate_cannot_use_the_link(
    as_user, alice, assessment, ada, status, committed
):
    invitation = InvitationFactory(assessment=assessment, candidate=ada, status=status)
    with committed():
        response = as_user(alice).post(
            reverse("recruiting:invitation-resend", args=[invitation.code]), follow=True
        )
    assert "can be resent" in response.text
    assert mail.outbox == []
    invitation.refresh_from_db()
    assert invitation.send_count == 0


def test_resend_of_an_expired_invitation_asks_to_extend_it(as_user, alice, sent, committed):
    Invitation.objects.filter(pk=sent.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    with committed():
        response = as_user(alice).post(
            reverse("recruiting:invitation-resend", args=[sent.code]), follow=True
        )
    assert "extend it" in response.text
    assert mail.outbox == []


def test_extend_pushes_the_expiry_back(as_user, alice, sent):
    before = sent.expires_at
    response = as_user(alice).post(
        reverse("recruiting:invitation-extend", args=[sent.code]), {"days": 3}, follow=True
    )
    assert "now expires on" in response.text
    sent.refresh_from_db()
    assert sent.expires_at == before + timedelta(days=3)


def test_extend_revives_an_expired_unstarted_invitation(as_user, alice, sent):
    Invitation.objects.filter(pk=sent.pk).update(expires_at=timezone.now() - timedelta(days=2))
    sent.refresh_from_db()
    assert sent.effective_status == Status.EXPIRED
    as_user(alice).post(reverse("recruiting:invitation-extend", args=[sent.code]), {"days": 2})
    sent.refresh_from_db()
    assert sent.effective_status == Status.SENT
    assert sent.expires_at > timezone.now() + timedelta(days=1, hours=23)


def test_extend_revives_a_stored_expired_status(assessment, ada):
    invitation = InvitationFactory(
        assessment=assessment,
        candidate=ada,
        status=Status.EXPIRED,
        opened_at=timezone.now() - timedelta(days=9),
        expires_at=timezone.now() - timedelta(days=1),
        reminder_sent_at=timezone.now() - timedelta(days=2),
    )
    services.invitation_extend(invitation=invitation, days=5)
    invitation.refresh_from_db()
    assert invitation.status == Status.OPENED
    assert invitation.reminder_sent_at is None  # a reminder goes again before the new expiry


@pytest.mark.parametrize("days", ["0", "61", "soon", ""])
def test_extend_refuses_a_bad_number_of_days(as_user, alice, sent, days):
    before = sent.expires_at
    response = as_user(alice).post(
        reverse("recruiting:invitation-extend", args=[sent.code]), {"days": days}, follow=True
    )
    assert "alert-danger" in response.text
    sent.refresh_from_db()
    assert sent.expires_at == before


@pytest.mark.parametrize("status", [Status.STARTED, Status.COMPLETED, Status.REVOKED])
def test_extend_is_refused_once_started_or_closed(as_user, alice, assessment, ada, status):
    invitation = InvitationFactory(assessment=assessment, candidate=ada, status=status)
    before = invitation.expires_at
    response = as_user(alice).post(
        reverse("recruiting:invitation-extend", args=[invitation.code]), {"days": 3}, follow=True
    )
    assert "can be extended" in response.text
    invitation.refresh_from_db()
    assert invitation.expires_at == before


def test_revoke_closes_the_link(as_user, alice, sent, client):
    response = as_user(alice).post(
        reverse("recruiting:invitation-revoke", args=[sent.code]), follow=True
    )
    assert "revoked" in response.text
    sent.refresh_from_db()
    assert sent.status == Status.REVOKED
    assert sent.revoked_at is not None
    client.logout()
    landing = client.get(sent.get_absolute_url())
    assert landing.status_code == 410
    assert "no longer valid" in landing.text


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.REVOKED])
def test_revoke_is_refused_for_a_submitted_or_revoked_invitation(
    as_user, alice, assessment, ada, status
):
    invitation = InvitationFactory(assessment=assessment, candidate=ada, status=status)
    response = as_user(alice).post(
        reverse("recruiting:invitation-revoke", args=[invitation.code]), follow=True
    )
    assert "nothing to revoke" in response.text
    invitation.refresh_from_db()
    assert invitation.status == status
    assert invitation.revoked_at is None
