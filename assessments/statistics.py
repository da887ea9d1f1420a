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
from collections import Counter, defaultdict
from datetime import timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Sum, Value
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


def _pearson(pairs: list[tuple[float, float, int]]) -> float | None:
    """Pearson's r over (x, y, count) rows; None when either side is constant.

    The rows come grouped from the database, so each carries how many
    responses share its (x, y): two passes over a few hundred rows instead of
    one per response, with the same centred sums as the ungrouped formula.
    """
    n = sum(count for _x, _y, count in pairs)
    if n < 2:
        return None
    mean_x = sum(x * count for x, _y, count in pairs) / n
    mean_y = sum(y * count for _x, y, count in pairs) / n
    sxx = sum((x - mean_x) ** 2 * count for x, _y, count in pairs)
    syy = sum((y - mean_y) ** 2 * count for _x, y, count in pairs)
    if sxx <= EPSILON or syy <= EPSILON:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) * count for x, y, count in pairs)
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


# One statement does the per-response work in the database: each attempt's
# totals, then every response's score share x and rest-of-test share y,
# grouped by question and (x, y) so that few rows reach Python. Choice
# questions are the exception: their rows come one per response, ungrouped
# (grouping them only sorts), because the upper and lower groups are ranked
# by (y, attempt id) and a tie at a group's edge is settled by the attempt.
# Streaming every response through the ORM into Python took ten times as long
# as one plain aggregate over the same rows.
#
# `scored` is read twice (totals, shares), so both databases build it once;
# `shares` is read by both halves of the UNION: SQLite recomputes it faster
# than it stores it (NOT MATERIALIZED), PostgreSQL the other way round.
# CROSS JOIN is an inner join whose order SQLite keeps: it walks the items in
# attempt order by index. PostgreSQL plans it like any other join.
#
# The conditions repeat _scored_responses (submitted, not pending without a
# manual grade) plus `max_points <> 0`: a response worth nothing counts
# neither in the totals nor as an item.
_SHARES_SQL = """
WITH scored AS (
    SELECT aq.{aq_attempt} AS attempt_id, aq.{aq_question} AS question_id,
        q.{type} IN ({choice_types}) AS choice,
        COALESCE(r.{manual}, r.{auto}, 0.0) AS points, r.{max} AS max_points,
        CASE WHEN q.{type} IN ({choice_types}) THEN r.{answer} END AS answer
    FROM {attempt_question} aq
    CROSS JOIN {response} r
    CROSS JOIN {attempt} a
    CROSS JOIN {question} q
    WHERE r.{item} = aq.{aq_id} AND a.{attempt_id} = aq.{aq_attempt}
        AND q.{question_id} = aq.{aq_question} AND a.{state} = %s
        AND NOT (r.{pending} AND r.{manual} IS NULL) AND r.{max} <> 0{attempt_filter}
),
totals AS (
    SELECT attempt_id, SUM(points) AS points, SUM(max_points) AS max_points
    FROM scored
    GROUP BY attempt_id
),
shares AS {inline}(
    SELECT s.question_id, s.answer,
        CASE WHEN s.choice THEN s.attempt_id END AS choice_attempt,
        s.points / s.max_points AS x,
        CASE WHEN t.max_points - s.max_points > 0
            THEN (t.points - s.points) / (t.max_points - s.max_points)
        END AS y
    FROM scored s
    CROSS JOIN totals t
    WHERE t.attempt_id = s.attempt_id{question_filter}
)
SELECT question_id, choice_attempt, answer, x, y, 1
FROM shares
WHERE choice_attempt IS NOT NULL
UNION ALL
SELECT question_id, NULL, NULL, x, y, COUNT(*)
FROM shares
WHERE choice_attempt IS NULL
GROUP BY question_id, y, x
"""


def _can_inline() -> bool:
    """Whether to recompute `shares` for each half of the UNION rather than store it.

    On SQLite (3.35+ takes the hint) recomputing is faster; PostgreSQL stores
    a WITH query read twice, which measured faster there than inlining it.
    """
    return connection.vendor == "sqlite" and connection.Database.sqlite_version_info >= (3, 35)


