"""Outgoing email: templates rendered to plain text and HTML, sent by a background task.

Each email is two templates, `templates/emails/<name>.txt` and `.html`, plus a
subject line in `<name>_subject.txt`. Only JSON-friendly values go into a
task's context, because the database queue stores them.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus


def email_render(name: str, context: dict) -> tuple[str, str, str]:
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{name}_subject.txt", context).strip()
    text = render_to_string(f"emails/{name}.txt", context)
    html = render_to_string(f"emails/{name}.html", context)
    return " ".join(subject.split()), text, html


def email_deliver(*, to: str, name: str, context: dict) -> None:
    subject, text, html = email_render(name, context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()


@task()
def send_email_task(to: str, name: str, context: dict) -> None:
    """Deliver one templated email (teammate invitations, password resets)."""
    email_deliver(to=to, name=name, context=context)


def tasks_recover_stale(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """Put tasks left RUNNING by a killed worker back in the queue; returns how many.

    django-tasks has no retries of its own. Every Yardstick task is idempotent
    (it checks what was already done before acting), so running one again is safe.
    """
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - older_than
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY, started_at=None)
