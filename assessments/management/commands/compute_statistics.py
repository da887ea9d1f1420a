import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from assessments.models import Attempt
from assessments.statistics import (
    assessment_stats_compute,
    question_stats_compute,
    response_shares_store,
)


class Command(BaseCommand):
    help = (
        "Recompute question statistics (facility, discrimination, option use) and assessment "
        "statistics (score distribution, reliability) from every submitted attempt. "
        "Submissions queue a recompute of their assessment on their own; run this after "
        "bulk changes or from cron (for example nightly)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--shares",
            action="store_true",
            help=(
                "First store every response's score and rest-of-test shares again, as scoring "
                "does; for grades changed outside the application."
            ),
        )

    def handle(self, *args, shares=False, **options):
        started = time.monotonic()
        now = timezone.now()
        if shares:
            stored = response_shares_store(Attempt.objects.all())
            self.stdout.write(f"Stored the shares of {stored} response(s).")
        questions = question_stats_compute(now=now)
        assessments = assessment_stats_compute(now=now)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Updated statistics for {questions} question version(s) and "
            f"{assessments} assessment(s) in {elapsed:.2f} s."
        )
