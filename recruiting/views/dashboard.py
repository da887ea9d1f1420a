"""The recruiter dashboard: what needs attention today."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef
from django.shortcuts import render
from django.utils import timezone

from assessments.models import Assessment, AttemptQuestion, Response
from recruiting.models import Candidate, Invitation
from recruiting.tenancy import member_required

EXPIRING_WITHIN = timedelta(hours=48)


@member_required
def dashboard(request):
    organization = request.organization
    now = timezone.now()
    invitations = Invitation.objects.for_organization(organization)
    assessments = Assessment.objects.for_organization(organization)
    # assessment_id IN (...) rather than a join: SQLite then counts from
    # recruiting_inv_status_idx alone instead of reading every invitation row.
    by_status = dict(
        Invitation.objects.filter(assessment__in=assessments.values("pk"))
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    open_statuses = [Invitation.Status.PENDING, Invitation.Status.SENT, Invitation.Status.OPENED]
    expiring = (
        invitations.filter(
            status__in=open_statuses, expires_at__gt=now, expires_at__lte=now + EXPIRING_WITHIN
        )
        .select_related("candidate", "assessment")
        .order_by("expires_at", "pk")[:10]
    )
    recent = (
        invitations.filter(status=Invitation.Status.COMPLETED)
        .select_related("candidate", "assessment")
        .order_by("-completed_at", "-pk")[:10]
    )
    assessment_counts = dict(
        assessments.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return render(
        request,
        "recruiting/dashboard.html",
        {
            "by_status": by_status,
            "statuses": Invitation.Status.choices,
            "expiring": expiring,
            "recent": recent,
            "assessment_counts": assessment_counts,
            "has_assessments": bool(assessment_counts),
            "candidate_count": Candidate.objects.for_organization(organization).count(),
            "awaiting_grades": _awaiting_grades(organization),
        },
    )


def _awaiting_grades(organization) -> int:
    """Written answers of this organisation waiting for a grade.

    The few pending answers (assessments_resp_pending_idx) drive the count, each
    checked against the organisation by primary keys; a join from the
    organisation would walk every answer it has ever received (SQLite, which has
    no statistics, chose that plan: 50 ms at 10,000 attempts).
    """
    own_items = AttemptQuestion.objects.filter(
        pk=OuterRef("item_id"), attempt__assessment__organization=organization
    )
    return Response.objects.filter(pending_review=True).filter(Exists(own_items)).count()
