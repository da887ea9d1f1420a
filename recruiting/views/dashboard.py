"""The recruiter dashboard: what needs attention today."""

from datetime import timedelta

from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from assessments.models import Assessment, Response
from recruiting.models import Candidate, Invitation
from recruiting.tenancy import member_required

EXPIRING_WITHIN = timedelta(hours=48)


@member_required
def dashboard(request):
    organization = request.organization
    now = timezone.now()
    invitations = Invitation.objects.for_organization(organization)
    by_status = dict(
        invitations.order_by()
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
        Assessment.objects.for_organization(organization)
        .order_by()
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
            "awaiting_grades": Response.objects.filter(
                pending_review=True,
                item__attempt__invitation__assessment__organization=organization,
            ).count(),
        },
    )
