"""Background tasks of the assessments app."""

from django_tasks import task

from .attempts import attempts_finalise_overdue


@task()
def finalise_overdue_attempts_task() -> int:
    """Submit attempts past their deadline; idempotent, so safe to run any number of times."""
    return attempts_finalise_overdue()
