"""The assessment builder: recruiter views (all scoped by recruiting.tenancy)."""

import random

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recruiting.tenancy import get_assessment_for_member, member_required
from roles.models import RoleProfile, Skill

from . import builder
from .forms import AssessmentSettingsForm, NewAssessmentForm, QuestionForm, SectionForm
from .models import Assessment, Question, Section
from .services import QuestionError, private_question_create


@member_required
def assessment_list(request):
    assessments = (
        Assessment.objects.for_organization(request.organization)
        .select_related("role_profile__role", "role_profile__level", "created_by")
        .annotate(
            invited=Count("invitations", filter=~Q(invitations__status="revoked"), distinct=True),
            started=Count(
                "invitations",
                filter=Q(invitations__status__in=["started", "completed"]),
                distinct=True,
            ),
            completed=Count(
                "invitations", filter=Q(invitations__status="completed"), distinct=True
            ),
            # One attempt per invitation, so the join does not repeat scores.
            average_score=Avg(
                "invitations__attempt__score_percent",
                filter=Q(invitations__attempt__state="submitted"),
            ),
        )
        .order_by("-created_at", "-pk")
    )
    status = request.GET.get("status")
    if status in Assessment.Status.values:
        assessments = assessments.filter(status=status)
    page = Paginator(assessments, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/list.html",
        {"page": page, "status": status, "statuses": Assessment.Status.choices},
    )


@member_required(write=True)
def assessment_new(request):
    """Pick a role profile; Yardstick proposes sections, counts and difficulties."""
    initial = {}
    wanted = request.GET.get("profile", "")
    role_slug, _sep, level_slug = wanted.partition(":")
    if role_slug and level_slug:
        profile = RoleProfile.objects.filter(role__slug=role_slug, level__slug=level_slug).first()
        if profile:
            initial["profile"] = profile
    form = NewAssessmentForm(request.POST or None, initial=initial)
    proposal = None
    chosen = form.cleaned_data["profile"] if form.is_bound and form.is_valid() else None
    chosen = chosen or initial.get("profile")
    if chosen:
        count = form.cleaned_data["question_count"] if form.is_bound and form.is_valid() else 20
        proposal = builder.assessment_propose(
            profile=chosen, organization=request.organization, total_questions=count
        )
    if request.method == "POST" and form.is_valid() and "create" in request.POST:
        assessment = builder.assessment_create_from_profile(
            profile=form.cleaned_data["profile"],
            organization=request.organization,
            by=request.user,
            total_questions=form.cleaned_data["question_count"],
        )
        messages.success(
            request, _("Draft created from the profile. Adjust it, preview it, then publish.")
        )
        return redirect(assessment)
    return render(
        request,
        "assessments/new.html",
        {"form": form, "proposal": proposal, "variety_ratio": builder.VARIETY_RATIO},
    )


def _sections_with_pool(assessment):
    sections = list(
        assessment.sections.select_related("skill__category").prefetch_related("pinned_questions")
    )
    pool = builder.PoolCounts.for_skills(assessment.organization, [s.skill_id for s in sections])
    for section in sections:
        section.pool_size = pool.size(
            section.skill_id, section.difficulty_min, section.difficulty_max
        )
        section.thin = section.pool_size < section.question_count * builder.VARIETY_RATIO
        section.short = section.pool_size < section.question_count
    return sections


@member_required
def assessment_detail(request, code):
    assessment = get_assessment_for_member(request, code)
    locked = builder.structure_locked(assessment)
    sections = _sections_with_pool(assessment)
    weighted = {rs.skill_id for rs in assessment.role_profile.role_skills.all()}
    used = {s.skill_id for s in sections}
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "sections": sections,
            "locked": locked,
            "settings_form": AssessmentSettingsForm(instance=assessment),
            "add_form": SectionForm(
                initial={"question_count": 1, "difficulty_min": 1, "difficulty_max": 4}
            ),
            "addable_skills": Skill.objects.exclude(pk__in=used).select_related("category"),
            "profile_skills": weighted,
            "total_questions": sum(s.question_count for s in sections),
            "problems": builder.publish_problems(assessment)
            if assessment.status == Assessment.Status.DRAFT
            else [],
            "can_edit": request.membership.can_edit,
            "public_url": request.build_absolute_uri(f"/t/a/{assessment.public_token}/"),
        },
    )


def _act(request, action, success):
    try:
        result = action()
    except builder.AssessmentError as error:
        messages.error(request, str(error))
        return None
    messages.success(request, success)
    return result


@require_POST
@member_required(write=True)
def assessment_settings(request, code):
    assessment = get_assessment_for_member(request, code, write=True)
    form = AssessmentSettingsForm(request.POST, instance=Assessment.objects.get(pk=assessment.pk))
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request, f"{form.fields[field].label if field in form.fields else ''} {error}"
                )
        return redirect(assessment)
    _act(
        request,
        lambda: builder.assessment_update(assessment=assessment, changes=form.cleaned_data),
        _("Settings saved."),
    )
    return redirect(assessment)


