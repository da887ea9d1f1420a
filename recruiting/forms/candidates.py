"""Forms for the candidate pages: filters, add/edit, stage, notes and the CSV import."""

import csv
import io
import re
import uuid
from datetime import timedelta

from django import forms
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from recruiting.models import Stage
from recruiting.services.candidates import (
    EMAIL_MAX_LENGTH,
    NAME_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    tags_normalize,
    tags_problem,
)

IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_ROWS = 5000
IMPORT_PREVIEW_MAX_AGE = timedelta(hours=2)
BULK_MAX = 100

FILE_TOO_BIG = gettext_lazy(
    "The file is larger than 5 MB. Split it into smaller files and import them one by one."
)
FILE_EMPTY = gettext_lazy("The file is empty.")
FILE_NOT_UTF8 = gettext_lazy(
    "The file is not UTF-8 text (the first byte that is not UTF-8 is at position "
    "%(position)d). Save it as “CSV UTF-8” in your spreadsheet program and upload it again."
)
FILE_SPREADSHEET = gettext_lazy(
    "This looks like a spreadsheet workbook, not a CSV file. In your spreadsheet program, "
    "save it as “CSV UTF-8” and upload that file."
)
FILE_BINARY = gettext_lazy(
    "The file contains NUL bytes, so it is not a text CSV file. Save it as “CSV UTF-8” "
    "and upload it again."
)
FILE_NO_HEADERS = gettext_lazy(
    "The first row must name the columns, including “name” and “email”. Found: %(found)s."
)
FILE_NO_ROWS = gettext_lazy("The file has a header row but no candidates under it.")
FILE_TOO_MANY_ROWS = gettext_lazy(
    "The file has more than %(max)s rows. Split it into smaller files and import them one by one."
)
FILE_UNREADABLE = gettext_lazy("The file could not be read as CSV near line %(line)d: %(error)s")
PAYLOAD_INVALID = gettext_lazy(
    "This import could not be verified (it was changed, or it belongs to another "
    "organisation). Nothing was imported; upload the file again."
)
PAYLOAD_EXPIRED = gettext_lazy(
    "This preview is more than two hours old. Nothing was imported; upload the file again."
)

TAG_SEPARATORS = re.compile(r"[;|]")


def import_signing_salt(organization) -> str:
    # Salting with the organisation means a payload signed for one organisation's
    # preview cannot be replayed into another's.
    return f"recruiting.candidate-import.{organization.pk}"


class TagsField(forms.CharField):
    """Comma-separated input → list of trimmed, lower-cased, unique tags."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 1000)
        kwargs.setdefault(
            "help_text", gettext_lazy("Separate tags with commas, e.g. python, remote.")
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def clean(self, value):
        text = super().clean(value)
        tags = tags_normalize(text.split(","))
        problem = tags_problem(tags)
        if problem:
            raise forms.ValidationError(problem)
        return tags


class CandidateForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=NAME_MAX_LENGTH)
    email = forms.EmailField(label=gettext_lazy("Email address"), max_length=EMAIL_MAX_LENGTH)
    tags = TagsField(label=gettext_lazy("Tags"))


class CandidateFilterForm(forms.Form):
    """The list's GET filters; an invalid field is reported and ignored."""

    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("Name or email"), "type": "search"}
        ),
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("Stage"),
        required=False,
        choices=[("", gettext_lazy("All stages")), *Stage.choices],
    )
    # A plain choice over a list read once: a ModelChoiceField would query again to
    # validate the chosen code, and once more to render the menu.
    assessment = forms.ChoiceField(label=gettext_lazy("Assessment"), required=False)
    tag = forms.CharField(
        label=gettext_lazy("Tag"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("e.g. python")}),
    )

    def __init__(self, *args, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessments = {str(assessment.code): assessment for assessment in assessments}
        self.fields["assessment"].choices = [
            ("", gettext_lazy("Any assessment")),
            *((code, assessment.title) for code, assessment in self.assessments.items()),
        ]

    def clean_assessment(self):
        return self.assessments.get(self.cleaned_data["assessment"])

    def clean_tag(self):
        tags = tags_normalize([self.cleaned_data["tag"]])
        return tags[0] if tags else ""

    def filters(self) -> dict:
        """The valid filters as selector keyword arguments; the invalid ones are left out."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "search": data.get("q") or "",
            "stage": data.get("stage") or "",
            "assessment": data.get("assessment"),
            "tag": data.get("tag") or "",
        }


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=gettext_lazy("Stage"), choices=Stage.choices)


class UUIDListField(forms.Field):
    """Several `name=<uuid>` values (the list's row checkboxes)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": gettext_lazy("Select at least one candidate."),
        "invalid": gettext_lazy("The selection is not valid. Reload the page and try again."),
        "too_many": gettext_lazy("Select at most %(max)d candidates at a time."),
    }

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, list | tuple):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            codes = list(dict.fromkeys(uuid.UUID(str(item)) for item in value))
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
        if len(codes) > BULK_MAX:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": BULK_MAX}
            )
        return codes


