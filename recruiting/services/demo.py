"""Writes for accounts and organisations."""

from dataclasses import dataclass

from django.db import transaction

from .models import User

DEMO_STAFF_EMAIL = "admin@example.com"
DEMO_STAFF_PASSWORD = "yardstick-demo"


@dataclass
class DemoAccount:
    email: str
    password: str | None  # None when the account already existed: we never reset it.
    created: bool


@transaction.atomic
def demo_staff_ensure() -> DemoAccount:
    """Create the demo curator account for /admin/ unless it exists.

    An existing account is left alone, so a password someone changed on a
    running demo is never reset behind their back.
    """
    user = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    if user is not None:
        return DemoAccount(email=user.email, password=None, created=False)
    User.objects.create_superuser(
        email=DEMO_STAFF_EMAIL, password=DEMO_STAFF_PASSWORD, full_name="Demo Curator"
    )
    return DemoAccount(email=DEMO_STAFF_EMAIL, password=DEMO_STAFF_PASSWORD, created=True)
