"""Background tasks of the assessments app."""

from django_tasks import task

from .attempts import attempts_finalise_overdue
from .statistics import statistics_recompute


@task()
def finalise_overdue_attempts_task() -> int:
    """Submit attempts past their deadline; idempotent, so safe to run any number of times."""
    return attempts_finalise_overdue()


@task()
def recompute_statistics_task(assessment_id: int | None = None) -> dict[str, int]:
    """Recompute one assessment's statistics and its questions' (all of them without an id).

    Queued by `statistics_schedule` after submissions; recomputing is idempotent.
    """
    return statistics_recompute(assessment_ids=None if assessment_id is None else [assessment_id])
