from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class LibraryContent(models.Model):
    """Rows that the content loader may create from the files in the repository.

    `library_checksum` is the fingerprint of the values the loader last wrote.
    When the row's current values no longer match it, someone edited the row
    in admin, and the loader keeps their edit unless told to overwrite.
    Rows that staff create themselves have an empty checksum and are never
    touched by the loader.
    """

    library_checksum = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True


class Role(LibraryContent):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.CharField(max_length=300, help_text=_("One sentence shown in the library."))
    focus = models.TextField(
        help_text=_("What this role does and how it differs from related roles."),
    )
    position = models.PositiveSmallIntegerField(default=0, help_text=_("Order in the library."))

    class Meta:
        ordering = ("position", "name", "pk")

    def __str__(self):
        return self.name


class SeniorityLevel(LibraryContent):
    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    rank = models.PositiveSmallIntegerField(
        unique=True,
        help_text=_("1 for the most junior level; question difficulty uses the same scale."),
    )
    summary = models.CharField(max_length=300)
    expectations = models.TextField(
        help_text=_("Autonomy, scope and what the level is trusted with.")
    )
    years_min = models.PositiveSmallIntegerField(help_text=_("Typical years of experience, from."))
    years_max = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Typical years of experience, to (empty: open-ended).")
    )

    class Meta:
        ordering = ("rank", "pk")
        constraints = [
            models.CheckConstraint(condition=Q(rank__gte=1), name="roles_level_rank_positive"),
            models.CheckConstraint(
                condition=Q(years_max__isnull=True) | Q(years_max__gte=models.F("years_min")),
                name="roles_level_years_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def years_label(self):
        if self.years_max is None:
            return _("%(min)s+ years") % {"min": self.years_min}
        return _("%(min)s–%(max)s years") % {"min": self.years_min, "max": self.years_max}


class RoleProfileQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("role", "level")


class RoleProfile(LibraryContent):
    """One role at one seniority level: what the job is and which skills weigh."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="profiles")
    level = models.ForeignKey(SeniorityLevel, on_delete=models.PROTECT, related_name="profiles")
    summary = models.TextField()
    responsibilities = models.TextField(help_text=_("One responsibility per line."))
    expectations = models.TextField(
        help_text=_("One line per thing a hiring manager should see in a candidate.")
    )
    skills = models.ManyToManyField("Skill", through="RoleSkill", related_name="profiles")

    objects = RoleProfileQuerySet.as_manager()

    class Meta:
        ordering = ("role__position", "role__name", "level__rank", "pk")
        constraints = [
            models.UniqueConstraint(fields=("role", "level"), name="roles_profile_one_per_level"),
        ]

    def __str__(self):
        return f"{self.role.name} — {self.level.name}"

    def get_absolute_url(self):
        return reverse("roles:profile", args=[self.role.slug, self.level.slug])

    @property
    def responsibility_list(self):
        return [line.strip() for line in self.responsibilities.splitlines() if line.strip()]

    @property
    def expectation_list(self):
        return [line.strip() for line in self.expectations.splitlines() if line.strip()]


class SkillCategory(LibraryContent):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "name", "pk")
        verbose_name_plural = _("skill categories")

    def __str__(self):
        return self.name


class Skill(LibraryContent):
    category = models.ForeignKey(SkillCategory, on_delete=models.PROTECT, related_name="skills")
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ("category__position", "name", "pk")

    def __str__(self):
        return self.name


class Proficiency(models.IntegerChoices):
    """Expected proficiency uses the same 1-4 scale as the seniority levels."""

    JUNIOR = 1, _("1 — Junior")
    MID = 2, _("2 — Mid-level")
    SENIOR = 3, _("3 — Senior")
    LEAD = 4, _("4 — Lead")


class RoleSkill(LibraryContent):
    """How much a skill weighs for a profile, and how well it must be mastered."""

    profile = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="role_skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="role_skills")
    weight = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (useful) to 5 (central to the job)."),
    )
    expected_proficiency = models.PositiveSmallIntegerField(
        choices=Proficiency,
        help_text=_("The level of mastery the profile expects, on the seniority scale."),
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("profile", "-weight", "skill__name", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("profile", "skill"), name="roles_roleskill_one_per_skill"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=5), name="roles_roleskill_weight_range"
            ),
            models.CheckConstraint(
                condition=Q(expected_proficiency__gte=1, expected_proficiency__lte=4),
                name="roles_roleskill_proficiency_range",
            ),
        ]

    def __str__(self):
        return f"{self.profile}: {self.skill} (weight {self.weight})"


class SalaryFact(LibraryContent):
    """A published salary figure with its source, attached to a role or one profile."""

    class Period(models.TextChoices):
        YEAR = "year", _("per year")
        MONTH = "month", _("per month")
        HOUR = "hour", _("per hour")

    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, null=True, blank=True, related_name="salary_facts"
    )
    profile = models.ForeignKey(
        RoleProfile, on_delete=models.CASCADE, null=True, blank=True, related_name="salary_facts"
    )
    region = models.CharField(max_length=100)
    currency = models.CharField(max_length=3, help_text=_("ISO 4217 code, such as USD or EUR."))
    amount_min = models.PositiveIntegerField()
    amount_max = models.PositiveIntegerField(help_text=_("Equal to the minimum for one figure."))
    period = models.CharField(max_length=10, choices=Period, default=Period.YEAR)
    source_name = models.CharField(max_length=200)
    source_url = models.URLField(blank=True)
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("region", "-year", "pk")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__isnull=False, profile__isnull=True)
                    | Q(role__isnull=True, profile__isnull=False)
                ),
                name="roles_salary_role_xor_profile",
            ),
            models.CheckConstraint(
                condition=Q(amount_max__gte=models.F("amount_min")),
                name="roles_salary_amounts_ordered",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100), name="roles_salary_year_range"
            ),
            models.CheckConstraint(
                condition=Q(period__in=["year", "month", "hour"]), name="roles_salary_period_valid"
            ),
        ]

    def __str__(self):
        subject = self.profile or self.role
        return f"{subject}, {self.region} {self.year}"

    @property
    def is_range(self):
        return self.amount_max != self.amount_min