class BulkStageForm(forms.Form):
    candidates = UUIDListField()
    # No default stage: a click on Apply must never move people to "New" by accident.
    stage = forms.ChoiceField(
        label=gettext_lazy("Move them to"),
        choices=[("", gettext_lazy("Choose a stage…")), *Stage.choices],
        error_messages={"required": gettext_lazy("Choose the stage to move them to.")},
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Add a note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": gettext_lazy("What should the team know?")}
        ),
        error_messages={"required": gettext_lazy("A note needs some text.")},
    )


def _sniff_delimiter(header_line: str) -> str:
    # Only the header row is sniffed: data rows may hold ";" or "|" inside the tags
    # cell, which would fool a sniffer looking at the whole sample.
    try:
        return csv.Sniffer().sniff(header_line, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {delimiter: header_line.count(delimiter) for delimiter in ",;\t"}
        return max(counts, key=counts.get)


def parse_candidate_csv(text: str) -> list[dict]:
    """Rows of a decoded CSV as dicts {line, name, email, tags}; raises ValidationError
    for a problem with the whole file (headers, size, CSV syntax)."""
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    # strict: an unclosed quote is an error, not a cell that silently swallows the rest.
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_sniff_delimiter(header_line), strict=True
    )
    rows: list[dict] = []
    columns = None
    previous_end = 0
    try:
        for cells in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                names = [cell.strip().lower() for cell in cells]
                if "name" not in names or "email" not in names:
                    found = ", ".join(f"“{cell.strip()}”" for cell in cells if cell.strip())
                    raise forms.ValidationError(FILE_NO_HEADERS, params={"found": found[:300]})
                columns = {
                    key: names.index(key) for key in ("name", "email", "tags") if key in names
                }
                continue
            if len(rows) >= IMPORT_MAX_ROWS:
                raise forms.ValidationError(
                    FILE_TOO_MANY_ROWS, params={"max": f"{IMPORT_MAX_ROWS:,}"}
                )
            # A short row (fewer cells than the header) reads as empty cells.
            values = {
                key: cells[index].strip() if index < len(cells) else ""
                for key, index in columns.items()
            }
            rows.append(
                {
                    "line": line,
                    "name": values["name"],
                    "email": values["email"],
                    "tags": tags_normalize(TAG_SEPARATORS.split(values.get("tags", ""))),
                }
            )
    except csv.Error as error:
        raise forms.ValidationError(
            FILE_UNREADABLE, params={"line": reader.line_num, "error": str(error)}
        ) from error
    if columns is None:
        raise forms.ValidationError(FILE_NO_HEADERS, params={"found": _("nothing")})
    if not rows:
        raise forms.ValidationError(FILE_NO_ROWS)
    return rows


class CandidateImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("UTF-8, at most 5 MB and 5,000 rows."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Size first, before a byte is read into memory.
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(FILE_TOO_BIG)
        if upload.size == 0:
            raise forms.ValidationError(FILE_EMPTY)
        data = upload.read()
        if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # .xlsx (zip) and .xls
            raise forms.ValidationError(FILE_SPREADSHEET)
        if b"\x00" in data:
            raise forms.ValidationError(FILE_BINARY)
        try:
            # utf-8-sig: a spreadsheet's byte-order mark is dropped, not taken for a header.
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(FILE_NOT_UTF8, params={"position": error.start}) from error
        if not text.strip():
            raise forms.ValidationError(FILE_EMPTY)
        self.cleaned_data["rows"] = parse_candidate_csv(text)
        return upload

    @property
    def rows(self) -> list[dict]:
        return self.cleaned_data["rows"]


class CandidateImportConfirmForm(forms.Form):
    """The preview's signed payload: the rows that were valid, and how many were not."""

    payload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization

    @staticmethod
    def dumps(*, organization, rows: list[dict], skipped: int) -> str:
        return signing.dumps(
            {"rows": rows, "skipped": skipped},
            salt=import_signing_salt(organization),
            compress=True,
        )

    def clean_payload(self):
        try:
            data = signing.loads(
                self.cleaned_data["payload"],
                salt=import_signing_salt(self.organization),
                max_age=IMPORT_PREVIEW_MAX_AGE,
            )
        except signing.SignatureExpired as error:
            raise forms.ValidationError(PAYLOAD_EXPIRED) from error
        except signing.BadSignature as error:
            raise forms.ValidationError(PAYLOAD_INVALID) from error
        rows = data.get("rows") if isinstance(data, dict) else None
        if not isinstance(rows, list) or not all(
            isinstance(row, dict) and isinstance(row.get("line"), int) for row in rows
        ):
            raise forms.ValidationError(PAYLOAD_INVALID)
        return {"rows": rows, "skipped": int(data.get("skipped") or 0)}
