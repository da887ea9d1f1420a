"""Reads for the recruiter pages that span several models."""

import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, TextField
from django.db.models.functions import Cast

from assessments.models import Assessment

from .models import Candidate, Invitation, Note, StageChange


def assessments_for_filter(*, organization) -> QuerySet:
    """The organisation's assessments, for the candidate list's filter menu."""
    return Assessment.objects.for_organization(organization).order_by("title", "pk")


def _with_tag(queryset: QuerySet, tag: str) -> QuerySet:
    if connection.features.supports_json_field_contains:
        # PostgreSQL: a JSON containment test on the tags array.
        return queryset.filter(tags__contains=[tag])
    # SQLite has no JSON containment. The list is stored as Django's json.dumps text,
    # so the quoted tag (dumped the same way) appears in it exactly when it is an element.
    return queryset.annotate(tags_text=Cast("tags", TextField())).filter(
        tags_text__contains=json.dumps(tag)
    )


def candidate_list(
    *, organization, search: str = "", stage: str = "", assessment=None, tag: str = ""
) -> QuerySet:
    """The candidate list, newest first, each with `latest_invitations` (zero or one,
    with its assessment) prefetched: two queries whatever the page size."""
    queryset = Candidate.objects.for_organization(organization).search(search)
    if stage:
        queryset = queryset.filter(stage=stage)
    if assessment is not None:
        # Exists rather than a join, so a candidate with two invitations is listed once.
        queryset = queryset.filter(
            Exists(Invitation.objects.filter(candidate=OuterRef("pk"), assessment=assessment))
        )
    if tag:
        queryset = _with_tag(queryset, tag)
    latest = Invitation.objects.select_related("assessment").order_by("-created_at", "-pk")
    return queryset.order_by("-created_at", "-pk").prefetch_related(
        # A sliced prefetch: one window-function query fetches each candidate's newest.
        Prefetch("invitations", queryset=latest[:1], to_attr="latest_invitations")
    )


@dataclass
class CandidateDetail:
    candidate: Candidate
    invitations: list[Invitation]
    notes: list[Note]
    stage_changes: list[StageChange]


def candidate_detail(*, candidate: Candidate) -> CandidateDetail:
    """What the candidate page shows beyond the candidate itself: three queries."""
    return CandidateDetail(
        candidate=candidate,
        invitations=list(
            candidate.invitations.select_related("assessment").order_by("-created_at", "-pk")
        ),
        notes=list(candidate.notes.select_related("author").order_by("-created_at", "-pk")),
        stage_changes=list(
            candidate.stage_changes.select_related("changed_by").order_by("-changed_at", "-pk")
        ),
    )
