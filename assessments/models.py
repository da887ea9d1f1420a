import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from roles.models import LibraryContent


class Difficulty(models.IntegerChoices):
    """Question difficulty, on the same scale as the seniority levels' rank."""

    JUNIOR = 1, _("Junior")
    MID = 2, _("Mid-level")
    SENIOR = 3, _("Senior")
    LEAD = 4, _("Lead")


class SqlDataset(LibraryContent):
    """A small database that SQL questions run against, rebuilt in memory for every run."""

    name = models.SlugField(max_length=50)
    description = models.CharField(max_length=300, blank=True)
    setup_sql = models.TextField(
        help_text=_("CREATE TABLE and INSERT statements that build the dataset."),
    )
    owner = models.ForeignKey(
        "recruiting.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sql_datasets",
        help_text=_("Empty for the global library."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name", "pk")
        verbose_name = _("SQL dataset")
        constraints = [
            models.UniqueConstraint(
                fields=("name",),
                condition=Q(owner__isnull=True),
                name="assessments_dataset_global_name_unique",
            ),
            models.UniqueConstraint(
                fields=("owner", "name"), name="assessments_dataset_owner_name_unique"
            ),
        ]

    def __str__(self):
        return self.name


class QuestionQuerySet(models.QuerySet):
    def global_library(self):
        return self.filter(owner__isnull=True)

    def published(self):
        return self.filter(status=Question.Status.PUBLISHED)

    def drawable(self):
        """The newest published version of each question: what new attempts may draw.

        An older published version stops being drawn as soon as a newer version
        of the same question is published; attempts that used it keep it.
        """
        newer = Question.objects.filter(
            lineage=OuterRef("lineage"),
            version__gt=OuterRef("version"),
            status=Question.Status.PUBLISHED,
        )
        return self.published().exclude(Exists(newer))

    def latest_versions(self):
        """One row per question: its newest version, whatever the status."""
        newer = Question.objects.filter(
            lineage=OuterRef("lineage"), version__gt=OuterRef("version")
        )
        return self.exclude(Exists(newer))

    def for_skill(self, skill):
        return self.filter(skill=skill)

    def with_keys(self):
        """Everything `grading_key()` reads, in a fixed number of queries."""
        return self.select_related(
            "skill", "short_answer_key", "numeric_key", "sql_key__dataset"
        ).prefetch_related("choices", "rubric_criteria")


class Question(LibraryContent):
    """One version of a question. Versions of the same question share a `lineage`.

    A version that an attempt has drawn is locked (`locked_at`) and never
    changes again: edits create a new version linked to it by `previous`.
    """

    class Type(models.TextChoices):
        SINGLE_CHOICE = "single_choice", _("Single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True / false")
        SHORT_ANSWER = "short_answer", _("Short answer")
        NUMERIC = "numeric", _("Numeric")
        SQL = "sql", _("SQL query")
        FREE_TEXT = "free_text", _("Free text")

    CHOICE_TYPES = (Type.SINGLE_CHOICE, Type.MULTIPLE_CHOICE, Type.TRUE_FALSE)

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lineage = models.UUIDField(
        default=uuid.uuid4,
        editable=False,
        help_text=_("Shared by every version of the same question."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="next_version",
    )
    slug = models.SlugField(
        max_length=120, help_text=_("Stable identifier used by import and export.")
    )
    skill = models.ForeignKey("roles.Skill", on_delete=models.PROTECT, related_name="questions")
    difficulty = models.PositiveSmallIntegerField(
        choices=Difficulty, help_text=_("1 Junior … 4 Lead: the level the question discriminates.")
    )
    type = models.CharField(max_length=20, choices=Type)
    prompt = models.TextField(help_text=_("Markdown. Fenced code blocks are highlighted."))
    explanation = models.TextField(
        help_text=_("Markdown. Why the key is right; shown to recruiters in reports.")
    )
    points = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    suggested_seconds = models.PositiveIntegerField(
        default=90, validators=[MinValueValidator(10), MaxValueValidator(3600)]
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    owner = models.ForeignKey(
        "recruiting.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questions",
        help_text=_("Empty for the global library; otherwise one organisation's private question."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authored_questions",
    )
    locked_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When an attempt first drew this version; locked versions never change."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ("skill__name", "difficulty", "slug", "-version", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("lineage", "version"), name="assessments_question_one_row_per_version"
            ),
            # Import and export identify global questions by slug.
            models.UniqueConstraint(
                fields=("slug", "version"),
                condition=Q(owner__isnull=True),
                name="assessments_question_global_slug_version",
            ),
            models.CheckConstraint(
                condition=Q(difficulty__gte=1, difficulty__lte=4),
                name="assessments_question_difficulty_range",
            ),
            models.CheckConstraint(
                condition=Q(points__gte=1), name="assessments_question_points_positive"
            ),
            models.CheckConstraint(
                condition=Q(
                    type__in=[
                        "single_choice",
                        "multiple_choice",
                        "true_false",
                        "short_answer",
                        "numeric",
                        "sql",
                        "free_text",
                    ]
                ),
                name="assessments_question_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_review", "published", "retired"]),
                name="assessments_question_status_valid",
            ),
        ]
        indexes = [
            # Drawing: published questions of one skill and difficulty range.
            models.Index(fields=("skill", "status", "difficulty"), name="assessments_q_draw_idx"),
            # drawable()/latest_versions(): newer versions of the same lineage.
            models.Index(fields=("lineage", "version"), name="assessments_q_lineage_idx"),
        ]

    def __str__(self):
        return f"{self.slug} v{self.version}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_choice_type(self) -> bool:
        return self.type in self.CHOICE_TYPES

    def grading_key(self) -> dict:
        """The answer key as the graders read it (see assessments/grading).

        Reads the related key rows; use `Question.objects.with_keys()` to
        fetch many questions without a query per row.
        """
        key = {"type": self.type, "points": self.points}
        if self.is_choice_type:
            key["choices"] = [
                {
                    "id": str(choice.pk),
                    "text": choice.text,
                    "correct": choice.is_correct,
                    "feedback": choice.feedback,
                }
                for choice in self.choices.all()
            ]
        elif self.type == self.Type.SHORT_ANSWER:
            short = getattr(self, "short_answer_key", None)
            key.update(short.as_key() if short else {"accepted": []})
        elif self.type == self.Type.NUMERIC:
            numeric = getattr(self, "numeric_key", None)
            key.update(numeric.as_key() if numeric else {})
        elif self.type == self.Type.SQL:
            sql = getattr(self, "sql_key", None)
            key.update(sql.as_key() if sql else {})
        elif self.type == self.Type.FREE_TEXT:
            key["rubric"] = [
                {"criterion": criterion.criterion, "points": criterion.points}
                for criterion in self.rubric_criteria.all()
            ]
        return key


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.TextField(help_text=_("Markdown allowed."))
    is_correct = models.BooleanField(default=False)
    feedback = models.CharField(
        max_length=500, blank=True, help_text=_("Optional; shown in reports next to this choice.")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("question", "position", "pk")

    def __str__(self):
        return self.text[:60]


class ShortAnswerKey(models.Model):
    question = models.OneToOneField(
        Question, on_delete=models.CASCADE, related_name="short_answer_key"
    )
    accepted = models.TextField(
        blank=True, help_text=_("One accepted answer per line; all are equally correct.")
    )
    case_sensitive = models.BooleanField(
        default=False, help_text=_("Off: answers match whatever their capitalisation.")
    )
    regex = models.CharField(
        max_length=500,
        blank=True,
        help_text=_("Optional Python regular expression matched against the whole answer."),
    )

    class Meta:
        verbose_name = _("short answer key")

    def __str__(self):
        return f"Key for {self.question}"

    @property
    def accepted_list(self) -> list[str]:
        return [line.strip() for line in self.accepted.splitlines() if line.strip()]

    def as_key(self) -> dict:
        return {
            "accepted": self.accepted_list,
            "case_sensitive": self.case_sensitive,
            "regex": self.regex,
        }


class NumericKey(models.Model):
    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="numeric_key")
    value = models.DecimalField(max_digits=20, decimal_places=6)
    tolerance = models.DecimalField(
        max_digits=20,
        decimal_places=6,
        default=0,
        help_text=_("Absolute: answers within value ± tolerance are correct."),
    )

    class Meta:
        verbose_name = _("numeric key")
        constraints = [
            models.CheckConstraint(
                condition=Q(tolerance__gte=0), name="assessments_numeric_tolerance_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.value} ± {self.tolerance}"

    def as_key(self) -> dict:
        return {"value": _plain_number(self.value), "tolerance": _plain_number(self.tolerance)}


def _plain_number(value):
    """6.000000 -> 6, 2.500000 -> 2.5: keys and exports show numbers as people write them."""
    if value == value.to_integral_value():
        return int(value)
    return float(value.normalize())


class SqlKey(models.Model):
    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="sql_key")
    dataset = models.ForeignKey(SqlDataset, on_delete=models.PROTECT, related_name="keys")
    reference_query = models.TextField(
        help_text=_("A correct query; candidates' results are compared with its result.")
    )
    order_matters = models.BooleanField(
        default=False, help_text=_("On only when the prompt asks for a specific row order.")
    )

    class Meta:
        verbose_name = _("SQL key")

    def __str__(self):
        return f"SQL key for {self.question}"

    def as_key(self) -> dict:
        return {
            "setup_sql": self.dataset.setup_sql,
            "reference_query": self.reference_query,
            "order_matters": self.order_matters,
        }


class RubricCriterion(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="rubric_criteria")
    criterion = models.CharField(max_length=500)
    points = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("question", "position", "pk")
        verbose_name_plural = _("rubric criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gte=1), name="assessments_rubric_points_positive"
            ),
        ]

    def __str__(self):
        return self.criterion[:60]


class AssessmentQuerySet(models.QuerySet):
    def for_organization(self, organization):
        return self.filter(organization=organization)


class Assessment(models.Model):
    """A test built for one role profile, owned by one organisation."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(
        "recruiting.Organization", on_delete=models.CASCADE, related_name="assessments"
    )
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    role_profile = models.ForeignKey(
        "roles.RoleProfile", on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    time_limit_minutes = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    pass_mark = models.PositiveSmallIntegerField(
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Overall percentage needed to pass."),
    )
    instructions = models.TextField(blank=True, help_text=_("Markdown, shown before the start."))
    shuffle_questions = models.BooleanField(default=True)
    shuffle_choices = models.BooleanField(default=True)
    show_results_to_candidate = models.BooleanField(
        default=False, help_text=_("Candidates see their per-skill results (never the keys).")
    )
    public_link_enabled = models.BooleanField(
        default=False,
        help_text=_("Anyone with the public link can enter a name and email to take it."),
    )
    ask_fullscreen = models.BooleanField(
        default=False,
        help_text=_("Ask candidates to work in full screen; leaving it is recorded, not blocked."),
    )
    blind_grading = models.BooleanField(
        default=False,
        help_text=_("Hide candidates' names from graders until every written answer is graded."),
    )
    public_token = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "closed"]),
                name="assessments_assessment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=0, pass_mark__lte=100),
                name="assessments_assessment_pass_mark_range",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.public_token:
            from recruiting.models import new_token

            self.public_token = new_token()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("assessments:detail", args=[self.code])


class Section(models.Model):
    """One skill's share of an assessment: how many questions, at which difficulties."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="sections")
    skill = models.ForeignKey("roles.Skill", on_delete=models.PROTECT, related_name="+")
    question_count = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    difficulty_min = models.PositiveSmallIntegerField(choices=Difficulty, default=1)
    difficulty_max = models.PositiveSmallIntegerField(choices=Difficulty, default=4)
    weight = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("How much the section counts in the overall score (the profile's weight)."),
    )
    position = models.PositiveSmallIntegerField(default=0)
    pinned_questions = models.ManyToManyField(
        Question,
        blank=True,
        related_name="pinned_in",
        help_text=_("Always asked, in place of randomly drawn questions."),
    )

    class Meta:
        ordering = ("assessment", "position", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("assessment", "skill"), name="assessments_section_one_per_skill"
            ),
            models.CheckConstraint(
                condition=Q(difficulty_min__gte=1, difficulty_max__lte=4)
                & Q(difficulty_min__lte=models.F("difficulty_max")),
                name="assessments_section_difficulty_range",
            ),
            models.CheckConstraint(
                condition=Q(question_count__gte=1), name="assessments_section_count_positive"
            ),
        ]

    def __str__(self):
        return f"{self.skill} ({self.question_count})"


