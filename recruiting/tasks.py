"""Background tasks of the recruiting app (run by `manage.py db_worker`).

Tasks take ids and numbers, never model instances: the database queue stores
their arguments as JSON. Each one is safe to run twice (a replay, or a task
re-queued by `recover_tasks`): the service it calls checks what was already done.
"""

from django_tasks import task

from recruiting.services.invitations import invitation_deliver, invitation_send_reminders


@task()
def send_invitation_task(invitation_id: int, send_number: int) -> bool:
    """Deliver send number `send_number` of an invitation's email unless it already went."""
    return invitation_deliver(invitation_id=invitation_id, send_number=send_number)


@task()
def send_reminders_task() -> int:
    """Remind candidates whose invitation expires within 48 hours (see `send_reminders`)."""
    return invitation_send_reminders()
