from datetime import timedelta

from django.core.management.base import BaseCommand

from recruiting.emails import tasks_recover_stale


class Command(BaseCommand):
    help = (
        "Re-queue background tasks left running by a worker that was killed. Safe to run "
        "from cron every few minutes: every task checks what it already did."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=600, help="Seconds (default 600).")

    def handle(self, *args, older_than, **options):
        count = tasks_recover_stale(older_than=timedelta(seconds=older_than))
        self.stdout.write(f"Re-queued {count} stale task(s).")
