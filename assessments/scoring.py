"""Scoring an attempt: each response graded against the version the candidate saw.

Per-skill percentages come from the points in that skill's section; the
overall score weights each section by its weight (the profile's skill
weight), so a heavy skill counts for more than a light one whatever the
number of questions. An attempt is provisional while a free-text answer
waits for a reviewer. Scoring is a pure function of the stored answers and
grades: running it twice gives the same result.
"""

from collections import defaultdict

from django.db import transaction

from roles.models import RoleProfile

from . import grading
from .fit import seniority_fit
from .models import Attempt, Question, Response
from .statistics import response_shares


def _grade_response(response: Response, key: dict) -> None:
    result = grading.grade(key, response.answer)
    response.auto_points = result.points
    response.max_points = result.max_points
    response.feedback = result.feedback
    response.pending_review = result.pending and response.manual_points is None


def attempt_grade_responses(*, attempt: Attempt) -> list[Response]:
    """Grade every response automatically (manual grades, once given, are kept)."""
    responses = list(
        Response.objects.filter(item__attempt=attempt).select_related("item__question")
    )
    questions = {
        q.pk: q
        for q in Question.objects.with_keys().filter(pk__in=[r.item.question_id for r in responses])
    }
    for response in responses:
        _grade_response(response, questions[response.item.question_id].grading_key())
    Response.objects.bulk_update(
        responses, ["auto_points", "max_points", "feedback", "pending_review"]
    )
    return responses


def _summarise(attempt: Attempt, responses: list[Response]) -> None:
    sections = {}
    earned = defaultdict(float)
    possible = defaultdict(float)
    pending = False
    for response in responses:
        section = response.item.section
        sections[section.pk] = section
        possible[section.pk] += response.max_points or 0
        earned[section.pk] += response.points or 0
        pending = pending or response.pending_review
    skill_scores = {}
    weighted_sum = 0.0
    weight_total = 0.0
    for pk, section in sections.items():
        share = earned[pk] / possible[pk] if possible[pk] else 0.0
        skill_scores[section.skill.slug] = {
            "skill": section.skill.name,
            "percent": round(share * 100, 1),
            "points": round(earned[pk], 3),
            "max_points": round(possible[pk], 3),
            "weight": section.weight,
        }
        weighted_sum += share * section.weight
        weight_total += section.weight
    percent = round(100 * weighted_sum / weight_total, 1) if weight_total else 0.0
    attempt.score_points = round(sum(earned.values()), 3)
    attempt.max_points = round(sum(possible.values()), 3)
    attempt.score_percent = percent
    attempt.skill_scores = skill_scores
    attempt.provisional = pending
    attempt.passed = percent >= attempt.invitation.assessment.pass_mark
    profiles = (
        RoleProfile.objects.filter(role_id=attempt.invitation.assessment.role_profile.role_id)
        .prefetch_related("role_skills__skill")
        .select_related("level")
    )
    fit = seniority_fit(skill_scores, profiles)
    attempt.fit_rank = fit.rank
    attempt.fit_summary = fit.summary[:300]


@transaction.atomic
def attempt_score(*, attempt: Attempt, regrade: bool = True) -> Attempt:
    """(Re)compute an attempt's grades and scores; idempotent."""
    attempt = Attempt.objects.select_related("invitation__assessment__role_profile").get(
        pk=attempt.pk
    )
    if regrade:
        attempt_grade_responses(attempt=attempt)
    responses = list(
        Response.objects.filter(item__attempt=attempt).select_related("item__section__skill")
    )
    _summarise(attempt, responses)
    response_shares(responses, submitted=attempt.state == Attempt.State.SUBMITTED)
    Response.objects.bulk_update(responses, ["score_share", "rest_share"])
    attempt.save(
        update_fields=[
            "score_points",
            "max_points",
            "score_percent",
            "skill_scores",
            "provisional",
            "passed",
            "fit_rank",
            "fit_summary",
        ]
    )
    return attempt
