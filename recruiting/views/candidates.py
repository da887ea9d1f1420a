"""The candidate pages: list, add, detail (stage, notes, edit) and the CSV import."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from recruiting import selectors
from recruiting.forms.candidates import (
    BulkStageForm,
    CandidateFilterForm,
    CandidateForm,
    CandidateImportConfirmForm,
    CandidateImportForm,
    NoteForm,
    StageForm,
)
from recruiting.models import Stage
from recruiting.services.candidates import (
    CandidateError,
    candidate_bulk_set_stage,
    candidate_create,
    candidate_import,
    candidate_import_check,
    candidate_set_stage,
    candidate_update,
    note_add,
)
from recruiting.tenancy import get_candidate_for_member, member_required

PAGE_SIZE = 25


def _stage_label(stage: str) -> str:
    return str(Stage(stage).label)


@member_required
def candidate_list(request):
    filter_form = CandidateFilterForm(
        request.GET or None,
        assessments=selectors.assessments_for_filter(organization=request.organization),
    )
    filters = filter_form.filters() if filter_form.is_bound else {}
    candidates = selectors.candidate_list(organization=request.organization, **filters)
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "recruiting/candidate_list.html",
        {
            "filter_form": filter_form,
            "filtering": any(filters.values()),
            "page": page,
            "bulk_form": BulkStageForm() if request.membership.can_edit else None,
            "can_edit": request.membership.can_edit,
        },
    )


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@member_required(write=True)
@require_POST
def candidate_bulk_stage(request):
    back = _safe_next(request, reverse("recruiting:candidate-list"))
    form = BulkStageForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    # Each code goes through the tenancy helper: one from another organisation is a
    # 404 for the whole request, and nothing moves.
    chosen = [
        get_candidate_for_member(request, code, write=True)
        for code in form.cleaned_data["candidates"]
    ]
    stage = form.cleaned_data["stage"]
    moved = candidate_bulk_set_stage(candidates=chosen, stage=stage, by=request.user)
    label = _stage_label(stage)
    message = ngettext(
        "Moved %(count)d candidate to %(stage)s.",
        "Moved %(count)d candidates to %(stage)s.",
        moved,
    ) % {"count": moved, "stage": label}
    if moved < len(chosen):
        message += " " + ngettext(
            "%(count)d was already there.", "%(count)d were already there.", len(chosen) - moved
        ) % {"count": len(chosen) - moved}
    messages.success(request, message)
    return redirect(back)


@member_required(write=True)
def candidate_create_view(request):
    form = CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = candidate_create(
                organization=request.organization, by=request.user, **form.cleaned_data
            )
        except CandidateError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": candidate.name})
            return redirect(candidate)
    return render(request, "recruiting/candidate_form.html", {"form": form, "candidate": None})


@member_required
def candidate_detail(request, code):
    candidate = get_candidate_for_member(request, code)
    return _render_detail(request, candidate)


def _render_detail(request, candidate, *, note_form=None, stage_form=None, status=200):
    can_edit = request.membership.can_edit
    return render(
        request,
        "recruiting/candidate_detail.html",
        {
            "detail": selectors.candidate_detail(candidate=candidate),
            "candidate": candidate,
            "can_edit": can_edit,
            "stage_form": (stage_form or StageForm(initial={"stage": candidate.stage}))
            if can_edit
            else None,
            "note_form": note_form or NoteForm(),
        },
        status=status,
    )


@member_required(write=True)
def candidate_update_view(request, code):
    candidate = get_candidate_for_member(request, code, write=True)
    initial = {"name": candidate.name, "email": candidate.email, "tags": candidate.tags}
    form = CandidateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            candidate_update(candidate=candidate, by=request.user, **form.cleaned_data)
        except CandidateError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect(candidate)
    return render(request, "recruiting/candidate_form.html", {"form": form, "candidate": candidate})


@member_required(write=True)
def candidate_stage(request, code):
    candidate = get_candidate_for_member(request, code, write=True)
    if request.method != "POST":
        return redirect(candidate)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the stages in the list."))
        return _render_detail(request, candidate, stage_form=form, status=400)
    stage = form.cleaned_data["stage"]
    if candidate_set_stage(candidate=candidate, stage=stage, by=request.user):
        messages.success(request, _("Moved to %(stage)s.") % {"stage": _stage_label(stage)})
    else:
        messages.info(request, _("Already at %(stage)s.") % {"stage": _stage_label(stage)})
    # The report page sends people back to itself.
    return redirect(_safe_next(request, candidate.get_absolute_url()))


@member_required
def candidate_note_add(request, code):
    # Reviewers may leave notes too: a read-level fetch, no write check.
    candidate = get_candidate_for_member(request, code)
    if request.method != "POST":
        return redirect(candidate)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            note_add(candidate=candidate, author=request.user, body=form.cleaned_data["body"])
        except CandidateError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Note added."))
            return redirect(_safe_next(request, f"{candidate.get_absolute_url()}#notes"))
    return _render_detail(request, candidate, note_form=form, status=400)


@member_required(write=True)
def candidate_import_upload(request):
    form = CandidateImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        checked = candidate_import_check(organization=request.organization, rows=form.rows)
        valid = [row for row in checked if row.ok]
        problems = [row for row in checked if not row.ok]
        payload = CandidateImportConfirmForm.dumps(
            organization=request.organization,
            rows=[row.as_payload() for row in valid],
            skipped=len(problems),
        )
        return render(
            request,
            "recruiting/candidate_import_preview.html",
            {
                "filename": form.cleaned_data["file"].name,
                "rows": checked,
                "valid_count": len(valid),
                "problems": problems,
                "confirm_form": CandidateImportConfirmForm(
                    initial={"payload": payload}, organization=request.organization
                ),
            },
        )
    return render(request, "recruiting/candidate_import.html", {"form": form})


@member_required(write=True)
@require_POST
def candidate_import_confirm(request):
    form = CandidateImportConfirmForm(request.POST, organization=request.organization)
    if not form.is_valid():
        for error in form.errors.get("payload", []):
            messages.error(request, error)
        return redirect("recruiting:candidate-import")
    data = form.cleaned_data["payload"]
    result = candidate_import(organization=request.organization, rows=data["rows"], by=request.user)
    return render(
        request,
        "recruiting/candidate_import_done.html",
        {"result": result, "skipped_at_preview": data["skipped"]},
    )


@member_required(write=True)
def candidate_import_sample(request):
    response = HttpResponse(
        "name,email,tags\r\n"
        "Ada Lovelace,ada@example.com,python;remote\r\n"
        "Grace Hopper,grace@example.com,cobol|compilers\r\n",
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="candidates-sample.csv"'
    return response
