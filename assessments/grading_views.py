"""The grading queue: free-text answers waiting for a reviewer's rubric scores.

Any member may grade, reviewers (hiring managers) included, so these views use
`member_required` without `write`; everything is scoped to `request.organization`
through `gradable_responses` and `get_response_for_member` below.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from recruiting.tenancy import member_required

from .forms_grading import RubricGradeForm
from .grading_services import GradingError, gradable_responses, grading_progress, response_grade
from .models import Question, Response

PAGE_SIZE = 25
# Oldest submission first; within an attempt, in the order the candidate saw the questions.
QUEUE_ORDER = ("item__attempt__submitted_at", "item__attempt_id", "item__position")
GRADED_ORDER = ("-graded_at", "-pk")
ROW_RELATED = (
    "item__question__skill",
    "item__attempt__invitation__candidate",
    "item__attempt__invitation__assessment",
    "graded_by",
)


def get_response_for_member(request, response_id) -> Response:
    """One gradable answer of the member's organisation; 404 for anything else.

    Anything else includes another organisation's answers, answers of attempts
    still in progress, and answers to questions that are not free text. There
    is no write check: reviewers grade too.
    """
    return get_object_or_404(
        gradable_responses(organization=request.organization).select_related(*ROW_RELATED),
        pk=response_id,
    )


def _excerpt(text, chars: int) -> str:
    """The first paragraph of a prompt or answer, shortened for a table cell."""
    text = (text or "").strip() if isinstance(text, str) else ""
    first = text.split("\n\n", 1)[0].replace("\n", " ")
    return Truncator(first).chars(chars)


def _word_count(answer) -> int:
    return len(answer.split()) if isinstance(answer, str) else 0


@member_required
def grading_queue(request):
    """Waiting answers (or, with ?graded=1, graded ones to change), with progress per assessment."""
    responses = gradable_responses(organization=request.organization)
    progress = grading_progress(responses)
    wanted = request.GET.get("assessment", "")
    chosen = next((row for row in progress if str(row["code"]) == wanted), None)
    show_graded = request.GET.get("graded") == "1"

    rows = responses.filter(pending_review=not show_graded)
    if chosen is not None:
        rows = rows.filter(item__attempt__invitation__assessment_id=chosen["assessment_id"])
    rows = rows.select_related(*ROW_RELATED).order_by(
        *(GRADED_ORDER if show_graded else QUEUE_ORDER)
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))

    hidden = {row["assessment_id"] for row in progress if row["names_hidden"]}
    for response in page.object_list:
        response.names_hidden = response.item.attempt.invitation.assessment_id in hidden
        response.prompt_excerpt = _excerpt(response.item.question.prompt, 90)
        response.answer_excerpt = _excerpt(response.answer, 180)
        response.words = _word_count(response.answer)

    total = sum(row["total"] for row in progress)
    graded = sum(row["graded"] for row in progress)
    query = QueryDict(mutable=True)
    if chosen is not None:
        query["assessment"] = wanted
    if show_graded:
        query["graded"] = "1"
    return render(
        request,
        "assessments/grading_queue.html",
        {
            "page": page,
            "progress": progress,
            "chosen": chosen,
            "show_graded": show_graded,
            "overall": {
                "total": total,
                "graded": graded,
                "pending": total - graded,
                "percent": round(100 * graded / total) if total else 100,
            },
            "query": query.urlencode(),
            "assessment_query": f"assessment={wanted}&" if chosen is not None else "",
        },
    )


def _next_pending(pending_ids: list[int], current: int) -> int | None:
    """The pending answer after `current` in queue order (wrapping round), never `current`."""
    if current in pending_ids:
        at = pending_ids.index(current)
        rotated = pending_ids[at + 1 :] + pending_ids[:at]
    else:
        rotated = pending_ids
    return rotated[0] if rotated else None


@member_required
def grade(request, response_id):
    """Score one answer against its rubric; Save and next moves on through the assessment."""
    response = get_response_for_member(request, response_id)
    attempt = response.item.attempt
    assessment = attempt.invitation.assessment
    question = Question.objects.with_keys().get(pk=response.item.question_id)
    rubric = question.grading_key().get("rubric", [])
    pending_ids = list(
        gradable_responses(organization=request.organization)
        .filter(pending_review=True, item__attempt__invitation__assessment=assessment)
        .order_by(*QUEUE_ORDER)
        .values_list("pk", flat=True)
    )
    form = RubricGradeForm(
        request.POST or None, rubric=rubric, initial=RubricGradeForm.initial_for(response)
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                response_grade(
                    response=response,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    by=request.user,
                )
            except GradingError as error:
                form.add_error(None, str(error))
            else:
                following = _next_pending(pending_ids, response.pk)
                if following is not None:
                    messages.success(request, _("Grade saved. Here is the next answer."))
                    return redirect("assessments:grade", response_id=following)
                messages.success(
                    request,
                    _("Grade saved. All answers graded in “%(title)s”.")
                    % {"title": assessment.title},
                )
                return redirect(reverse("assessments:grading-queue"))
        messages.error(request, _("Nothing was saved: please fix the scores marked below."))

    following = _next_pending(pending_ids, response.pk)
    return render(
        request,
        "assessments/grading_grade.html",
        {
            "response": response,
            "attempt": attempt,
            "assessment": assessment,
            "question": question,
            "form": form,
            "max_points": sum(c["points"] for c in rubric),
            "names_hidden": assessment.blind_grading and bool(pending_ids),
            "pending_count": len(pending_ids),
            "position": pending_ids.index(response.pk) + 1 if response.pk in pending_ids else None,
            "skip_to": following,
            "words": _word_count(response.answer),
        },
    )
