import pytest

from roles.services import library_load


@pytest.fixture
def library(db):
    """The shipped role library, loaded as `make run` loads it."""
    return library_load()


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_user(
        email="curator@example.com", password="pw", is_staff=True, is_superuser=True
    )


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def question_bank(library):
    """The shipped question bank on top of the role library."""
    from assessments.services import question_bank_load

    return question_bank_load()


# Personas (STYLE.md): alice owns org A, rita recruits in A, bob reviews in A,
# charlie owns org B. Every recruiter view is tested on this ladder.


def _member(django_user_model, email, organization, role):
    from recruiting.models import Membership

    user = django_user_model.objects.create_user(
        email=email, password="correct horse battery staple", full_name=email.split("@")[0].title()
    )
    Membership.objects.create(user=user, organization=organization, role=role)
    return user


@pytest.fixture
def org_a(db):
    from recruiting.models import Organization

    return Organization.objects.create(name="Acme Hiring", slug="acme")


@pytest.fixture
def org_b(db):
    from recruiting.models import Organization

    return Organization.objects.create(name="Bravo Talent", slug="bravo")


@pytest.fixture
def alice(django_user_model, org_a):
    return _member(django_user_model, "alice@acme.test", org_a, "owner")


@pytest.fixture
def rita(django_user_model, org_a):
    return _member(django_user_model, "rita@acme.test", org_a, "recruiter")


@pytest.fixture
def bob(django_user_model, org_a):
    return _member(django_user_model, "bob@acme.test", org_a, "reviewer")


@pytest.fixture
def charlie(django_user_model, org_b):
    return _member(django_user_model, "charlie@bravo.test", org_b, "owner")


@pytest.fixture
def as_user(client):
    """as_user(alice) -> a test client logged in as alice (None: anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login
