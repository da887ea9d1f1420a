"""Recruiter views for invitations: invite, list, resend, extend, revoke."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import Assessment
from recruiting.forms.invitations import InvitationCreateForm, InvitationExtendForm
from recruiting.models import Candidate, Invitation
from recruiting.services import invitations as services
from recruiting.tenancy import get_assessment_for_member, get_invitation_for_member, member_required

Status = Invitation.Status
PAGE_SIZE = 100
SHOWN_CANDIDATES = 100

# The list's status filter, by what the candidate experiences (effective_status).
STATUS_FILTERS = {
    "waiting": lambda now: Q(status__in=services.WAITING, expires_at__gt=now),
    "opened": lambda now: Q(status=Status.OPENED, expires_at__gt=now),
    "started": lambda now: Q(status=Status.STARTED),
    "completed": lambda now: Q(status=Status.COMPLETED),
    "expired": lambda now: (
        Q(status=Status.EXPIRED) | Q(status__in=services.WAITING, expires_at__lte=now)
    ),
    "revoked": lambda now: Q(status=Status.REVOKED),
}


def _assessment_from_query(request, *, write=False) -> Assessment | None:
    """The `?assessment=<code>` of the organisation (404 for anyone else's or a malformed code)."""
    code = request.GET.get("assessment", "").strip()
    if not code:
        return None
    try:
        code = uuid.UUID(code)
    except ValueError as error:
        raise Http404 from error
    return get_assessment_for_member(request, code, write=write)


def _list_url(assessment: Assessment | None) -> str:
    url = reverse("recruiting:invitation-list")
    return f"{url}?assessment={assessment.code}" if assessment else url


def _back(request, invitation: Invitation):
    """Back to the list the action came from (a `next` on this site's invitation list), else
    the assessment's list."""
    target = request.POST.get("next", "")
    list_path = reverse("recruiting:invitation-list")
    if target.startswith(list_path) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(_list_url(invitation.assessment))


def _choose_assessment(request, *, purpose: str):
    """No ?assessment= given: pick one of the organisation's assessments."""
    assessments = Assessment.objects.for_organization(request.organization)
    if purpose == "invite":
        assessments = assessments.filter(status=Assessment.Status.PUBLISHED)
    else:
        assessments = assessments.exclude(status=Assessment.Status.DRAFT)
    return render(
        request,
        "recruiting/invitation_choose.html",
        {
            "assessments": assessments.annotate(invitation_count=Count("invitations")),
            "purpose": purpose,
        },
    )


@member_required(write=True)
def invitation_create(request):
    assessment = _assessment_from_query(request, write=True)
    if assessment is None:
        return _choose_assessment(request, purpose="invite")
    organization = request.organization
    published = assessment.status == Assessment.Status.PUBLISHED
    form = InvitationCreateForm(
        request.POST if request.method == "POST" and published else None,
        organization=organization,
    )
    if form.is_bound and form.is_valid():
        report = services.invitation_create_many(
            assessment=assessment,
            candidates=list(form.cleaned_data["candidates"]),
            new_people=form.cleaned_data["new_people"],
            expires_in_days=form.cleaned_data["expires_in_days"],
            extra_time_percent=form.cleaned_data["extra_time_percent"],
            by=request.user,
        )
        if report.invited:
            count = len(report.invited)
            messages.success(
                request,
                ngettext(
                    "Invited %(count)d candidate: the email is on its way.",
                    "Invited %(count)d candidates: the emails are on their way.",
                    count,
                )
                % {"count": count},
            )
        for who, why in report.skipped:
            messages.warning(request, _("Skipped %(who)s: %(why)s") % {"who": who, "why": why})
        if not report.invited and not report.skipped:
            messages.info(request, _("Nobody was invited."))
        return redirect(_list_url(assessment))

    query = request.GET.get("q", "").strip()
    live = Invitation.objects.filter(candidate=OuterRef("pk"), assessment=assessment).exclude(
        status=Status.REVOKED
    )
    shown = list(
        Candidate.objects.for_organization(organization)
        .search(query)
        .annotate(already_invited=Exists(live))
        .order_by("name", "pk")[: SHOWN_CANDIDATES + 1]
    )
    selected = set(request.POST.getlist("candidates")) if form.is_bound else set()
    return render(
        request,
        "recruiting/invitation_create.html",
        {
            "assessment": assessment,
            "published": published,
            "form": form,
            "query": query,
            "candidates": shown[:SHOWN_CANDIDATES],
            "more_candidates": len(shown) > SHOWN_CANDIDATES,
            "selected": selected,
            "minutes_by_accommodation": [
                (
                    label,
                    services.minutes_allowed(
                        time_limit_minutes=assessment.time_limit_minutes,
                        extra_time_percent=value,
                    ),
                )
                for value, label in Invitation.ACCOMMODATIONS
            ],
        },
        status=400 if form.is_bound else 200,
    )


@member_required
def invitation_list(request):
    assessment = _assessment_from_query(request)
    now = timezone.now()
    invitations = Invitation.objects.for_organization(request.organization)
    if assessment is not None:
        invitations = invitations.filter(assessment=assessment)
    counts = invitations.aggregate(
        total=Count("pk"),
        **{name: Count("pk", filter=condition(now)) for name, condition in STATUS_FILTERS.items()},
    )
    status = request.GET.get("status", "")
    if status in STATUS_FILTERS:
        invitations = invitations.filter(STATUS_FILTERS[status](now))
    else:
        status = ""
    page = Paginator(
        invitations.select_related("candidate", "assessment").order_by("-created_at", "-pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    can_edit = request.membership.can_edit
    return render(
        request,
        "recruiting/invitation_list.html",
        {
            "assessment": assessment,
            "page": page,
            "counts": counts,
            "status": status,
            "status_filters": [
                ("", _("All"), counts["total"]),
                ("waiting", _("Waiting"), counts["waiting"]),
                ("opened", _("Opened"), counts["opened"]),
                ("started", _("Started"), counts["started"]),
                ("completed", _("Completed"), counts["completed"]),
                ("expired", _("Expired"), counts["expired"]),
                ("revoked", _("Revoked"), counts["revoked"]),
            ],
            "can_edit": can_edit,
            "site_url": settings.SITE_URL,
            "extend_form": InvitationExtendForm(),
            "public_url": (
                settings.SITE_URL + reverse("candidate:public", args=[assessment.public_token])
                if can_edit and assessment is not None and assessment.public_link_enabled
                else ""
            ),
            "waiting": services.WAITING,
        },
    )


def _action(request, code, apply):
    """Run a recruiter's POST on one invitation: 404 across organisations, 403 for readers."""
    invitation = get_invitation_for_member(request, code, write=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        message = apply(invitation)
    except services.InvitationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return _back(request, invitation)


@member_required
def invitation_resend(request, code):
    def apply(invitation):
        services.invitation_resend(invitation=invitation, by=request.user)
        return _("The invitation is on its way to %(email)s again.") % {
            "email": invitation.candidate.email
        }

    return _action(request, code, apply)


@member_required
def invitation_extend(request, code):
    def apply(invitation):
        form = InvitationExtendForm(request.POST)
        if not form.is_valid():
            raise services.InvitationError(" ".join(form.errors["days"]))
        services.invitation_extend(
            invitation=invitation, days=form.cleaned_data["days"], by=request.user
        )
        return _("%(candidate)s’s link now expires on %(date)s.") % {
            "candidate": invitation.candidate.name,
            "date": date_format(timezone.localtime(invitation.expires_at), "j F Y, H:i T"),
        }

    return _action(request, code, apply)


@member_required
def invitation_revoke(request, code):
    def apply(invitation):
        services.invitation_revoke(invitation=invitation, by=request.user)
        return _("%(candidate)s’s link is revoked: it no longer opens the assessment.") % {
            "candidate": invitation.candidate.name
        }

    return _action(request, code, apply)
