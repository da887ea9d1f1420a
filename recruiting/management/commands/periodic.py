import time

from django.core.management.base import BaseCommand

from assessments.attempts import attempts_finalise_overdue, prepared_draws_discard
from recruiting.emails import tasks_recover_stale
from recruiting.services.invitations import invitation_send_reminders


def run_periodic_jobs() -> dict[str, int]:
    """The housekeeping every install needs; each job is idempotent."""
    return {
        "finalised attempts": attempts_finalise_overdue(),
        "discarded draws of dead links": prepared_draws_discard(),
        "reminders sent": invitation_send_reminders(),
        "re-queued tasks": tasks_recover_stale(),
    }


class Command(BaseCommand):
    help = (
        "Run Yardstick's periodic jobs: submit overdue attempts, send reminders 48 hours "
        "before invitations expire, re-queue tasks a killed worker left running, and "
        "delete the question draws of links that can no longer start. "
        "`make run` keeps it running every minute; in production run it as a service, or "
        "from cron with --once (for example every minute)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the jobs once and exit.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between runs.")

    def handle(self, *args, once=False, interval=60, **options):
        while True:
            done = run_periodic_jobs()
            summary = ", ".join(f"{count} {name}" for name, count in done.items() if count)
            if summary or once:
                self.stdout.write(summary or "Nothing to do.")
            if once:
                return
            time.sleep(max(5, interval))
