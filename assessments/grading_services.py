"""Manual grading of free-text answers against their rubric.

`gradable_responses` is the one read every grading page starts from (scoped to
an organisation); `response_grade` is the one write. Scoring stays a pure
function of the stored grades: after every grade the attempt is re-summed by
`attempt_score`, so a re-grade, or two graders on one attempt, leave it consistent.
"""

import math
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .grading import is_number
from .grading.free_text import grade_rubric, validate_key
from .models import Attempt, AttemptQuestion, Question, Response
from .scoring import attempt_score

NOT_GRADABLE = gettext_lazy("Only written (free-text) answers of submitted attempts can be graded.")
RUBRIC_INVALID = gettext_lazy(
    "This question's rubric is incomplete, so the answer cannot be graded. "
    "Ask an administrator to fix the question."
)
SCORES_NOT_READABLE = gettext_lazy("The scores could not be read; nothing was saved.")
UNKNOWN_CRITERION = gettext_lazy("A score was given for a criterion this rubric does not have.")
SCORE_MISSING = gettext_lazy("Give a score for criterion %(number)d (“%(criterion)s”).")
SCORE_NOT_A_NUMBER = gettext_lazy(
    "The score for criterion %(number)d (“%(criterion)s”) must be a number."
)
SCORE_OUT_OF_RANGE = gettext_lazy(
    "The score for criterion %(number)d (“%(criterion)s”) must be between 0 and %(points)s."
)
COMMENT_TOO_LONG = gettext_lazy("The comment is too long (limit: %(limit)d characters).")

MAX_COMMENT_CHARS = 5_000


class GradingError(Exception):
    """The grade cannot be saved; the message is for the grader. Nothing was changed."""


def gradable_responses(*, organization) -> QuerySet[Response]:
    """The organisation's answers that need, or had, a human grade.

    Free-text answers of submitted attempts that are either waiting
    (`pending_review`) or already graded (`manual_points` set). Blank answers
    are neither: the automatic grader gave them 0 and there is nothing to read.
    """
    return Response.objects.filter(
        item__attempt__invitation__assessment__organization=organization,
        item__attempt__state=Attempt.State.SUBMITTED,
        item__question__type=Question.Type.FREE_TEXT,
    ).filter(Q(pending_review=True) | Q(manual_points__isnull=False))


def grading_progress(responses: QuerySet[Response]) -> list[dict]:
    """Graded and total answers per assessment, by title; one query.

    Each row: assessment_id, code, title, blind_grading, total, graded, pending, and
    names_hidden (blind grading with answers still waiting).
    """
    prefix = "item__attempt__invitation__assessment"
    rows = (
        responses.order_by()
        .values(
            assessment_id=F(f"{prefix}_id"),
            code=F(f"{prefix}__code"),
            title=F(f"{prefix}__title"),
            blind_grading=F(f"{prefix}__blind_grading"),
        )
        .annotate(
            total=Count("pk"),
            graded=Count("pk", filter=Q(pending_review=False)),
        )
        .order_by("title", "assessment_id")
    )
    progress = []
    for row in rows:
        row["pending"] = row["total"] - row["graded"]
        # Names stay hidden from graders until nobody is left to be biased about.
        row["names_hidden"] = row["blind_grading"] and row["pending"] > 0
        progress.append(row)
    return progress


def _index(raw) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().isdecimal() and len(raw) < 10:
        return int(raw.strip())
    return None


def _number(value) -> float | None:
    """A finite float from a number, or from text that reads as one; None otherwise."""
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except ArithmeticError:
            return None
    if not is_number(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _checked_scores(rubric: list[dict], scores) -> dict[str, float]:
    """Every criterion's score, checked against [0, criterion points]; GradingError otherwise."""
    if not isinstance(scores, dict):
        raise GradingError(SCORES_NOT_READABLE)
    by_index = {}
    for raw_index, value in scores.items():
        index = _index(raw_index)
        if index is None or not 0 <= index < len(rubric):
            raise GradingError(UNKNOWN_CRITERION)
        by_index[index] = value
    checked = {}
    for index, criterion in enumerate(rubric):
        names = {"number": index + 1, "criterion": criterion["criterion"]}
        if index not in by_index or by_index[index] in (None, ""):
            raise GradingError(SCORE_MISSING % names)
        score = _number(by_index[index])
        if score is None:
            raise GradingError(SCORE_NOT_A_NUMBER % names)
        if not 0 <= score <= criterion["points"]:
            raise GradingError(SCORE_OUT_OF_RANGE % {**names, "points": f"{criterion['points']:g}"})
        # JSON object keys are strings: store them as the database will return them.
        checked[str(index)] = score
    return checked


@transaction.atomic
def response_grade(
    *, response: Response, scores: dict[int, float], comment: str, by, now=None
) -> Response:
    """Grade (or re-grade) one free-text answer and re-score its attempt.

    `scores` maps each rubric criterion's index to the points awarded; every
    criterion needs a number within [0, its points]. Raises GradingError, with
    nothing saved, for a bad score, an answer that is not a free-text answer of a
    submitted attempt, or a question whose rubric is invalid. The attempt stays
    provisional until its last pending answer is graded.
    """
    now = now or timezone.now()
    item = AttemptQuestion.objects.get(pk=response.item_id)
    # The attempt row is locked first, so two graders on the same attempt queue
    # up here: each re-sum then sees the other's committed grade, and the
    # attempt's score and provisional flag never miss one.
    attempt = Attempt.objects.select_for_update().get(pk=item.attempt_id)
    locked = Response.objects.select_for_update().get(pk=response.pk)
    question = Question.objects.with_keys().get(pk=item.question_id)
    if attempt.state != Attempt.State.SUBMITTED or question.type != Question.Type.FREE_TEXT:
        raise GradingError(NOT_GRADABLE)
    key = question.grading_key()
    if validate_key(key):
        raise GradingError(RUBRIC_INVALID)
    checked = _checked_scores(key["rubric"], scores)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise GradingError(COMMENT_TOO_LONG % {"limit": MAX_COMMENT_CHARS})

    result = grade_rubric(key, checked)
    locked.manual_scores = checked
    locked.manual_points = result.points
    locked.manual_comment = comment
    locked.pending_review = False
    locked.graded_by = by
    locked.graded_at = now
    locked.save(
        update_fields=[
            "manual_scores",
            "manual_points",
            "manual_comment",
            "pending_review",
            "graded_by",
            "graded_at",
        ]
    )
    attempt_score(attempt=attempt, regrade=False)
    return locked
