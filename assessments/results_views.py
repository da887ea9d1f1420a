"""Results: the table per assessment, its CSV export, one candidate's report, comparisons."""

import csv
import uuid
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from recruiting.models import Stage
from recruiting.tenancy import get_assessment_for_member, get_invitation_for_member, member_required
from roles.models import SeniorityLevel

from . import results
from .fit import MEETS_SHARE, PROFICIENCY_BAR
from .models import Attempt, AttemptQuestion, IntegrityEvent, Question

PAGE_SIZE = 50
FILTER_KEYS = ("state", "stage", "result", "fit")


def _filters(request) -> dict:
    return {key: request.GET.get(key, "") for key in FILTER_KEYS}


def _level_names(assessment):
    """Fit ranks as level names (one query)."""
    levels = SeniorityLevel.objects.filter(
        profiles__role_id=assessment.role_profile.role_id
    ).order_by("rank")
    names = {level.rank: level.name for level in levels}
    lowest = min(names) if names else 1
    names[0] = _("Below %(level)s") % {"level": names.get(lowest, "")}
    return names


@require_GET
@member_required
def results_table(request, code):
    assessment = get_assessment_for_member(request, code)
    sort = request.GET.get("sort", results.DEFAULT_SORT)
    filters = _filters(request)
    rows = results.results_queryset(assessment, sort=sort, filters=filters)
    paginator = Paginator(rows, PAGE_SIZE)
    # Count the filtered attempts without the per-row annotations (no GROUP BY).
    paginator.count = results.results_queryset(assessment, filters=filters, annotate=False).count()
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = results.results_page_rows(page.object_list, sort=sort)
    skills = results.section_skills(assessment)
    for attempt in page.object_list:
        attempt.skill_cells = [attempt.skill_scores.get(skill.slug) for skill in skills]
    active = {k: v for k, v in filters.items() if v}
    return render(
        request,
        "assessments/results.html",
        {
            "assessment": assessment,
            "page": page,
            "skills": skills,
            "sort": sort,
            "filters": filters,
            "query": urlencode({**active, "sort": sort}),
            "filter_query": urlencode(active),
            "stages": Stage.choices,
            "states": [
                (value, label)
                for value, label in Attempt.State.choices
                if value != Attempt.State.PREPARED
            ],
            "levels": sorted(_level_names(assessment).items()),
            "can_edit": request.membership.can_edit,
        },
    )


class _Echo:
    """A file-like object whose write() returns the line, for streaming CSV."""

    def write(self, value):
        return value


def _csv_rows(rows, skills, level_names):
    writer = csv.writer(_Echo())
    yield writer.writerow(
        [
            _("Candidate"),
            _("Email"),
            _("Status"),
            _("Overall %"),
            _("Passed"),
            _("Provisional"),
            *[skill.name for skill in skills],
            _("Fit"),
            _("Fit detail"),
            _("Minutes used"),
            _("Integrity events"),
            _("Stage"),
            _("Started"),
            _("Submitted"),
        ]
    )
    stage_labels = dict(Stage.choices)
    for attempt in rows.iterator(chunk_size=2000):
        candidate = attempt.invitation.candidate
        yield writer.writerow(
            [
                _safe(candidate.name),
                _safe(candidate.email),
                attempt.get_state_display(),
                "" if attempt.score_percent is None else attempt.score_percent,
                "" if attempt.passed is None else ("yes" if attempt.passed else "no"),
                "yes" if attempt.provisional else "no",
                *[
                    (attempt.skill_scores.get(skill.slug) or {}).get("percent", "")
                    for skill in skills
                ],
                level_names.get(attempt.fit_rank, ""),
                _safe(attempt.fit_summary),
                round(attempt.time_used.total_seconds() / 60, 1),
                attempt.integrity_count,
                stage_labels.get(candidate.stage, candidate.stage),
                attempt.started_at.isoformat(),
                attempt.submitted_at.isoformat() if attempt.submitted_at else "",
            ]
        )


