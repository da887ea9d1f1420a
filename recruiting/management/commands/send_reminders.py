from django.core.management.base import BaseCommand

from recruiting.services.invitations import invitation_send_reminders


class Command(BaseCommand):
    help = (
        "Email one reminder to each candidate whose invitation was sent or opened, is not "
        "started and expires within the next 48 hours. Idempotent: each invitation is "
        "reminded once, however often this runs (and by however many processes). "
        "Run it periodically, e.g. every 15 minutes from cron: "
        "`*/15 * * * * cd /srv/yardstick && .venv/bin/python manage.py send_reminders`, "
        "or enqueue recruiting.tasks.send_reminders_task for the db_worker."
    )

    def handle(self, *args, **options):
        count = invitation_send_reminders()
        self.stdout.write(f"Sent {count} reminder(s).")
