from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment, Attempt
from assessments.scoring import attempt_score


class Command(BaseCommand):
    help = (
        "Re-grade and re-score submitted attempts (all, or one assessment's). Gives the same "
        "result when run twice; run it after correcting how answers are graded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--assessment", help="An assessment's code (UUID).")

    def handle(self, *args, assessment=None, **options):
        attempts = Attempt.objects.filter(state=Attempt.State.SUBMITTED)
        if assessment:
            if not Assessment.objects.filter(code=assessment).exists():
                raise CommandError(f"No assessment with code {assessment}.")
            attempts = attempts.filter(assessment__code=assessment)
        count = 0
        for attempt in attempts.iterator():
            attempt_score(attempt=attempt)
            count += 1
        self.stdout.write(f"Re-scored {count} attempt(s).")
