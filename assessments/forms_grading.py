"""The rubric form: one score per criterion and a comment (checked again by response_grade)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .grading_services import MAX_COMMENT_CHARS


class RubricGradeForm(forms.Form):
    """Fields `score_0` … `score_n` built from the question's rubric, then `comment`."""

    comment = forms.CharField(
        label=_("Comment for the hiring team"),
        required=False,
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Never shown to the candidate."),
    )

    def __init__(self, *args, rubric: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        scores = {}
        for index, criterion in enumerate(rubric):
            points = criterion["points"]
            scores[f"score_{index}"] = forms.FloatField(
                label=criterion["criterion"],
                min_value=0,
                max_value=points,
                # Halves are the usual granularity; the server accepts any value in range.
                widget=forms.NumberInput(
                    attrs={
                        "step": "0.5",
                        "class": "form-control score-input",
                        "inputmode": "decimal",
                    }
                ),
                error_messages={
                    "required": _("Give a score for this criterion."),
                    "invalid": _("Enter a number."),
                    "min_value": _("The score cannot be below 0."),
                    "max_value": _("The score cannot be above %(limit_value)s."),
                },
            )
        # Scores first, in rubric order, then the comment.
        self.fields = {**scores, "comment": self.fields["comment"]}

    def criteria(self):
        """(criterion, bound field) pairs for the template, in rubric order."""
        return [(criterion, self[f"score_{index}"]) for index, criterion in enumerate(self.rubric)]

    def scores(self) -> dict[int, float]:
        return {index: self.cleaned_data[f"score_{index}"] for index in range(len(self.rubric))}

    @staticmethod
    def initial_for(response) -> dict:
        """A graded answer's stored scores and comment, to change them."""
        initial = {"comment": response.manual_comment}
        for index, points in (response.manual_scores or {}).items():
            # 2.0 shows as "2": the number a grader would have typed.
            initial[f"score_{index}"] = f"{float(points):g}"
        return initial
