import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from assessments.statistics import assessment_stats_compute, question_stats_compute


class Command(BaseCommand):
    help = (
        "Recompute question statistics (facility, discrimination, option use) and assessment "
        "statistics (score distribution, reliability) from every submitted attempt. "
        "Submissions queue a recompute of their assessment on their own; run this after "
        "bulk changes or from cron (for example nightly)."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        now = timezone.now()
        questions = question_stats_compute(now=now)
        assessments = assessment_stats_compute(now=now)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Updated statistics for {questions} question version(s) and "
            f"{assessments} assessment(s) in {elapsed:.2f} s."
        )
