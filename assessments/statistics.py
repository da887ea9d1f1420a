"""Item and test statistics from submitted attempts: how questions and assessments perform.

Classical test theory, computed in bulk so it scales to the whole bank:

- **Facility** of a question version: the mean share of its points candidates
  earned, `mean(points / max_points)` over its responses in submitted attempts.
  `points` is the reviewer's grade when there is one, otherwise the automatic
  one; free-text answers still waiting for review are left out everywhere
  (they are not zeros, they are unknown).
- **Discrimination**: the point-biserial (Pearson) correlation between the
  item's score share and the candidate's score share on the *rest* of the test,
  `(total points - item points) / (total max - item max)`. Leaving the item out
  of the total keeps it from correlating with itself. Raw points are used, not
  the section-weighted `score_percent`, because "the rest of the test" has to
  be the same kind of quantity with or without the item.
- **Option counts** (choice questions): how often each choice of the version
  was picked by everyone, and by the upper and lower 27% of the candidates who
  saw it, ranked by rest-of-test share (ties broken by attempt id, so reruns
  give the same groups).
- **Reliability** of an assessment: Cronbach's alpha with the assessment's
  *sections* as the items (see `assessment_stats_compute`).

Facility, discrimination and reliability stay None until `MIN_RESPONSES`
responses (attempts) exist: with fewer they are noise. Counts are always stored.
"""

import math
from collections import defaultdict
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, F, JSONField, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import (
    Assessment,
    AssessmentStat,
    Attempt,
    AttemptQuestion,
    Choice,
    Question,
    QuestionStat,
    Response,
)

# Below this many responses (or attempts, for an assessment) facility,
# discrimination and reliability are not shown: one lucky candidate would
# swing them. The usual rule of thumb for classical item analysis.
MIN_RESPONSES = 20
# Upper and lower groups for distractor analysis: Kelley's 27%.
GROUP_SHARE = 0.27
BANDS = 10
CHUNK_SIZE = 5000
# Submissions within this window share one recompute (see statistics_schedule).
DEBOUNCE_SECONDS = 60
# The deferred run starts a little after the window closes, so a submission
# that found the key still present at the last moment has committed by then.
DEBOUNCE_SLACK_SECONDS = 5
# Variances below this are treated as zero: floating-point sums of equal
# shares are not always exactly equal.
EPSILON = 1e-12


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r (the point-biserial when xs is 0/1); None when either side is constant."""
    n = len(xs)
    if n < 2:
        return None
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx <= EPSILON or syy <= EPSILON:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


def _variance(values: list[float]) -> float:
    """Population variance; alpha's ratio is the same whichever divisor is used."""
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / len(values)


def _group_size(count: int) -> int:
    """27% of the ranked candidates, rounded half up (5 -> 1, 20 -> 5, 100 -> 27)."""
    return math.floor(GROUP_SHARE * count + 0.5)


_NO_PICKS: frozenset[str] = frozenset()


def _picks(answer) -> frozenset[str]:
    if answer is None:
        return _NO_PICKS
    if isinstance(answer, list):
        return frozenset(str(value) for value in answer)
    return frozenset((str(answer),))


def _scored_responses():
    """Responses of submitted attempts that have a grade (pending free text left out)."""
    return Response.objects.filter(item__attempt__state=Attempt.State.SUBMITTED).exclude(
        pending_review=True, manual_points__isnull=True
    )


class _ItemAccumulator:
    """Per question version: one (share, rest share, attempt id, picks) entry per response."""

    def __init__(self):
        self.entries: dict[int, list[tuple]] = defaultdict(list)
        self.types: dict[int, str] = {}

    def add_attempt(self, attempt_id: int, rows: list[tuple], wanted: set[int] | None) -> None:
        total_points = 0.0
        total_max = 0.0
        for _attempt, _question, _type, points, max_points, _answer in rows:
            if max_points:
                total_points += points
                total_max += max_points
        for _attempt, question_id, question_type, points, max_points, answer in rows:
            if not max_points or (wanted is not None and question_id not in wanted):
                continue
            rest_max = total_max - max_points
            rest = (total_points - points) / rest_max if rest_max > 0 else None
            self.types[question_id] = question_type
            self.entries[question_id].append(
                (points / max_points, rest, attempt_id, _picks(answer))
            )


