"""Taking an assessment: the question page, autosave, flags, SQL runs, integrity signals.

Every URL carries the invitation's token, and every lookup goes through it,
so a token opens one attempt and nothing else. The JSON endpoints are the
hot path: autosave is two queries (the item with its attempt, then one
conditional UPDATE).
"""

import json
from datetime import UTC, datetime

from axes.helpers import get_client_ip_address
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from recruiting.ratelimit import over_limit

from . import attempts
from .grading.sandbox import run_query
from .models import Attempt, AttemptQuestion, Question

SQL_RUNS_PER_MINUTE = 10
EVENTS_PER_MINUTE = 60
MAX_BODY_BYTES = 64 * 1024


def client_ip(request) -> str | None:
    # The same address django-axes sees (it honours PROXY_COUNT behind a proxy).
    return get_client_ip_address(request) or None


def _attempt_for_token(token: str) -> Attempt:
    attempt = (
        Attempt.objects.select_related(
            "invitation__assessment__organization", "invitation__candidate"
        )
        .filter(invitation__token=token)
        .first()
    )
    if attempt is None:
        raise Http404
    return attempt


def _json_body(request) -> dict:
    if len(request.body) > MAX_BODY_BYTES:
        raise ValueError("too large")
    data = json.loads(request.body.decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("not an object")
    return data


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@never_cache
@require_GET
def take(request, token):
    """The whole attempt in one page; the browser shows one question at a time."""
    attempt = _attempt_for_token(token)
    if attempt.state == Attempt.State.PREPARED:  # opened, never started: back to Start
        return redirect(attempt.invitation.get_absolute_url())
    attempt = attempts.attempt_finalise_if_due(attempt=attempt)
    if not attempt.is_open:
        return redirect("candidate:done", token=token)
    attempts.attempt_note_access(
        attempt=attempt, ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")
    )
    items = list(
        attempt.items.select_related("section__skill", "response", "question__skill")
        .prefetch_related("question__choices")
        .order_by("position")
    )
    for item in items:
        choices = {str(c.pk): c for c in item.question.choices.all()}
        item.ordered_choices = [choices[pk] for pk in item.choice_order if pk in choices]
    assessment = attempt.invitation.assessment
    return render(
        request,
        "attempt/take.html",
        {
            "attempt": attempt,
            "assessment": assessment,
            "invitation": attempt.invitation,
            "items": items,
            "token": token,
            "deadline_iso": _iso(attempt.deadline),
            "server_now_iso": _iso(timezone.now()),
            "grace_seconds": int(attempts.GRACE.total_seconds()),
        },
    )


@never_cache
@require_POST
def save(request, token):
    """Autosave one answer: {"position", "answer", "revision", "seconds"} -> saved state."""
    try:
        data = _json_body(request)
        position = int(data["position"])
        revision = int(data["revision"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return JsonResponse({"error": _("This save could not be read.")}, status=400)
    now = timezone.now()
    try:
        # The hot path: one or two statements compiled once per process.
        result = attempts.answer_save(
            token=token,
            position=position,
            answer=data.get("answer"),
            revision=revision,
            seconds=data.get("seconds") or 0,
            now=now,
        )
    except attempts.AttemptError as error:
        return JsonResponse({"error": str(error), "closed": True}, status=409)
    if result is None:
        raise Http404
    return JsonResponse(
        {
            "saved": result.saved,
            "revision": result.revision,
            "position": position,
            "server_now": _iso(now),
        }
    )


@never_cache
@require_POST
def flag(request, token):
    try:
        data = _json_body(request)
        position = int(data["position"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return JsonResponse({"error": _("This request could not be read.")}, status=400)
    item = get_object_or_404(
        AttemptQuestion.objects.select_related("attempt"),
        attempt__invitation__token=token,
        position=position,
    )
    try:
        attempts.item_flag(attempt=item.attempt, item=item, flagged=bool(data.get("flagged")))
    except attempts.AttemptError as error:
        return JsonResponse({"error": str(error)}, status=409)
    return JsonResponse({"flagged": bool(data.get("flagged")), "position": position})


@never_cache
@require_POST
def run_sql(request, token):
    """Run the candidate's query against the question's dataset; rate limited per attempt."""
    try:
        data = _json_body(request)
        position = int(data["position"])
        query = data.get("query")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return JsonResponse({"error": _("This request could not be read.")}, status=400)
    item = get_object_or_404(
        AttemptQuestion.objects.select_related("attempt", "question__sql_key__dataset"),
        attempt__invitation__token=token,
        position=position,
        question__type=Question.Type.SQL,
    )
    if not item.attempt.is_open:
        prepared = item.attempt.state == Attempt.State.PREPARED
        error = attempts.NOT_STARTED if prepared else attempts.ALREADY_SUBMITTED
        return JsonResponse({"error": error}, status=409)
    if over_limit(f"sqlrun:{item.attempt_id}", SQL_RUNS_PER_MINUTE, window=60):
        return JsonResponse(
            {
                "error": _("You can run up to %(n)d queries a minute; wait a moment.")
                % {"n": SQL_RUNS_PER_MINUTE}
            },
            status=429,
        )
    result = run_query(item.question.sql_key.dataset.setup_sql, query, max_rows=50)
    if result.error:
        return JsonResponse({"error": result.error})
    return JsonResponse(
        {
            "columns": result.columns,
            "rows": [[_cell(value) for value in row] for row in result.rows],
            "truncated": result.truncated,
        }
    )


def _cell(value):
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


EVENT_KINDS = {"focus_lost", "paste", "copy", "fullscreen_exit"}


# sendBeacon cannot set a CSRF header. The token in the URL is the only key to
# the attempt, and the worst a forged request could do is add a signal that a
# recruiter reads as a hint, never as a verdict.
@csrf_exempt
@never_cache
@require_POST
def event(request, token):
    """Record an integrity signal (sent with navigator.sendBeacon); never blocks the candidate."""
    attempt = Attempt.objects.filter(invitation__token=token).only("pk", "state").first()
    if attempt is None:
        raise Http404
    if over_limit(f"events:{attempt.pk}", EVENTS_PER_MINUTE, window=60):
        return JsonResponse({"error": _("Too many events.")}, status=429)
    try:
        data = _json_body(request)
        kind = data["kind"]
        if kind not in EVENT_KINDS:
            raise ValueError(kind)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return JsonResponse({"error": _("This event could not be read.")}, status=400)
    recorded = attempts.integrity_record(
        attempt=attempt,
        kind=kind,
        position=data.get("position"),
        duration_ms=data.get("duration_ms"),
        length=data.get("length"),
    )
    if not recorded:
        return JsonResponse({"recorded": False})
    return JsonResponse({"recorded": True}, status=201)


@never_cache
@require_POST
def submit(request, token):
    attempt = _attempt_for_token(token)
    attempts.attempt_submit(attempt=attempt)
    return redirect("candidate:done", token=token)


@never_cache
@require_GET
def done(request, token):
    attempt = _attempt_for_token(token)
    if attempt.state == Attempt.State.PREPARED:
        return redirect(attempt.invitation.get_absolute_url())
    attempt = attempts.attempt_finalise_if_due(attempt=attempt)
    if attempt.is_open:
        return redirect("candidate:take", token=token)
    assessment = attempt.invitation.assessment
    feedback = None
    if assessment.show_results_to_candidate:
        feedback = sorted(attempt.skill_scores.values(), key=lambda s: s["skill"])
    return render(
        request,
        "attempt/done.html",
        {"attempt": attempt, "assessment": assessment, "feedback": feedback},
    )
