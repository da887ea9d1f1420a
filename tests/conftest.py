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