class Attempt(models.Model):
    """One candidate's sitting of an assessment, from Start to submission.

    The questions are drawn when the candidate opens the link (state
    "prepared"), so pressing Start only starts the clock: the expensive part
    of starting is spread over the hour before a hiring day's 9:00 instead of
    landing on it. The deadline is the server's: start + time limit x
    accommodation. Exactly one attempt exists per invitation (the one-to-one
    key), however often the link is opened or Start is pressed.
    """

    class State(models.TextChoices):
        # Drawn when the candidate opened the link, not started: no clock runs,
        # no answer is accepted, and it is not a result (see attempt_prepare).
        PREPARED = "prepared", _("Prepared")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    class Finish(models.TextChoices):
        CANDIDATE = "candidate", _("Submitted by the candidate")
        TIME_UP = "time_up", _("Submitted when time ran out")

    invitation = models.OneToOneField(
        "recruiting.Invitation", on_delete=models.CASCADE, related_name="attempt"
    )
    # The invitation's assessment, copied when the attempt is drawn: the results
    # table then filters, counts and sorts one table from one index instead of
    # joining every invitation of the assessment (make bench, 10,000 attempts).
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="attempts", db_index=False
    )
    seed = models.BigIntegerField(help_text=_("Seeds the draw and the shuffles."))
    state = models.CharField(max_length=20, choices=State, default=State.IN_PROGRESS)
    started_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.CharField(max_length=20, choices=Finish, blank=True)
    start_ip = models.GenericIPAddressField(null=True, blank=True)
    start_device = models.CharField(max_length=64, blank=True)
    last_ip = models.GenericIPAddressField(null=True, blank=True)
    last_device = models.CharField(max_length=64, blank=True)
    # Scores, (re)computed by scoring; provisional while free-text answers wait.
    score_points = models.FloatField(null=True, blank=True)
    max_points = models.FloatField(null=True, blank=True)
    score_percent = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    provisional = models.BooleanField(default=False)
    skill_scores = models.JSONField(default=dict, blank=True)
    # Seniority fit (assessments/fit.py): the rank of the highest level met (0 = below
    # the first level), stored with the score so the results table sorts and filters on it.
    fit_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    fit_summary = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("-started_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["prepared", "in_progress", "submitted"]),
                name="assessments_attempt_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("started_at")),
                name="assessments_attempt_deadline_after_start",
            ),
            # Only a prepared attempt has no clock yet.
            models.CheckConstraint(
                condition=Q(state="prepared") | Q(started_at__isnull=False, deadline__isnull=False),
                name="assessments_attempt_started_has_clock",
            ),
        ]
        indexes = [
            # The periodic finaliser: attempts still open past their deadline.
            models.Index(fields=("state", "deadline"), name="assessments_attempt_due_idx"),
            # The results table: one assessment's attempts, counted and sorted by
            # score from the index alone.
            models.Index(
                fields=("assessment", "state", "score_percent"),
                name="assessments_att_results_idx",
            ),
        ]

    def __str__(self):
        return f"Attempt {self.pk} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.IN_PROGRESS


