from django.core.management.base import BaseCommand

from recruiting.services.demo import DEMO_STAFF_PASSWORD, demo_staff_ensure


class Command(BaseCommand):
    help = "Create the demo accounts (idempotent) and print how to log in."

    def handle(self, *args, **options):
        account = demo_staff_ensure()
        if account.created:
            self.stdout.write(self.style.SUCCESS("Created the demo staff account."))
        password = account.password or f"{DEMO_STAFF_PASSWORD} (unless you changed it)"
        self.stdout.write(
            "\n  Admin (staff curator): http://127.0.0.1:8000/admin/\n"
            f"    email:    {account.email}\n"
            f"    password: {password}\n"
        )
