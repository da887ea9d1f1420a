"""Reads for the results pages: the table, the CSV export, the report and the comparison.

Every list is one query however many attempts there are: scores, skills and
fit live on the attempt row, integrity events are counted in the same query.
"""

from dataclasses import dataclass

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce, Now

from roles.models import RoleProfile

from .fit import PROFICIENCY_BAR, level_checks
from .models import Assessment, Attempt, IntegrityEvent

SORTS = {
    "name": ("invitation__candidate__name", "pk"),
    "-name": ("-invitation__candidate__name", "-pk"),
    "score": (F("score_percent").asc(nulls_first=True), "pk"),
    "-score": (F("score_percent").desc(nulls_last=True), "-pk"),
    "fit": (F("fit_rank").asc(nulls_first=True), "pk"),
    "-fit": (F("fit_rank").desc(nulls_last=True), "-pk"),
    "time": ("time_used", "pk"),
    "-time": ("-time_used", "-pk"),
    "integrity": ("integrity_count", "pk"),
    "-integrity": ("-integrity_count", "-pk"),
    "started": ("started_at", "pk"),
    "-started": ("-started_at", "-pk"),
}
DEFAULT_SORT = "-score"


def results_queryset(
    assessment: Assessment, *, sort: str = DEFAULT_SORT, filters=None, annotate: bool = True
):
    """Attempts of one assessment with everything a results row shows, in one query."""
    filters = filters or {}
    # A prepared attempt is a candidate who opened the link and has not started.
    rows = Attempt.objects.filter(assessment=assessment).exclude(state=Attempt.State.PREPARED)
    if filters.get("state") in Attempt.State.values:
        rows = rows.filter(state=filters["state"])
    if filters.get("stage"):
        rows = rows.filter(invitation__candidate__stage=filters["stage"])
    result = filters.get("result")
    if result == "passed":
        rows = rows.filter(passed=True)
    elif result == "failed":
        rows = rows.filter(passed=False)
    elif result == "provisional":
        rows = rows.filter(provisional=True)
    if str(filters.get("fit", "")).isdigit():
        rows = rows.filter(fit_rank=int(filters["fit"]))
    if not annotate:
        return rows
    return _row_fields(rows).order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


def _row_fields(rows):
    """The candidate, the integrity count and the time used, for each row."""
    # A correlated count rather than a join + GROUP BY over every attempt: the
    # database only evaluates it for the rows it returns (unless sorting on it).
    signals = (
        IntegrityEvent.objects.filter(attempt=OuterRef("pk"))
        .exclude(kind__in=["new_device", "ip_change"])
        .order_by()
        .values("attempt")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return rows.select_related("invitation__candidate").annotate(
        integrity_count=Coalesce(Subquery(signals, output_field=IntegerField()), 0),
        time_used=ExpressionWrapper(
            Coalesce(F("submitted_at"), Now()) - F("started_at"), output_field=DurationField()
        ),
    )


def results_page_rows(page_rows, *, sort: str = DEFAULT_SORT):
    """One page of results_queryset() (a slice of it), still in one query.

    The page's attempts are chosen by a narrow inner query (their keys, sorted),
    and only those are joined and annotated: sorting every attempt of the
    assessment with its candidate, scores and counts before the LIMIT grew with
    the assessment (35 ms at 10,000 attempts on SQLite, against 2 ms at 100).
    """
    keys = page_rows.values("pk")
    return _row_fields(Attempt.objects.filter(pk__in=keys)).order_by(
        *SORTS.get(sort, SORTS[DEFAULT_SORT])
    )


def section_skills(assessment: Assessment):
    """The assessment's skills in section order: the table's skill columns."""
    return [section.skill for section in assessment.sections.select_related("skill")]


def percentile(assessment: Assessment, score: float | None) -> float | None:
    """Percentile rank among the assessment's submitted attempts (ties count half)."""
    if score is None:
        return None
    counts = Attempt.objects.filter(assessment=assessment, state=Attempt.State.SUBMITTED).aggregate(
        below=Count("pk", filter=Q(score_percent__lt=score)),
        equal=Count("pk", filter=Q(score_percent=score)),
        total=Count("pk"),
    )
    if not counts["total"]:
        return None
    return round(100 * (counts["below"] + 0.5 * counts["equal"]) / counts["total"], 1)


def role_profiles(assessment: Assessment):
    return list(
        RoleProfile.objects.filter(role_id=assessment.role_profile.role_id)
        .select_related("level")
        .prefetch_related("role_skills__skill")
    )


@dataclass
class ChartBar:
    name: str
    score: float
    bar: float | None
    y: int

    @property
    def width(self) -> float:
        return round(self.score * CHART_SCALE, 1)

    @property
    def marker(self) -> float | None:
        return None if self.bar is None else round(self.bar * CHART_SCALE, 1)

    @property
    def below(self) -> bool:
        return self.bar is not None and self.score < self.bar


CHART_LABEL_WIDTH = 220
CHART_SCALE = 3.6  # px per percentage point: 100% = 360 px
CHART_ROW = 30


def skill_chart(attempt: Attempt, profiles) -> dict:
    """Coordinates for the report's SVG: each skill's score against the level's bar."""
    level_rank = attempt.invitation.assessment.role_profile.level.rank
    profile = next((p for p in profiles if p.level.rank == level_rank), None)
    expected = {}
    if profile is not None:
        expected = {
            rs.skill.slug: PROFICIENCY_BAR[rs.expected_proficiency]
            for rs in profile.role_skills.all()
        }
    skills = sorted(attempt.skill_scores.items(), key=lambda kv: kv[1]["skill"])
    bars = [
        ChartBar(name=data["skill"], score=float(data["percent"]), bar=expected.get(slug), y=i)
        for i, (slug, data) in enumerate(skills)
    ]
    for bar in bars:
        bar.y = 20 + bar.y * CHART_ROW
    return {
        "bars": bars,
        "height": 40 + len(bars) * CHART_ROW,
        "label_width": CHART_LABEL_WIDTH,
        "plot_width": round(100 * CHART_SCALE),
        "width": CHART_LABEL_WIDTH + round(100 * CHART_SCALE) + 60,
        "ticks": [{"x": round(t * CHART_SCALE), "label": t} for t in (0, 25, 50, 75, 100)],
    }


def fit_levels(attempt: Attempt, profiles):
    return level_checks(attempt.skill_scores, profiles)