def _shares_sql(question_ids: list[int] | None) -> tuple[str, list]:
    """The statement above with this database's table and column names, and its parameters."""
    quote = connection.ops.quote_name

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    choice_types = list(Question.CHOICE_TYPES)
    names = {
        "attempt_question": quote(AttemptQuestion._meta.db_table),
        "response": quote(Response._meta.db_table),
        "attempt": quote(Attempt._meta.db_table),
        "question": quote(Question._meta.db_table),
        "aq_id": column(AttemptQuestion, "id"),
        "aq_attempt": column(AttemptQuestion, "attempt"),
        "aq_question": column(AttemptQuestion, "question"),
        "item": column(Response, "item"),
        "manual": column(Response, "manual_points"),
        "auto": column(Response, "auto_points"),
        "max": column(Response, "max_points"),
        "pending": column(Response, "pending_review"),
        "answer": column(Response, "answer"),
        "attempt_id": column(Attempt, "id"),
        "state": column(Attempt, "state"),
        "question_id": column(Question, "id"),
        "type": column(Question, "type"),
        "choice_types": ", ".join(["%s"] * len(choice_types)),
        "attempt_filter": "",
        "question_filter": "",
        "inline": "NOT MATERIALIZED " if _can_inline() else "",
    }
    totals_params: list = choice_types * 2 + [Attempt.State.SUBMITTED.value]
    shares_params: list = []
    if question_ids is not None:
        marks = ", ".join(["%s"] * len(question_ids))
        # The attempts that contain one of them: their other answers make up
        # the rest of the test.
        names["attempt_filter"] = (
            f" AND aq.{names['aq_attempt']} IN (SELECT {names['aq_attempt']}"
            f" FROM {names['attempt_question']} WHERE {names['aq_question']} IN ({marks}))"
        )
        names["question_filter"] = f" AND s.question_id IN ({marks})"
        totals_params += question_ids
        shares_params += question_ids
    return _SHARES_SQL.format(**names), totals_params + shares_params


class _Item:
    """One question version: responses per (x, y) and, for choice questions, the answers."""

    def __init__(self):
        self.counts: dict[tuple[float, float | None], int] = defaultdict(int)
        self.choice = False
        # Raw (undecoded) answers: all of them with their counts, and in rank
        # order those with a rest-of-test share.
        self.answers: dict = defaultdict(int)
        self.ranked: list = []


def _items(question_ids: list[int] | None) -> dict[int, _Item]:
    items: dict[int, _Item] = defaultdict(_Item)
    sql, params = _shares_sql(question_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(CHUNK_SIZE):
            for question_id, choice_attempt, answer, x, y, count in batch:
                item = items[question_id]
                item.counts[x, y] += count
                if choice_attempt is not None:
                    # One row per response here (the attempt is part of the
                    # key), in (y, attempt id) order within the question.
                    item.choice = True
                    item.answers[answer] += count
                    if y is not None:
                        item.ranked.append((y, choice_attempt, answer))
    return items


def _option_counts(item: _Item, choice_ids: list[int]) -> dict:
    counts = {str(pk): {"all": 0, "upper": 0, "lower": 0} for pk in choice_ids}
    decode = Response._meta.get_field("answer").from_db_value
    picks: dict = {}

    def tally(group: str, answers) -> None:
        for raw, times in answers:
            if raw not in picks:
                picks[raw] = _picks(decode(raw, None, connection)) & counts.keys()
            for pick in picks[raw]:
                counts[pick][group] += times

    tally("all", item.answers.items())
    # Ranked by rest-of-test share, ties by attempt id (unique within a question).
    ranked = [answer for _y, _attempt, answer in sorted(item.ranked)]
    size = _group_size(len(ranked))
    if size:
        tally("lower", Counter(ranked[:size]).items())
        tally("upper", Counter(ranked[-size:]).items())
    return counts


def _question_stat(question_id: int, item: _Item, choice_ids, now) -> QuestionStat:
    rows = [(x, y, n) for (x, y), n in item.counts.items()]
    count = sum(n for _x, _y, n in rows)
    facility = discrimination = None
    if count >= MIN_RESPONSES:
        facility = sum(x * n for x, _y, n in rows) / count
        pairs = [row for row in rows if row[1] is not None]
        if sum(n for _x, _y, n in pairs) >= MIN_RESPONSES:
            discrimination = _pearson(pairs)
    return QuestionStat(
        question_id=question_id,
        responses=count,
        facility=facility,
        discrimination=discrimination,
        option_counts=_option_counts(item, choice_ids) if choice_ids is not None else {},
        computed_at=now,
    )


def question_stats_compute(*, question_ids=None, now=None) -> int:
    """Recompute QuestionStat for every question version in submitted attempts.

    With `question_ids`, only those versions (their rest-of-test scores still
    come from whole attempts). Versions that no longer have a scored response
    lose their row. Returns how many rows were written.

    Queries: one grouped read of the shares (see _SHARES_SQL), one for the
    choices of the choice questions seen, one upsert per 1,000 rows, one delete.
    """
    now = now or timezone.now()
    wanted = sorted(set(question_ids)) if question_ids is not None else None
    items = _items(wanted) if wanted != [] else {}

    choice_questions = [pk for pk, item in items.items() if item.choice]
    choices: dict[int, list[int]] = {pk: [] for pk in choice_questions}
    if choice_questions:
        for question_id, choice_id in (
            Choice.objects.filter(question_id__in=choice_questions)
            .order_by()
            .values_list("question_id", "pk")
        ):
            choices[question_id].append(choice_id)
    stats = [_question_stat(pk, item, choices.get(pk), now) for pk, item in items.items()]
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
        stale = QuestionStat.objects.exclude(question_id__in=list(items))
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
