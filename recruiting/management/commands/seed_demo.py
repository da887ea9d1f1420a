from django.core.management.base import BaseCommand

from recruiting.services.demo import (
    DEMO_RECRUITER_EMAIL,
    DEMO_REVIEWER_EMAIL,
    DEMO_STAFF_PASSWORD,
    demo_organization_ensure,
    demo_staff_ensure,
)


class Command(BaseCommand):
    help = (
        "Create the demo accounts and the demo organisation (idempotent: an existing demo "
        "is left alone) and print how to log in."
    )

    def handle(self, *args, **options):
        account = demo_staff_ensure()
        if account.created:
            self.stdout.write(self.style.SUCCESS("Created the demo staff account."))
        if demo_organization_ensure():
            self.stdout.write(self.style.SUCCESS("Created the demo organisation."))
        password = account.password or f"{DEMO_STAFF_PASSWORD} (unless you changed it)"
        self.stdout.write(
            "\n  Admin (staff curator): http://127.0.0.1:8000/admin/\n"
            f"    email:    {account.email}\n"
            f"    password: {password}\n"
            "\n  Recruiter workspace (Demo Hiring Co): http://127.0.0.1:8000/app/\n"
            f"    owner:    {DEMO_RECRUITER_EMAIL}\n"
            f"    reviewer: {DEMO_REVIEWER_EMAIL}\n"
            f"    password: {password}\n"
        )
