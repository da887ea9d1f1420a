"""Writes for candidates: stages (with their audit trail) and notes."""

from django.db import transaction
from django.utils import timezone

from recruiting.models import Candidate, Stage, StageChange


@transaction.atomic
def candidate_set_stage(*, candidate: Candidate, stage: str, by=None, now=None) -> bool:
    """Move a candidate to `stage`, recording who did it; returns False when already there."""
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if locked.stage == stage:
        return False
    StageChange.objects.create(
        candidate=locked,
        from_stage=locked.stage,
        to_stage=stage,
        changed_by=by,
        changed_at=now or timezone.now(),
    )
    locked.stage = stage
    locked.save(update_fields=["stage", "updated_at"])
    candidate.stage = stage
    return True


def candidate_mark_invited(*, candidate: Candidate, by=None) -> None:
    """A new candidate who gets an invitation moves to Invited; later stages stay."""
    if candidate.stage == Stage.NEW:
        candidate_set_stage(candidate=candidate, stage=Stage.INVITED, by=by)