@require_POST
@member_required(write=True)
def section_save(request, code):
    assessment = get_assessment_for_member(request, code, write=True)
    form = SectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(assessment)
    _act(
        request,
        lambda: builder.section_save(assessment=assessment, **form.cleaned_data),
        _("Section saved."),
    )
    return redirect(assessment)


def _section_for(request, assessment, section_id):
    return get_object_or_404(Section, pk=section_id, assessment=assessment)


@require_POST
@member_required(write=True)
def section_remove(request, code, section_id):
    assessment = get_assessment_for_member(request, code, write=True)
    section = _section_for(request, assessment, section_id)
    _act(request, lambda: builder.section_remove(section=section), _("Section removed."))
    return redirect(assessment)


@member_required
def section_questions(request, code, section_id):
    """The section's pool, to pin questions every candidate must get."""
    assessment = get_assessment_for_member(request, code)
    section = _section_for(request, assessment, section_id)
    pool = (
        builder.question_pool(request.organization)
        .filter(skill=section.skill)
        .select_related("owner")
        .order_by("difficulty", "slug")
    )
    pinned = set(section.pinned_questions.values_list("pk", flat=True))
    return render(
        request,
        "assessments/section_questions.html",
        {
            "assessment": assessment,
            "section": section,
            "questions": pool,
            "pinned": pinned,
            "locked": builder.structure_locked(assessment),
            "can_edit": request.membership.can_edit,
        },
    )


@require_POST
@member_required(write=True)
def section_pin(request, code, section_id):
    assessment = get_assessment_for_member(request, code, write=True)
    section = _section_for(request, assessment, section_id)
    question = get_object_or_404(
        builder.question_pool(request.organization), code=request.POST.get("question")
    )
    pinned = request.POST.get("pinned") == "1"
    _act(
        request,
        lambda: builder.section_pin(section=section, question=question, pinned=pinned),
        _("Question pinned.") if pinned else _("Question unpinned."),
    )
    return redirect("assessments:section-questions", code=assessment.code, section_id=section.pk)


@member_required
def assessment_preview(request, code):
    """A real draw, shown as a candidate would see it; nothing is stored."""
    assessment = get_assessment_for_member(request, code)
    seed = random.SystemRandom().randrange(2**31)
    drawn = builder.draw_questions(assessment=assessment, seed=seed)
    keyed = {
        q.pk: q for q in Question.objects.with_keys().filter(pk__in=[d.question.pk for d in drawn])
    }
    items = []
    rng = random.Random(seed)
    for number, entry in enumerate(drawn, start=1):
        question = keyed[entry.question.pk]
        key = question.grading_key()
        if assessment.shuffle_choices and "choices" in key and question.type != "true_false":
            rng.shuffle(key["choices"])
        items.append({"number": number, "section": entry.section, "question": question, "key": key})
    return render(
        request,
        "assessments/preview.html",
        {
            "assessment": assessment,
            "items": items,
            "problems": builder.publish_problems(assessment),
        },
    )


@require_POST
@member_required(write=True)
def assessment_publish(request, code):
    assessment = get_assessment_for_member(request, code, write=True)
    _act(
        request,
        lambda: builder.assessment_publish(assessment=assessment),
        _("Published. You can now invite candidates."),
    )
    return redirect(assessment)


@require_POST
@member_required(write=True)
def assessment_close(request, code):
    assessment = get_assessment_for_member(request, code, write=True)
    _act(
        request,
        lambda: builder.assessment_close(assessment=assessment),
        _("Closed. No one new can start; candidates already in progress can finish."),
    )
    return redirect(assessment)


@require_POST
@member_required(write=True)
def assessment_duplicate(request, code):
    assessment = get_assessment_for_member(request, code, write=True)
    copy = builder.assessment_duplicate(assessment=assessment, by=request.user)
    messages.success(request, _("This is a draft copy; change it freely."))
    return redirect(copy)


@member_required
def question_list(request):
    questions = (
        Question.objects.filter(owner=request.organization)
        .latest_versions()
        .select_related("skill", "author")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(questions, 25).get_page(request.GET.get("page"))
    return render(request, "assessments/question_list.html", {"page": page})


@member_required(write=True)
def question_new(request):
    form = QuestionForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            question = private_question_create(
                organization=request.organization,
                author=request.user,
                item=form.to_bank_item(slug=""),
            )
        except QuestionError as error:
            for message in error.errors:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Question saved. It can now be drawn or pinned in %(skill)s sections.")
                % {"skill": question.skill.name},
            )
            return redirect("assessments:question-list")
    return render(request, "assessments/question_form.html", {"form": form})
