"""Candidate-facing views: the invitation landing page, its states, and the public link.

No login: the token in the URL is the credential. Every state of an
invitation gets its own clear page; an expired, revoked or submitted link
allows nothing (a POST to start changes nothing either). A started link
continues the attempt (see take_views).
"""

from axes.helpers import get_client_ip_address
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from assessments.attempts import AttemptError, attempt_prepare, attempt_start
from assessments.models import Assessment
from recruiting.forms.invitations import PublicLinkForm, StartForm
from recruiting.models import Invitation
from recruiting.ratelimit import over_limit
from recruiting.services import invitations as services

Status = Invitation.Status

# Public-link flood control, counted per hour in the shared cache.
RATE_WINDOW_SECONDS = 60 * 60
RATE_PER_IP = 10
RATE_PER_ASSESSMENT = 300

# The page each effective status shows, and its HTTP status: a dead link is 410 Gone.
STATE_PAGES = {
    Status.STARTED: 200,
    Status.COMPLETED: 200,
    Status.EXPIRED: 410,
    Status.REVOKED: 410,
    "closed": 410,  # the assessment stopped taking new candidates
}


def _state(invitation: Invitation) -> str:
    state = invitation.effective_status
    unstarted = state in (Status.PENDING, Status.SENT, Status.OPENED)
    if unstarted and invitation.assessment.status != Assessment.Status.PUBLISHED:
        return "closed"
    return state


def _no_index(response):
    # Private links must not end up in a search engine, even if someone posts one.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _invitation(token: str) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("candidate", "assessment__organization"), token=token
    )


def _landing_context(invitation: Invitation, form) -> dict:
    assessment = invitation.assessment
    shape = assessment.sections.aggregate(sections=Count("pk"), questions=Sum("question_count"))
    return {
        "invitation": invitation,
        "assessment": assessment,
        "organization": assessment.organization,
        "section_count": shape["sections"],
        "question_count": shape["questions"] or 0,
        "minutes_allowed": services.minutes_allowed(
            time_limit_minutes=assessment.time_limit_minutes,
            extra_time_percent=invitation.extra_time_percent,
        ),
        "form": form,
    }


def _state_page(request, invitation: Invitation, state: str):
    return _no_index(
        render(
            request,
            "candidate/state.html",
            {
                "invitation": invitation,
                "state": state,
                "assessment": invitation.assessment,
                "organization": invitation.assessment.organization,
            },
            status=STATE_PAGES[state],
        )
    )


@never_cache
@require_http_methods(["GET", "HEAD"])
def landing(request, token):
    invitation = _invitation(token)
    state = _state(invitation)
    if state == Status.STARTED:
        return redirect("candidate:take", token=token)
    if state in STATE_PAGES:
        return _state_page(request, invitation, state)
    if request.method == "GET":  # a HEAD (link checkers, previews) is not the candidate opening it
        services.invitation_open(invitation=invitation)
        # Draw now, while the candidate reads the page, so Start only starts the clock.
        attempt_prepare(invitation=invitation)
    context = _landing_context(invitation, StartForm())
    return _no_index(render(request, "candidate/landing.html", context))


# What pressing Start reads. A cohort presses it in the same minute, so the
# happy path loads no candidate or organisation; the pages that need them
# (a refusal, the form again) load the invitation in full.
START_FIELDS = (
    "token",
    "status",
    "expires_at",
    "extra_time_percent",
    "assessment__status",
    "assessment__time_limit_minutes",
    "assessment__shuffle_choices",
    "assessment__organization_id",
)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def start(request, token):
    if request.method != "POST":
        return redirect(_invitation(token).get_absolute_url())
    invitation = get_object_or_404(
        Invitation.objects.select_related("assessment").only(*START_FIELDS), token=token
    )
    state = _state(invitation)
    if state in STATE_PAGES:
        invitation = _invitation(token)
        return _state_page(request, invitation, state)
    if state == Status.STARTED:
        return redirect("candidate:take", token=token)
    form = StartForm(request.POST)
    if not form.is_valid():
        context = _landing_context(_invitation(token), form)
        return _no_index(render(request, "candidate/landing.html", context, status=400))
    try:
        attempt_start(
            invitation=invitation,
            ip=get_client_ip_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    except AttemptError:
        invitation = _invitation(token)
        return _state_page(request, invitation, _state(invitation))
    return redirect("candidate:take", token=token)


def _rate_limited(request, assessment: Assessment) -> bool:
    ip = get_client_ip_address(request) or "unknown"
    # A single address is stopped before it can use up the assessment's budget.
    if over_limit(f"public-link:ip:{ip}", RATE_PER_IP, window=RATE_WINDOW_SECONDS):
        return True
    return over_limit(
        f"public-link:assessment:{assessment.pk}", RATE_PER_ASSESSMENT, window=RATE_WINDOW_SECONDS
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def public_link(request, public_token):
    assessment = get_object_or_404(
        Assessment.objects.select_related("organization"), public_token=public_token
    )
    context = {"assessment": assessment, "organization": assessment.organization}
    open_for_entries = (
        assessment.public_link_enabled and assessment.status == Assessment.Status.PUBLISHED
    )
    if not open_for_entries:
        return _no_index(render(request, "candidate/public_unavailable.html", context, status=404))
    form = PublicLinkForm(request.POST or None)
    if request.method == "POST":
        if _rate_limited(request, assessment):
            response = render(request, "candidate/rate_limited.html", context, status=429)
            response["Retry-After"] = str(RATE_WINDOW_SECONDS)
            return _no_index(response)
        if form.is_valid():
            try:
                entry = services.invitation_from_public_link(
                    assessment=assessment,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                )
            except services.InvitationError as error:
                form.add_error(None, error.message)
            else:
                if entry.invitation is not None:
                    return redirect(entry.invitation.get_absolute_url())
                form.add_error(None, entry.error)
    shape = assessment.sections.aggregate(sections=Count("pk"), questions=Sum("question_count"))
    context.update(
        form=form,
        question_count=shape["questions"] or 0,
        section_count=shape["sections"],
    )
    status = 400 if form.is_bound else 200
    return _no_index(render(request, "candidate/public_link.html", context, status=status))
