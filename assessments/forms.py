from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from roles.models import RoleProfile, Skill

from .models import Assessment, Difficulty, Question, SqlDataset
from .services import question_data_errors

DIFFICULTY_CHOICES = Difficulty.choices


class ProfileChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.role.name} — {obj.level.name}"


class NewAssessmentForm(forms.Form):
    profile = ProfileChoiceField(
        queryset=RoleProfile.objects.with_related(),
        label=_("Role profile"),
        empty_label=None,
    )
    question_count = forms.IntegerField(
        label=_("Number of questions"), min_value=5, max_value=60, initial=20
    )


class AssessmentSettingsForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = (
            "title",
            "time_limit_minutes",
            "pass_mark",
            "instructions",
            "shuffle_questions",
            "shuffle_choices",
            "show_results_to_candidate",
            "public_link_enabled",
            "ask_fullscreen",
            "blind_grading",
        )
        labels = {
            "time_limit_minutes": _("Time limit (minutes)"),
            "pass_mark": _("Pass mark (%)"),
            "shuffle_questions": _("Shuffle questions within each section"),
            "shuffle_choices": _("Shuffle answer choices"),
            "show_results_to_candidate": _("Show candidates their per-skill results"),
            "public_link_enabled": _("Public link: anyone with it can enter a name and email"),
            "ask_fullscreen": _("Ask candidates to work in full screen"),
            "blind_grading": _(
                "Blind grading: hide names from graders until all answers are graded"
            ),
        }
        widgets = {"instructions": forms.Textarea(attrs={"rows": 3})}


class SectionForm(forms.Form):
    skill = forms.ModelChoiceField(queryset=Skill.objects.select_related("category"))
    question_count = forms.IntegerField(label=_("Questions"), min_value=1, max_value=50)
    difficulty_min = forms.TypedChoiceField(label=_("From"), choices=DIFFICULTY_CHOICES, coerce=int)
    difficulty_max = forms.TypedChoiceField(label=_("To"), choices=DIFFICULTY_CHOICES, coerce=int)

    def clean(self):
        data = super().clean()
        low, high = data.get("difficulty_min"), data.get("difficulty_max")
        if low and high and low > high:
            raise forms.ValidationError(_("The lowest difficulty must not be above the highest."))
        return data


class QuestionForm(forms.Form):
    """An organisation-private question of any type, checked by the graders' own rules.

    Keys are typed as plain text, one item per line, which keeps the form one
    page for every question type.
    """

    type = forms.ChoiceField(choices=Question.Type.choices)
    skill = forms.ModelChoiceField(queryset=Skill.objects.select_related("category"))
    difficulty = forms.TypedChoiceField(choices=DIFFICULTY_CHOICES, coerce=int, initial=2)
    prompt = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown. Put code in fenced blocks (```python ... ```)."),
    )
    explanation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the answer is right; shown to your team in reports."),
    )
    points = forms.IntegerField(min_value=1, max_value=100, initial=1)
    suggested_seconds = forms.IntegerField(min_value=10, max_value=3600, initial=90)
    status = forms.ChoiceField(
        choices=[
            (Question.Status.PUBLISHED, _("Published: can be drawn now")),
            (Question.Status.DRAFT, _("Draft: keep it out of draws")),
        ]
    )
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label=_("Choices"),
        help_text=_(
            "Single, multiple choice and true/false: one choice per line; start each correct "
            "choice with an asterisk (*). For true/false write True and False."
        ),
    )
    accepted = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Accepted answers"),
        help_text=_("Short answer: one accepted answer per line."),
    )
    case_sensitive = forms.BooleanField(required=False, label=_("Case-sensitive"))
    regex = forms.CharField(
        required=False,
        max_length=500,
        label=_("Regular expression"),
        help_text=_("Short answer, optional: matched against the whole answer."),
    )
    value = forms.DecimalField(
        required=False, max_digits=20, decimal_places=6, label=_("Numeric answer")
    )
    tolerance = forms.DecimalField(
        required=False, max_digits=20, decimal_places=6, min_value=0, initial=0
    )
    dataset = forms.ModelChoiceField(
        queryset=SqlDataset.objects.none(), required=False, label=_("SQL dataset")
    )
    reference_query = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "font-monospace"}),
        label=_("Reference query"),
    )
    order_matters = forms.BooleanField(required=False, label=_("Row order matters"))
    rubric = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Rubric"),
        help_text=_(
            "Free text: one criterion per line as “points | criterion”; points add up to the "
            "question's points."
        ),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["dataset"].queryset = SqlDataset.objects.filter(
            Q(owner__isnull=True) | Q(owner=organization)
        )

    def to_bank_item(self, slug: str) -> dict:
        data = self.cleaned_data
        item = {
            "slug": slug,
            "skill": data["skill"].slug,
            "difficulty": data["difficulty"],
            "type": data["type"],
            "prompt": data["prompt"],
            "explanation": data["explanation"],
            "points": data["points"],
            "suggested_seconds": data["suggested_seconds"],
            "status": data["status"],
        }
        question_type = data["type"]
        if question_type in Question.CHOICE_TYPES:
            item["choices"] = [
                {"text": line.lstrip("*").strip(), "correct": line.startswith("*")}
                for line in (raw.strip() for raw in data["choices"].splitlines())
                if line
            ]
        elif question_type == Question.Type.SHORT_ANSWER:
            item["accepted"] = [line.strip() for line in data["accepted"].splitlines()]
            item["case_sensitive"] = data["case_sensitive"]
            item["regex"] = data["regex"]
        elif question_type == Question.Type.NUMERIC:
            item["value"] = data["value"]
            item["tolerance"] = data["tolerance"] or 0
        elif question_type == Question.Type.SQL:
            item["dataset"] = data["dataset"].name if data["dataset"] else None
            item["reference_query"] = data["reference_query"]
            item["order_matters"] = data["order_matters"]
        elif question_type == Question.Type.FREE_TEXT:
            item["rubric"] = self._rubric(data["rubric"])
        return item

    def _rubric(self, text: str) -> list[dict]:
        rubric = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            points, _sep, criterion = line.partition("|")
            try:
                rubric.append({"points": int(points.strip()), "criterion": criterion.strip()})
            except ValueError:
                raise forms.ValidationError(
                    _("Rubric line %(n)d must look like “2 | Names the trade-off”.") % {"n": number}
                ) from None
        return rubric

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data["type"] == Question.Type.NUMERIC and data.get("value") is None:
            self.add_error("value", _("Enter the correct number."))
            return data
        if data["type"] == Question.Type.SQL and not data.get("dataset"):
            self.add_error("dataset", _("Choose the dataset the query runs against."))
            return data
        item = self.to_bank_item("preview")
        datasets = {ds.name: ds.setup_sql for ds in self.fields["dataset"].queryset}
        skills = {data["skill"].slug}
        errors = question_data_errors(item, datasets=datasets, skills=skills)
        if errors:
            raise forms.ValidationError(errors)
        return data
