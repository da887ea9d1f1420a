"""Writes for accounts and organisations."""

from dataclasses import dataclass

from django.db import transaction

from ..models import User

DEMO_STAFF_EMAIL = "admin@example.com"
DEMO_STAFF_PASSWORD = "yardstick-demo"


@dataclass
class DemoAccount:
    email: str
    password: str | None  # None when the account already existed: we never reset it.
    created: bool


@transaction.atomic
def demo_staff_ensure() -> DemoAccount:
    """Create the demo curator account for /admin/ unless it exists.

    An existing account is left alone, so a password someone changed on a
    running demo is never reset behind their back.
    """
    user = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    if user is not None:
        return DemoAccount(email=user.email, password=None, created=False)
    User.objects.create_superuser(
        email=DEMO_STAFF_EMAIL, password=DEMO_STAFF_PASSWORD, full_name="Demo Curator"
    )
    return DemoAccount(email=DEMO_STAFF_EMAIL, password=DEMO_STAFF_PASSWORD, created=True)


DEMO_ORG_SLUG = "demo"
DEMO_RECRUITER_EMAIL = "recruiter@example.com"
DEMO_REVIEWER_EMAIL = "reviewer@example.com"
DEMO_CANDIDATES = [
    ("Ada Lovelace", "ada@example.com"),
    ("Grace Hopper", "grace@example.com"),
    ("Alan Turing", "alan@example.com"),
    ("Barbara Liskov", "barbara@example.com"),
]


def demo_organization_ensure() -> bool:
    """Create the demo organisation once, with a published assessment and candidates.

    Returns False (and changes nothing) when it already exists. Two candidates
    have finished, so the results pages have something to show.
    """
    from assessments import builder, grading
    from assessments.attempts import attempt_start, attempt_submit, response_save
    from assessments.models import Question
    from roles.models import RoleProfile

    from ..models import Membership, Organization
    from .candidates import candidate_create
    from .invitations import invitation_create

    if Organization.objects.filter(slug=DEMO_ORG_SLUG).exists():
        return False
    profile = RoleProfile.objects.filter(
        role__slug="backend-engineer", level__slug="senior"
    ).first()
    if profile is None:
        return False
    with transaction.atomic():
        organization = Organization.objects.create(name="Demo Hiring Co", slug=DEMO_ORG_SLUG)
        recruiter = User.objects.create_user(
            email=DEMO_RECRUITER_EMAIL, password=DEMO_STAFF_PASSWORD, full_name="Dana Recruiter"
        )
        reviewer = User.objects.create_user(
            email=DEMO_REVIEWER_EMAIL, password=DEMO_STAFF_PASSWORD, full_name="Riley Reviewer"
        )
        Membership.objects.create(user=recruiter, organization=organization, role="owner")
        Membership.objects.create(user=reviewer, organization=organization, role="reviewer")
        assessment = builder.assessment_create_from_profile(
            profile=profile, organization=organization, by=recruiter, total_questions=12
        )
        # A design question for every candidate, so the grading queue has work in it.
        section = assessment.sections.filter(skill__slug="architecture").first()
        design = (
            Question.objects.drawable()
            .filter(skill__slug="architecture", type=Question.Type.FREE_TEXT)
            .order_by("difficulty", "pk")
            .first()
        )
        if section is not None and design is not None:
            section.difficulty_min = min(section.difficulty_min, design.difficulty)
            section.difficulty_max = max(section.difficulty_max, design.difficulty)
            section.save()
            builder.section_pin(section=section, question=design, pinned=True)
        assessment = builder.assessment_publish(assessment=assessment)
        invitations = []
        for name, email in DEMO_CANDIDATES:
            candidate = candidate_create(
                organization=organization, name=name, email=email, tags=["demo"], by=recruiter
            )
            invitations.append(
                invitation_create(
                    assessment=assessment, candidate=candidate, by=recruiter, send=False
                )
            )
    # Two finished attempts: one strong, one partial.
    for invitation, share in ((invitations[0], 1.0), (invitations[1], 0.5)):
        attempt = attempt_start(invitation=invitation).attempt
        items = list(attempt.items.select_related("question").order_by("position"))
        answered = items[: max(1, int(len(items) * share))]
        for item in answered:
            key = Question.objects.with_keys().get(pk=item.question_id).grading_key()
            answer = grading.reference_answer(key)
            if answer is None:
                answer = (
                    "I would start from the constraints, measure, and change one thing at a time."
                )
            response_save(attempt=attempt, item=item, answer=answer, revision=1)
        attempt_submit(attempt=attempt)
    return True
