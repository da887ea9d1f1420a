"""Reminders: one email to each candidate whose unstarted invitation expires within 48 hours."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from recruiting.management.commands.send_reminders import Command
from recruiting.models import Invitation
from recruiting.services import invitations as services
from recruiting.tasks import send_reminders_task
from tests.factories import AssessmentFactory, CandidateFactory, InvitationFactory

Status = Invitation.Status


@pytest.fixture
def assessment(org_a):
    return AssessmentFactory(organization=org_a, title="Senior Backend Engineer")


@pytest.fixture
def invite(assessment, org_a):
    def make(email, *, expires_in, **fields):
        candidate = CandidateFactory(organization=org_a, email=email)
        return InvitationFactory(
            assessment=assessment,
            candidate=candidate,
            expires_at=timezone.now() + expires_in,
            **fields,
        )

    return make


def _run():
    out = StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


def test_it_reminds_sent_and_opened_invitations_expiring_within_48_hours(invite, settings):
    due_sent = invite("sent@example.com", expires_in=timedelta(hours=20), status=Status.SENT)
    invite("opened@example.com", expires_in=timedelta(hours=47), status=Status.OPENED)
    invite("later@example.com", expires_in=timedelta(hours=49), status=Status.SENT)
    invite("gone@example.com", expires_in=-timedelta(minutes=5), status=Status.SENT)
    invite("pending@example.com", expires_in=timedelta(hours=5), status=Status.PENDING)
    invite(
        "started@example.com",
        expires_in=timedelta(hours=5),
        status=Status.STARTED,
        started_at=timezone.now(),
    )
    invite("done@example.com", expires_in=timedelta(hours=5), status=Status.COMPLETED)
    invite("revoked@example.com", expires_in=timedelta(hours=5), status=Status.REVOKED)
    invite(
        "reminded@example.com",
        expires_in=timedelta(hours=5),
        status=Status.SENT,
        reminder_sent_at=timezone.now() - timedelta(hours=1),
    )

    assert "Sent 2 reminder(s)." in _run()

    assert sorted(m.to[0] for m in mail.outbox) == ["opened@example.com", "sent@example.com"]
    message = next(m for m in mail.outbox if m.to == ["sent@example.com"])
    assert "expires soon" in message.subject
    assert f"{settings.SITE_URL}/t/{due_sent.token}/" in message.body
    assert "Acme Hiring" in message.body
    due_sent.refresh_from_db()
    assert due_sent.reminder_sent_at is not None


def test_running_twice_reminds_once(invite):
    invite("ada@example.com", expires_in=timedelta(hours=10), status=Status.SENT)
    _run()
    assert "Sent 0 reminder(s)." in _run()
    assert len(mail.outbox) == 1


def test_the_worker_task_sends_the_same_reminders(invite):
    invite("ada@example.com", expires_in=timedelta(hours=10), status=Status.OPENED)
    result = send_reminders_task.enqueue()
    assert result.return_value == 1
    assert len(mail.outbox) == 1
    assert send_reminders_task.enqueue().return_value == 0


def test_a_failed_delivery_is_retried_on_the_next_run(invite, monkeypatch):
    invitation = invite("ada@example.com", expires_in=timedelta(hours=10), status=Status.SENT)

    def broken(**kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(services, "email_deliver", broken)
    assert services.invitation_send_reminders() == 0
    invitation.refresh_from_db()
    assert invitation.reminder_sent_at is None
    monkeypatch.undo()
    assert services.invitation_send_reminders() == 1
    assert len(mail.outbox) == 1


def test_an_extension_rearms_the_reminder(invite):
    invitation = invite("ada@example.com", expires_in=timedelta(hours=10), status=Status.SENT)
    _run()
    services.invitation_extend(invitation=invitation, days=1)
    _run()  # the new expiry is 34 hours away: a second reminder is due
    assert len(mail.outbox) == 2


def test_the_help_says_how_to_run_it_periodically():
    assert "*/15 * * * *" in Command.help
    assert "send_reminders" in Command.help
