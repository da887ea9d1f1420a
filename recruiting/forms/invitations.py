"""Forms for invitations: the recruiter's invite and extend forms, the candidate's forms."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from recruiting.models import Candidate, Invitation
from recruiting.services.candidates import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH
from recruiting.services.invitations import (
    EXPIRY_DAYS_DEFAULT,
    EXPIRY_DAYS_MAX,
    EXPIRY_DAYS_MIN,
)

MAX_NEW_PEOPLE = 200
NAME_AND_EMAIL = re.compile(r"^(?P<name>[^<>]*?)\s*<\s*(?P<email>[^<>\s]+)\s*>$")

NOTHING_CHOSEN = _("Choose at least one candidate, or type a new one.")
BAD_LINE = _("Line %(line)s: “%(text)s” is not in the form “Name <email>”.")
BAD_EMAIL = _("Line %(line)s: “%(email)s” is not a valid email address.")
TOO_LONG = _("Line %(line)s: the name or the email address is too long.")
TOO_MANY = _("Type at most %(max)s new candidates at once (import a CSV for more).")


def parse_people(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Lines of "Name <email>" (or a bare email) → ([(name, email)], [errors with line numbers])."""
    people, errors, seen = [], [], set()
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = NAME_AND_EMAIL.match(line)
        if match:
            name, email = match["name"].strip().strip('"').strip(), match["email"]
        elif " " not in line and "@" in line:
            name, email = "", line
        else:
            errors.append(BAD_LINE % {"line": number, "text": line})
            continue
        try:
            validate_email(email)
        except ValidationError:
            errors.append(BAD_EMAIL % {"line": number, "email": email})
            continue
        if len(name) > NAME_MAX_LENGTH or len(email) > EMAIL_MAX_LENGTH:
            errors.append(TOO_LONG % {"line": number})
            continue
        if email.lower() in seen:
            continue
        seen.add(email.lower())
        people.append((name or email.split("@")[0], email))
    return people, errors


class InvitationCreateForm(forms.Form):
    # Checkboxes are rendered by the template from the shown (searched) candidates;
    # the field accepts any candidate of the organisation, by code.
    candidates = forms.ModelMultipleChoiceField(
        queryset=Candidate.objects.none(),
        to_field_name="code",
        required=False,
        label=_("Existing candidates"),
    )
    new_people = forms.CharField(
        required=False,
        label=_("New candidates"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("Jane Doe <jane@example.com>")}),
        help_text=_(
            "One per line, as “Name &lt;email&gt;”. Someone already on your candidate list "
            "(same email) is reused, not duplicated."
        ),
    )
    expires_in_days = forms.IntegerField(
        label=_("Link expires after (days)"),
        min_value=EXPIRY_DAYS_MIN,
        max_value=EXPIRY_DAYS_MAX,
        initial=EXPIRY_DAYS_DEFAULT,
        help_text=_("Between 1 and 60 days. You can extend it later."),
    )
    extra_time_percent = forms.TypedChoiceField(
        label=_("Accommodation"),
        choices=Invitation.ACCOMMODATIONS,
        coerce=int,
        initial=0,
        widget=forms.RadioSelect,
        help_text=_("Extra time on the clock, for candidates who asked for an accommodation."),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = Candidate.objects.for_organization(organization)

    def clean_new_people(self):
        people, errors = parse_people(self.cleaned_data.get("new_people", ""))
        if len(people) > MAX_NEW_PEOPLE:
            errors.append(TOO_MANY % {"max": MAX_NEW_PEOPLE})
        if errors:
            raise ValidationError(errors)
        return people

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("candidates") and not cleaned.get("new_people"):
            raise ValidationError(NOTHING_CHOSEN)
        return cleaned


class InvitationExtendForm(forms.Form):
    days = forms.IntegerField(
        label=_("Extend by (days)"), min_value=EXPIRY_DAYS_MIN, max_value=EXPIRY_DAYS_MAX, initial=7
    )


class PublicLinkForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your email address"), max_length=254)
    consent = forms.BooleanField(
        label=_(
            "I agree that my answers and the events described on the next page are shared "
            "with this organisation’s hiring team."
        ),
        error_messages={"required": _("Tick the box to agree before you continue.")},
    )


class StartForm(forms.Form):
    consent = forms.BooleanField(
        label=_(
            "I have read the rules above and agree that my answers and these events are "
            "recorded and shared with the hiring team."
        ),
        error_messages={"required": _("Tick the box to agree before you start.")},
    )