def _safe(text: str) -> str:
    """Neutralise spreadsheet formulas in text a candidate typed (CSV injection)."""
    text = str(text or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
@member_required
def results_csv(request, code):
    """The results table as CSV, streamed so thousands of rows never sit in memory."""
    assessment = get_assessment_for_member(request, code)
    rows = results.results_queryset(
        assessment, sort=request.GET.get("sort", results.DEFAULT_SORT), filters=_filters(request)
    )
    skills = results.section_skills(assessment)
    response = StreamingHttpResponse(
        _csv_rows(rows, skills, _level_names(assessment)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="results-{assessment.code}.csv"'
    return response


def _answer_view(item, key):
    """What the report shows for one answer, whatever the question type."""
    answer = item.response.answer
    view = {"answer": answer, "choices": []}
    if item.question.is_choice_type:
        picked = {str(a) for a in (answer if isinstance(answer, list) else [answer]) if a}
        texts = {c["id"]: c for c in key.get("choices", [])}
        view["choices"] = [
            {**texts[cid], "picked": cid in picked} for cid in item.choice_order if cid in texts
        ]
    return view


@require_GET
@member_required
def report(request, invitation_code):
    invitation = get_invitation_for_member(request, invitation_code)
    attempt = (
        Attempt.objects.filter(invitation=invitation)
        .exclude(state=Attempt.State.PREPARED)
        .select_related("invitation__assessment__role_profile__level", "invitation__candidate")
        .first()
    )
    if attempt is None:
        raise Http404
    assessment = attempt.invitation.assessment
    items = list(
        AttemptQuestion.objects.filter(attempt=attempt)
        .select_related("response", "section__skill")
        .order_by("position")
    )
    questions = {
        q.pk: q for q in Question.objects.with_keys().filter(pk__in=[i.question_id for i in items])
    }
    entries = []
    for item in items:
        item.question = questions[item.question_id]
        key = item.question.grading_key()
        entries.append({"item": item, "key": key, **_answer_view(item, key)})
    profiles = results.role_profiles(assessment)
    events = list(IntegrityEvent.objects.filter(attempt=attempt).order_by("occurred_at", "pk"))
    for event in events:
        event.offset = event.occurred_at - attempt.started_at
    candidate = attempt.invitation.candidate
    return render(
        request,
        "assessments/report.html",
        {
            "attempt": attempt,
            "assessment": assessment,
            "candidate": candidate,
            "entries": entries,
            "chart": results.skill_chart(attempt, profiles),
            "levels": results.fit_levels(attempt, profiles),
            "percentile": results.percentile(assessment, attempt.score_percent),
            "time_used": (attempt.submitted_at or attempt.deadline) - attempt.started_at,
            "events": events,
            "notes": candidate.notes.select_related("author")[:50],
            "stages": Stage.choices,
            "bars": sorted(PROFICIENCY_BAR.items()),
            "meets_share": int(MEETS_SHARE * 100),
            "can_edit": request.membership.can_edit,
        },
    )


@require_GET
@member_required
def compare(request, code):
    """2 to 4 candidates side by side: skills as rows, candidates as columns."""
    assessment = get_assessment_for_member(request, code)
    # Candidate codes: the results table's checkboxes submit them.
    codes = request.GET.getlist("candidates")[:4]
    attempts = list(
        Attempt.objects.filter(
            assessment=assessment,
            invitation__candidate__code__in=_valid_uuids(codes),
        )
        .exclude(state=Attempt.State.PREPARED)
        .select_related("invitation__candidate")
        .order_by("-score_percent", "pk")
    )
    if not 2 <= len(attempts) <= 4:
        return render(
            request,
            "assessments/compare.html",
            {"assessment": assessment, "error": _("Choose two to four candidates to compare.")},
            status=400,
        )
    skills = results.section_skills(assessment)
    rows = []
    for skill in skills:
        cells = [(a.skill_scores.get(skill.slug) or {}).get("percent") for a in attempts]
        known = [c for c in cells if c is not None]
        best = max(known) if known else None
        spread = (max(known) - min(known)) if len(known) > 1 else 0
        rows.append(
            {
                "skill": skill,
                "cells": [{"value": c, "best": c is not None and c == best} for c in cells],
                "differs": spread >= 20,
            }
        )
    return render(
        request,
        "assessments/compare.html",
        {
            "assessment": assessment,
            "attempts": attempts,
            "rows": rows,
        },
    )


def _valid_uuids(values):
    valid = []
    for value in values:
        try:
            valid.append(uuid.UUID(value))
        except (ValueError, TypeError):
            continue
    return valid


@require_GET
@member_required
def statistics(request, code):
    """How the assessment and its questions perform: reliability, distribution, items."""
    from .models import AssessmentStat, QuestionStat
    from .statistics import MIN_RESPONSES

    assessment = get_assessment_for_member(request, code)
    stat = AssessmentStat.objects.filter(assessment=assessment).first()
    used = (
        AttemptQuestion.objects.filter(attempt__assessment=assessment)
        .exclude(attempt__state=Attempt.State.PREPARED)
        .values("question_id")
    )
    question_stats = list(
        QuestionStat.objects.filter(question_id__in=used)
        .select_related("question__skill")
        .order_by("question__skill__name", "question__difficulty", "question_id")
    )
    peak = max(stat.distribution, default=0) if stat else 0
    bands = []
    for index, count in enumerate(stat.distribution if stat else []):
        height = round(100 * count / peak) if peak else 0
        bands.append(
            {
                "label": f"{index * 10}–{index * 10 + 9 if index < 9 else 100}",
                "count": count,
                "x": index * 40,
                "y": 110 - height,
                "height": height,
            }
        )
    return render(
        request,
        "assessments/statistics.html",
        {
            "assessment": assessment,
            "stat": stat,
            "bands": bands,
            "question_stats": question_stats,
            "min_responses": MIN_RESPONSES,
        },
    )
