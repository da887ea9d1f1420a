from django.core.management.base import BaseCommand

from assessments.attempts import attempts_finalise_overdue


class Command(BaseCommand):
    help = (
        "Submit every attempt whose deadline (plus the grace period) has passed. "
        "`manage.py periodic` runs it every minute; cron can run it instead."
    )

    def handle(self, *args, **options):
        count = attempts_finalise_overdue()
        self.stdout.write(f"Finalised {count} overdue attempt(s).")
