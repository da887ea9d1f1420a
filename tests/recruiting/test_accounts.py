"""Sign-up, logging in (and the lockout), passwords, and creating an organisation."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from recruiting.models import Membership, Organization, User
from recruiting.services import accounts as account_services
from recruiting.services.accounts import EMAIL_TAKEN, AccountError, account_signup
from recruiting.tenancy import SESSION_KEY

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a quite different passphrase 42"
SIGNUP = {
    "full_name": "Dana Scully",
    "email": "Dana@Example.COM",
    "organization_name": "Acme Hiring",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def _logged_in_user_id(client):
    return client.session.get("_auth_user_id")


# Sign-up


def test_signup_page_shows_the_form(client, db):
    response = client.get(reverse("signup"))
    assert response.status_code == 200
    content = response.content.decode()
    for label in ("Full name", "Work email", "Organisation name", "Password confirmation"):
        assert label in content


def test_signup_creates_the_user_organisation_and_owner_membership_and_logs_in(client, db):
    response = client.post(reverse("signup"), SIGNUP)

    assert response.status_code == 302
    assert response.url == reverse("recruiting:dashboard")
    user = User.objects.get()
    assert user.email == "dana@example.com"
    assert user.full_name == "Dana Scully"
    assert user.check_password(PASSWORD)
    membership = Membership.objects.get()
    assert membership.user == user
    assert membership.role == Membership.Role.OWNER
    assert membership.organization.name == "Acme Hiring"
    assert membership.organization.slug == "acme-hiring"
    assert _logged_in_user_id(client) == str(user.pk)
    assert client.session[SESSION_KEY] == membership.organization_id
    assert client.get(reverse("recruiting:dashboard")).status_code == 200


def test_signup_makes_the_organisation_slug_unique(client, org_a):
    # org_a is "Acme Hiring" with slug "acme"; take the next natural slug too.
    Organization.objects.create(name="Acme Hiring", slug="acme-hiring")

    client.post(reverse("signup"), SIGNUP)

    assert Organization.objects.filter(slug="acme-hiring-2").exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("83749201734", "entirely numeric"),
        ("dana@example.com", "too similar"),
    ],
)
def test_signup_rejects_weak_passwords_and_creates_nothing(client, db, password, message):
    data = {**SIGNUP, "password1": password, "password2": password}

    response = client.post(reverse("signup"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert not Organization.objects.exists()
    assert _logged_in_user_id(client) is None


def test_signup_rejects_passwords_that_do_not_match(client, db):
    response = client.post(reverse("signup"), {**SIGNUP, "password2": PASSWORD + "!"})

    assert "didn’t match" in response.content.decode()
    assert not User.objects.exists()


def test_signup_rejects_an_email_taken_in_another_capitalisation(client, alice):
    before = (User.objects.count(), Organization.objects.count(), Membership.objects.count())

    response = client.post(reverse("signup"), {**SIGNUP, "email": "ALICE@Acme.Test"})

    assert response.status_code == 200
    assert str(EMAIL_TAKEN) in response.content.decode()
    after = (User.objects.count(), Organization.objects.count(), Membership.objects.count())
    assert after == before
    assert _logged_in_user_id(client) is None


def test_the_signup_service_refuses_a_taken_email_and_rolls_back(alice):
    with pytest.raises(AccountError) as error:
        account_signup(
            full_name="Alice Again",
            email=" Alice@ACME.test ",
            password=PASSWORD,
            organization_name="Another",
        )
    assert str(error.value) == str(EMAIL_TAKEN)
    assert not Organization.objects.filter(name="Another").exists()


def test_signup_sends_logged_in_users_to_the_dashboard(as_user, alice):
    response = as_user(alice).get(reverse("signup"))
    assert response.status_code == 302
    assert response.url == reverse("recruiting:dashboard")


def test_signup_follows_a_safe_next_and_ignores_another_host(client, db):
    team = reverse("recruiting:team")
    response = client.post(reverse("signup") + f"?next={team}", SIGNUP)
    assert response.url == team

    client.logout()
    data = {**SIGNUP, "email": "fox@example.com", "next": "https://evil.example/steal"}
    response = client.post(reverse("signup"), data)
    assert response.url == reverse("recruiting:dashboard")


# Log in, lockout


def test_the_login_field_is_labelled_email_and_any_capitalisation_logs_in(client, alice):
    page = client.get(reverse("login")).content.decode()
    assert re.search(r'<label\s+for="id_username"[^>]*>\s*Email<', page)

    response = client.post(reverse("login"), {"username": "ALICE@acme.test", "password": PASSWORD})

    assert response.status_code == 302
    assert _logged_in_user_id(client) == str(alice.pk)


def test_a_wrong_password_shows_an_error_and_logs_nobody_in(client, alice):
    response = client.post(reverse("login"), {"username": alice.email, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()
    assert _logged_in_user_id(client) is None


def _lock_out(client, email):
    for _ in range(5):
        client.post(reverse("login"), {"username": email, "password": "wrong password"})


def test_five_failures_lock_the_email_out_even_with_the_right_password(client, alice):
    _lock_out(client, alice.email)

    response = client.post(reverse("login"), {"username": alice.email, "password": PASSWORD})

    # django-axes answers a locked-out pair with 429 Too Many Requests.
    assert response.status_code == 429
    content = response.content.decode()
    assert "Too many failed log-in attempts" in content
    assert "try again in 15 minutes" in content
    assert reverse("password_reset") in content
    assert _logged_in_user_id(client) is None


# Password change


def test_password_change_needs_a_login(client, db):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_member_changes_their_password(as_user, alice):
    client = as_user(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert "Your password was changed" in client.get(response.url).content.decode()


def test_password_change_refuses_a_wrong_current_password(as_user, alice):
    client = as_user(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "old password was entered incorrectly" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


# Password reset


def _request_reset(client, email, capture):
    with capture(execute=True):
        return client.post(reverse("password_reset"), {"email": email})


def test_password_reset_emails_a_working_link(
    client, alice, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://yardstick.example.com"

    response = _request_reset(client, "Alice@Acme.test", django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [alice.email]
    assert message.subject == "Reset your Yardstick password"
    link = re.search(r"https://yardstick\.example\.com(/accounts/reset/\S+/)", message.body)
    assert link, message.body
    assert link.group(0) in message.alternatives[0][0]

    page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in page.content.decode()
    set_password_url = page.redirect_chain[-1][0]
    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.url == reverse("password_reset_complete")

    login = client.post(reverse("login"), {"username": alice.email, "password": NEW_PASSWORD})
    assert login.status_code == 302
    assert _logged_in_user_id(client) == str(alice.pk)
    # The link works once.
    client.logout()
    again = client.get(link.group(1), follow=True)
    assert "This reset link no longer works" in again.content.decode()


def test_password_reset_goes_through_the_task_queue_with_plain_strings(
    client, alice, django_capture_on_commit_callbacks, monkeypatch
):
    calls = []

    class FakeTask:
        @staticmethod
        def enqueue(**kwargs):
            calls.append(kwargs)

    monkeypatch.setattr("recruiting.forms.accounts.send_email_task", FakeTask)

    _request_reset(client, alice.email, django_capture_on_commit_callbacks)

    assert len(calls) == 1
    assert calls[0]["to"] == alice.email
    assert calls[0]["name"] == "password_reset"
    assert all(type(value) is str for value in calls[0]["context"].values())
    assert mail.outbox == []  # the fake queue delivered nothing itself


def test_an_unknown_email_gets_the_same_page_and_no_email(
    client, alice, django_capture_on_commit_callbacks
):
    response = _request_reset(client, "nobody@example.com", django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert "Check your email" in client.get(response.url).content.decode()
    assert mail.outbox == []


def test_resetting_the_password_lifts_a_lockout(client, alice, django_capture_on_commit_callbacks):
    _lock_out(client, alice.email)
    _request_reset(client, alice.email, django_capture_on_commit_callbacks)
    path = re.search(r"/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    page = client.get(path, follow=True)
    client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    response = client.post(reverse("login"), {"username": alice.email, "password": NEW_PASSWORD})

    assert response.status_code == 302
    assert _logged_in_user_id(client) == str(alice.pk)


def test_account_unlock_counts_cleared_attempts(client, alice):
    client.post(reverse("login"), {"username": alice.email, "password": "wrong"})
    assert account_services.account_unlock(email="ALICE@acme.test") >= 1


# Organisation for a user without one


@pytest.fixture
def loner(django_user_model):
    return django_user_model.objects.create_user(
        email="curator@example.com", password=PASSWORD, is_staff=True
    )


def test_creating_an_organisation_needs_a_login(client, db):
    response = client.get(reverse("recruiting:organization-create"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_user_without_an_organisation_is_sent_to_create_one(as_user, loner):
    response = as_user(loner).get(reverse("recruiting:dashboard"))
    assert response.status_code == 302
    assert response.url == reverse("recruiting:organization-create")
    page = as_user(loner).get(response.url)
    assert page.status_code == 200
    assert "not part of a hiring team yet" in page.content.decode()


def test_a_user_without_an_organisation_creates_one_and_owns_it(as_user, loner, org_a):
    client = as_user(loner)

    response = client.post(reverse("recruiting:organization-create"), {"name": "Acme"})

    assert response.url == reverse("recruiting:dashboard")
    membership = Membership.objects.get(user=loner)
    assert membership.role == Membership.Role.OWNER
    assert membership.organization.name == "Acme"
    assert membership.organization.slug == "acme-2"  # org_a already holds "acme"
    assert client.session[SESSION_KEY] == membership.organization_id
    assert client.get(reverse("recruiting:team")).status_code == 200


def test_an_organisation_needs_a_name(as_user, loner):
    response = as_user(loner).post(reverse("recruiting:organization-create"), {"name": "   "})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Organization.objects.exists()