def _stream_responses(question_ids):
    """One query, ordered by attempt, over every scored response of the relevant attempts.

    With `question_ids`, the relevant attempts are those containing one of
    them: their other responses are needed for the rest-of-test scores. The
    answer is read only for choice questions; free text can be long.
    """
    responses = _scored_responses()
    if question_ids is not None:
        responses = responses.filter(
            item__attempt_id__in=AttemptQuestion.objects.filter(
                question_id__in=question_ids
            ).values("attempt_id")
        )
    return (
        responses.annotate(
            choice_answer=Case(
                When(item__question__type__in=Question.CHOICE_TYPES, then=F("answer")),
                default=Value(None),
                output_field=JSONField(),
            )
        )
        .order_by("item__attempt_id", "item_id")
        .values_list(
            "item__attempt_id",
            "item__question_id",
            "item__question__type",
            Coalesce("manual_points", "auto_points", Value(0.0)),
            "max_points",
            "choice_answer",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )


def _option_counts(entries: list[tuple], choice_ids: list[int]) -> dict:
    counts = {str(pk): {"all": 0, "upper": 0, "lower": 0} for pk in choice_ids}
    for _share, _rest, _attempt, picks in entries:
        for pick in picks & counts.keys():
            counts[pick]["all"] += 1
    ranked = sorted(
        (entry for entry in entries if entry[1] is not None), key=lambda e: (e[1], e[2])
    )
    size = _group_size(len(ranked))
    if size:
        for group, members in (("lower", ranked[:size]), ("upper", ranked[-size:])):
            for _share, _rest, _attempt, picks in members:
                for pick in picks & counts.keys():
                    counts[pick][group] += 1
    return counts


def _question_stat(question_id: int, entries: list[tuple], choice_ids, now) -> QuestionStat:
    count = len(entries)
    facility = discrimination = None
    if count >= MIN_RESPONSES:
        facility = sum(entry[0] for entry in entries) / count
        pairs = [(entry[0], entry[1]) for entry in entries if entry[1] is not None]
        if len(pairs) >= MIN_RESPONSES:
            discrimination = _pearson([p[0] for p in pairs], [p[1] for p in pairs])
    return QuestionStat(
        question_id=question_id,
        responses=count,
        facility=facility,
        discrimination=discrimination,
        option_counts=_option_counts(entries, choice_ids) if choice_ids is not None else {},
        computed_at=now,
    )


def question_stats_compute(*, question_ids=None, now=None) -> int:
    """Recompute QuestionStat for every question version in submitted attempts.

    With `question_ids`, only those versions (their rest-of-test scores still
    come from whole attempts). Versions that no longer have a scored response
    lose their row. Returns how many rows were written.

    Queries: one streaming pass over the responses, one for the choices of
    the choice questions seen, one upsert per 1,000 rows, one delete.
    """
    now = now or timezone.now()
    wanted = set(question_ids) if question_ids is not None else None
    accumulator = _ItemAccumulator()
    current, rows = None, []
    for row in _stream_responses(wanted):
        if row[0] != current:
            if rows:
                accumulator.add_attempt(current, rows, wanted)
            current, rows = row[0], []
        rows.append(row)
    if rows:
        accumulator.add_attempt(current, rows, wanted)

    choice_questions = [
        pk for pk, type_ in accumulator.types.items() if type_ in Question.CHOICE_TYPES
    ]
    choices: dict[int, list[int]] = {pk: [] for pk in choice_questions}
    if choice_questions:
        for question_id, choice_id in (
            Choice.objects.filter(question_id__in=choice_questions)
            .order_by()
            .values_list("question_id", "pk")
        ):
            choices[question_id].append(choice_id)
    stats = [
        _question_stat(pk, entries, choices.get(pk), now)
        for pk, entries in accumulator.entries.items()
    ]
    with transaction.atomic():
        QuestionStat.objects.bulk_create(
            stats,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["question"],
            update_fields=[
                "responses",
                "facility",
                "discrimination",
                "option_counts",
                "computed_at",
            ],
        )
        stale = QuestionStat.objects.exclude(question_id__in=list(accumulator.entries))
        if wanted is not None:
            stale = stale.filter(question_id__in=wanted)
        stale.delete()
    return len(stats)


def _band(percent: float) -> int:
    """[0-10) -> 0, …, [80-90) -> 8, [90-100] -> 9."""
    return min(BANDS - 1, max(0, int(percent // 10)))


def _alpha(section_shares: dict[int, dict[int, float]]) -> float | None:
    """Cronbach's alpha over sections; attempts missing a section are left out."""
    sections = set().union(*section_shares.values()) if section_shares else set()
    k = len(sections)
    complete = [shares for shares in section_shares.values() if shares.keys() == sections]
    if k < 2 or len(complete) < MIN_RESPONSES:
        return None
    total_variance = _variance([sum(shares.values()) for shares in complete])
    if total_variance <= EPSILON:
        return None
    item_variances = sum(_variance([shares[s] for shares in complete]) for s in sections)
    return k / (k - 1) * (1 - item_variances / total_variance)


def assessment_stats_compute(*, assessment_ids=None, now=None) -> int:
    """Recompute AssessmentStat for every assessment with submitted attempts.

    Mean and standard deviation (sample, n - 1) of `score_percent` and the
    distribution in ten bands ([0-10) … [90-100]) describe whatever attempts
    exist (provisional scores included, as the results list shows them);
    reliability needs `MIN_RESPONSES` attempts.

    Reliability is Cronbach's alpha, `k/(k-1) * (1 - sum(var_i) / var_total)`,
    with the assessment's **sections** as the k items: attempts of one
    assessment draw different questions from the pool, so no question is
    answered by everyone, but every attempt has a score share (points / max
    over its graded responses) in every section. `var_total` is the variance
    of the sum of those shares (unweighted, as alpha requires). With 0/1
    items and one question per section this is KR-20. None when k < 2, with
    too few attempts, or when the totals do not vary.

    Queries: attempts, per-section sums, one upsert, one delete.
    """
    now = now or timezone.now()
    attempts = Attempt.objects.filter(state=Attempt.State.SUBMITTED, score_percent__isnull=False)
    responses = _scored_responses()
    if assessment_ids is not None:
        attempts = attempts.filter(invitation__assessment_id__in=assessment_ids)
        responses = responses.filter(item__attempt__invitation__assessment_id__in=assessment_ids)
    percents: dict[int, list[float]] = defaultdict(list)
    for assessment_id, percent in (
        attempts.order_by().values_list("invitation__assessment_id", "score_percent").iterator()
    ):
        percents[assessment_id].append(percent)

    shares: dict[int, dict[int, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    section_sums = (
        responses.filter(max_points__gt=0)
        .values("item__attempt__invitation__assessment_id", "item__attempt_id", "item__section_id")
        .annotate(
            points=Sum(Coalesce("manual_points", "auto_points", Value(0.0))),
            possible=Sum("max_points"),
        )
        .order_by()
        .values_list(
            "item__attempt__invitation__assessment_id",
            "item__attempt_id",
            "item__section_id",
            "points",
            "possible",
        )
    )
    for assessment_id, attempt_id, section_id, points, possible in section_sums.iterator(
        chunk_size=CHUNK_SIZE
    ):
        shares[assessment_id][attempt_id][section_id] = points / possible

    stats = []
    for assessment_id, values in percents.items():
        count = len(values)
        mean = sum(values) / count
        distribution = [0] * BANDS
        for value in values:
            distribution[_band(value)] += 1
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (count - 1)) if count > 1 else None
        stats.append(
            AssessmentStat(
                assessment_id=assessment_id,
                attempts=count,
                mean_percent=mean,
                sd_percent=sd,
                reliability=_alpha(shares.get(assessment_id, {})),
                distribution=distribution,
                computed_at=now,
            )
        )
    with transaction.atomic():
        AssessmentStat.objects.bulk_create(
            stats,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["assessment"],
            update_fields=[
                "attempts",
                "mean_percent",
                "sd_percent",
                "reliability",
                "distribution",
                "computed_at",
            ],
        )
        stale = AssessmentStat.objects.exclude(assessment_id__in=list(percents))
        if assessment_ids is not None:
            stale = stale.filter(assessment_id__in=assessment_ids)
        stale.delete()
    return len(stats)


def statistics_recompute(*, assessment_ids=None, now=None) -> dict[str, int]:
    """Both kinds of statistics; with `assessment_ids`, those assessments and their questions."""
    now = now or timezone.now()
    question_ids = None
    if assessment_ids is not None:
        question_ids = list(
            AttemptQuestion.objects.filter(
                attempt__invitation__assessment_id__in=assessment_ids,
                attempt__state=Attempt.State.SUBMITTED,
            )
            .order_by()
            .values_list("question_id", flat=True)
            .distinct()
        )
    return {
        "questions": question_stats_compute(question_ids=question_ids, now=now),
        "assessments": assessment_stats_compute(assessment_ids=assessment_ids, now=now),
    }


def statistics_pending_key(assessment_id: int) -> str:
    return f"stats-pending:{assessment_id}"


def statistics_schedule(*, assessment: Assessment) -> bool:
    """Queue one recompute for the assessment per minute, however many submissions arrive.

    The first submission in a window adds the cache key (atomic `add`: only
    one caller wins) and enqueues the task after the commit; later ones within
    `DEBOUNCE_SECONDS` find the key and do nothing. Where the task backend can
    defer, the run waits until the window has closed so it includes every
    submission the window swallowed; an immediate backend runs it at once.
    `manage.py compute_statistics` recomputes everything from scratch.
    Returns whether a task was queued.
    """
    from .tasks import recompute_statistics_task

    if not cache.add(statistics_pending_key(assessment.pk), 1, timeout=DEBOUNCE_SECONDS):
        return False
    task = recompute_statistics_task
    if task.get_backend().supports_defer:
        delay = timedelta(seconds=DEBOUNCE_SECONDS + DEBOUNCE_SLACK_SECONDS)
        task = task.using(run_after=timezone.now() + delay)
    assessment_id = assessment.pk
    # Statistics are never worth failing a submission over: a failure is logged.
    transaction.on_commit(lambda: task.enqueue(assessment_id=assessment_id), robust=True)
    return True
