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

Each response's two shares are stored when its attempt is scored (and again
when a reviewer's grade changes the attempt's total), so a recompute over the
whole bank is two grouped queries: the sums behind facility and r, and the
ranked option counts. Computing the shares from every response on each run
took 11 times as long as one plain aggregate over the same rows (make bench,
PostgreSQL, 100,000 responses); the target is 5.
"""

import math
from bisect import bisect_left
from collections import Counter, defaultdict
from datetime import timedelta
from itertools import groupby
from operator import itemgetter

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Sum, Value
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
# The same, relative to the sum of squares, for variances taken from raw sums.
RELATIVE_EPSILON = 1e-9


def _pearson(n: int, sx: float, sy: float, sxx: float, syy: float, sxy: float) -> float | None:
    """Pearson's r from the raw sums over n pairs; None when either side is constant.

    The centred sums are the raw ones less their mean part. Shares lie in
    [0, 1], so the subtraction loses little, but equal shares that are not
    exact binary fractions (1/3) leave a residue of rounding: a spread below
    a billionth of the sum of squares is taken as none.
    """
    if n < 2:
        return None
    cxx = sxx - sx * sx / n
    cyy = syy - sy * sy / n
    if cxx <= RELATIVE_EPSILON * max(sxx, 1.0) or cyy <= RELATIVE_EPSILON * max(syy, 1.0):
        return None
    cxy = sxy - sx * sy / n
    return max(-1.0, min(1.0, cxy / math.sqrt(cxx * cyy)))


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


def response_shares(responses, *, submitted: bool = True) -> None:
    """Set the score share and rest-of-test share of one attempt's responses.

    Only a submitted attempt has shares: an open one's are all None.

    A response counts when it is worth something and has a grade: a free-text
    answer waiting for review is unknown, not zero, so it is left out of its
    own figures and of the attempt's total. Its shares are then None, as is
    the rest-of-test share of an attempt's only counted response.

    Works on historical models too (the migration that added the fields):
    it reads fields only, no methods.
    """
    counted = []
    for response in responses:
        response.score_share = response.rest_share = None
        if (
            submitted
            and (response.max_points or 0) > 0
            and not (response.pending_review and response.manual_points is None)
        ):
            counted.append(response)
    # Unsaved instances (a bulk insert being prepared) cannot key a dict.
    points = [
        (response.manual_points if response.manual_points is not None else response.auto_points)
        or 0.0
        for response in counted
    ]
    total_points = sum(points)
    total_max = sum(response.max_points for response in counted)
    for response, earned in zip(counted, points, strict=True):
        response.score_share = earned / response.max_points
        rest_max = total_max - response.max_points
        if rest_max > 0:
            response.rest_share = (total_points - earned) / rest_max


def response_shares_store(attempts, *, chunk_size: int = 500) -> int:
    """Recompute and save the shares of every response of the given attempts.

    `attempts` is a queryset of Attempt: submitted ones get their shares,
    any other keeps None. Scoring stores one attempt's shares as it goes
    (attempt_score); this is the bulk version, for `compute_statistics
    --shares` and for the migration that added the fields, which passes its
    historical model (so the Response model is looked up from the same
    registry). Returns how many responses were written.
    """
    response_model = attempts.model._meta.apps.get_model("assessments", "Response")
    ids = list(attempts.order_by("pk").values_list("pk", "state"))
    written = 0
    for start in range(0, len(ids), chunk_size):
        batch = dict(ids[start : start + chunk_size])
        by_attempt = defaultdict(list)
        for response in (
            response_model.objects.filter(item__attempt_id__in=batch)
            .annotate(attempt_key=F("item__attempt_id"))
            .only("manual_points", "auto_points", "max_points", "pending_review")
            .order_by()
        ):
            by_attempt[response.attempt_key].append(response)
        changed = []
        for attempt_id, responses in by_attempt.items():
            response_shares(responses, submitted=batch[attempt_id] == Attempt.State.SUBMITTED)
            changed.extend(responses)
        response_model.objects.bulk_update(
            changed, ["score_share", "rest_share"], batch_size=CHUNK_SIZE
        )
        written += len(changed)
    return written


# Two statements read the shares scoring stored. Both walk the responses in
# table order and look each item up by its key: CROSS JOIN is an inner join
# whose order SQLite keeps (its own choice, the question index first, read
# the responses in random order and took three times as long); PostgreSQL
# plans it like any other join.
_SUMS_SQL = """
SELECT aq.{aq_question}, COUNT(*), SUM(r.{x}), COUNT(r.{y}),
    SUM(CASE WHEN r.{y} IS NOT NULL THEN r.{x} END),
    SUM(CASE WHEN r.{y} IS NOT NULL THEN r.{x} * r.{x} END),
    SUM(r.{y}), SUM(r.{y} * r.{y}), SUM(r.{x} * r.{y})