class AttemptQuestion(models.Model):
    """A question as one attempt shows it: the exact version, its place and choice order."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    choice_order = models.JSONField(default=list, blank=True)
    flagged = models.BooleanField(default=False)

    class Meta:
        ordering = ("attempt", "position")
        constraints = [
            models.UniqueConstraint(
                fields=("attempt", "position"), name="assessments_item_one_per_position"
            ),
            models.UniqueConstraint(
                fields=("attempt", "question"), name="assessments_item_question_once"
            ),
        ]

    def __str__(self):
        return f"{self.attempt} #{self.position}"


class Response(models.Model):
    """The candidate's answer to one attempt question, at its newest revision.

    Saves carry a revision number chosen by the browser; the server keeps the
    highest it has seen, so stale, reordered or replayed saves change nothing.
    """

    item = models.OneToOneField(AttemptQuestion, on_delete=models.CASCADE, related_name="response")
    answer = models.JSONField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(null=True, blank=True)
    seconds_spent = models.PositiveIntegerField(default=0)
    auto_points = models.FloatField(null=True, blank=True)
    max_points = models.FloatField(null=True, blank=True)
    feedback = models.TextField(blank=True)
    pending_review = models.BooleanField(default=False)
    manual_points = models.FloatField(null=True, blank=True)
    manual_scores = models.JSONField(default=dict, blank=True)
    manual_comment = models.TextField(blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    # Stored by scoring for question statistics (see statistics.response_shares):
    # points / max points, and the attempt's share on the rest of the test.
    # None while the attempt is open, for an answer waiting for review, and
    # for an answer worth nothing.
    score_share = models.FloatField(null=True, blank=True, editable=False)
    rest_share = models.FloatField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ("item",)
        indexes = [
            # The grading queue and the dashboard: only answers waiting for a grade.
            models.Index(
                fields=("item",),
                condition=Q(pending_review=True),
                name="assessments_resp_pending_idx",
            ),
        ]

    def __str__(self):
        return f"Response to {self.item}"

    @property
    def points(self):
        return self.manual_points if self.manual_points is not None else self.auto_points

    @property
    def is_answered(self) -> bool:
        return self.answer not in (None, "", [])


class IntegrityEvent(models.Model):
    """Something worth a recruiter's attention during an attempt; recorded, never blocking."""

    class Kind(models.TextChoices):
        FOCUS_LOST = "focus_lost", _("Left the page")
        PASTE = "paste", _("Pasted into an answer")
        COPY = "copy", _("Copied question text")
        FULLSCREEN_EXIT = "fullscreen_exit", _("Left full screen")
        NEW_DEVICE = "new_device", _("Continued on another device")
        IP_CHANGE = "ip_change", _("Continued from another network address")

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind)
    occurred_at = models.DateTimeField()
    position = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    length = models.PositiveIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("attempt", "occurred_at", "pk")
        indexes = [
            # The report's timeline and the results table's counts.
            models.Index(fields=("attempt", "occurred_at"), name="assessments_event_attempt_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.occurred_at:%H:%M:%S}"


class QuestionStat(models.Model):
    """How one question version performs, recomputed from submitted attempts.

    Facility: the mean share of the points candidates earned. Discrimination:
    the point-biserial correlation between the item's score share and the
    rest of the test. Options: for choice questions, how often each choice
    was picked overall and by the top and bottom 27% of candidates.
    """

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="stat")
    responses = models.PositiveIntegerField(default=0)
    facility = models.FloatField(null=True, blank=True)
    discrimination = models.FloatField(null=True, blank=True)
    option_counts = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ("question",)
        indexes = [
            # Admin filters: too easy, too hard, poorly discriminating.
            models.Index(fields=("facility",), name="assessments_stat_facility_idx"),
            models.Index(fields=("discrimination",), name="assessments_stat_discrim_idx"),
        ]

    def __str__(self):
        return f"Statistics for {self.question}"


class AssessmentStat(models.Model):
    """Reliability and score distribution of one assessment's submitted attempts."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="stat")
    attempts = models.PositiveIntegerField(default=0)
    mean_percent = models.FloatField(null=True, blank=True)
    sd_percent = models.FloatField(null=True, blank=True)
    reliability = models.FloatField(
        null=True, blank=True, help_text=_("Cronbach's alpha (KR-20 when every item is 0/1).")
    )
    distribution = models.JSONField(
        default=list, blank=True, help_text=_("Attempts per 10-point band of the overall score.")
    )
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ("assessment",)

    def __str__(self):
        return f"Statistics for {self.assessment}"