FROM {response} r
CROSS JOIN {attempt_question} aq
WHERE aq.{aq_id} = r.{item} AND r.{x} IS NOT NULL{question_filter}
GROUP BY aq.{aq_question}
"""

# The answers to choice questions, for the option counts: one row per
# response, because the upper and lower groups rank every response. Ranking
# them with window functions was no faster on PostgreSQL and three times
# slower on SQLite than this plain sort, which both do faster than Python
# (make bench). Shares lie in [0, 1], so -1 for "no rest of test" sorts
# those rows first.
_CHOICE_ROWS_SQL = """
SELECT aq.{aq_question}, COALESCE(r.{y}, -1.0), aq.{aq_attempt}, r.{answer}
FROM {response} r
CROSS JOIN {attempt_question} aq
CROSS JOIN {question} q
WHERE aq.{aq_id} = r.{item} AND q.{question_id} = aq.{aq_question}
    AND r.{x} IS NOT NULL AND q.{type} IN ({choice_types}){question_filter}
ORDER BY 1, 2, 3
"""


def _statement(template: str, question_ids: list[int] | None) -> tuple[str, list]:
    """One of the statements above with this database's names, and its parameters."""
    quote = connection.ops.quote_name

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    choice_types = list(Question.CHOICE_TYPES)
    names = {
        "response": quote(Response._meta.db_table),
        "attempt_question": quote(AttemptQuestion._meta.db_table),
        "question": quote(Question._meta.db_table),
        "x": column(Response, "score_share"),
        "y": column(Response, "rest_share"),
        "answer": column(Response, "answer"),
        "item": column(Response, "item"),
        "aq_id": column(AttemptQuestion, "id"),
        "aq_attempt": column(AttemptQuestion, "attempt"),
        "aq_question": column(AttemptQuestion, "question"),
        "question_id": column(Question, "id"),
        "type": column(Question, "type"),
        "choice_types": ", ".join(["%s"] * len(choice_types)),
        "question_filter": "",
    }
    params: list = choice_types if "{choice_types}" in template else []
    if question_ids is not None:
        marks = ", ".join(["%s"] * len(question_ids))
        names["question_filter"] = f" AND aq.{names['aq_question']} IN ({marks})"
        params = [*params, *question_ids]
    return template.format(**names), params


def _fetch(template: str, question_ids: list[int] | None) -> list[tuple]:
    sql, params = _statement(template, question_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _option_counts(question_ids: list[int] | None) -> dict[int, dict]:
    """Option use by everyone and by the upper and lower 27% of each choice question's takers.

    Kelley's groups: the candidates who saw the question, ranked by their
    rest-of-test share, ties by attempt id so reruns give the same groups.
    Responses without a rest of test count in "all" only.
    """
    # Each question's rows come in rank order: unranked first, then by
    # rest-of-test share, then attempt id.
    rows = _fetch(_CHOICE_ROWS_SQL, question_ids)
    picked: dict[int, Counter] = {}
    ranked: dict[int, list] = {}
    for question_id, group in groupby(rows, key=itemgetter(0)):
        answers = [row[3] for row in group]
        picked[question_id] = Counter(answers)
        unranked = bisect_left(rows, (question_id, 0.0)) - bisect_left(rows, (question_id,))
        ranked[question_id] = answers[unranked:]
    counts: dict[int, dict] = {pk: {} for pk in picked}
    for question_id, choice_id in (
        Choice.objects.filter(question_id__in=list(picked))
        .order_by()
        .values_list("question_id", "pk")
    ):
        counts[question_id][str(choice_id)] = {"all": 0, "upper": 0, "lower": 0}
    decode = Response._meta.get_field("answer").from_db_value
    picks: dict = {}  # raw answer -> the choice ids it names

    def tally(options: dict, group: str, answers: Counter) -> None:
        for raw, times in answers.items():
            if raw not in picks:
                picks[raw] = _picks(decode(raw, None, connection))
            for pick in picks[raw] & options.keys():
                options[pick][group] += times

    for question_id, options in counts.items():
        tally(options, "all", picked[question_id])
        order = ranked[question_id]
        size = _group_size(len(order))
        if size:
            tally(options, "lower", Counter(order[:size]))
            tally(options, "upper", Counter(order[-size:]))
    return counts


def question_stats_compute(*, question_ids=None, now=None) -> int:
    """Recompute QuestionStat for every question version in submitted attempts.

    Reads the shares scoring stored on each response (see response_shares):
    facility is the mean score share, discrimination Pearson's r between
    score share and rest-of-test share, from sums the database adds up.
    With `question_ids`, only those versions. Versions that no longer have a
    scored response lose their row. Returns how many rows were written.

    Queries: the sums, the answers to choice questions (ranked here), their
    choices, one upsert per 1,000 rows, one delete.
    """
    now = now or timezone.now()
    wanted = sorted(set(question_ids)) if question_ids is not None else None
    if wanted == []:
        sums, options = [], {}
    else:
        sums = _fetch(_SUMS_SQL, wanted)
        options = _option_counts(wanted)
    stats = []
    for question_id, n, sum_x, pairs, paired_x, paired_xx, sum_y, sum_yy, sum_xy in sums:
        facility = discrimination = None
        if n >= MIN_RESPONSES:
            facility = sum_x / n
            if pairs >= MIN_RESPONSES:
                discrimination = _pearson(pairs, paired_x, sum_y, paired_xx, sum_yy, sum_xy)
        stats.append(
            QuestionStat(
                question_id=question_id,
                responses=n,
                facility=facility,
                discrimination=discrimination,
                option_counts=options.get(question_id, {}),
                computed_at=now,
            )
        )
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
        stale = QuestionStat.objects.exclude(question_id__in=[stat.question_id for stat in stats])
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
