from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Role, RoleProfile, SalaryFact, SeniorityLevel
from .selectors import categories_with_skills, compare_skills, library_grid, profile_with_skills


@require_GET
def library(request):
    roles = list(library_grid())
    levels = list(SeniorityLevel.objects.all())
    for role in roles:
        by_level = {profile.level_id: profile for profile in role.profiles.all()}
        role.cells = [by_level.get(level.pk) for level in levels]
    return render(
        request,
        "roles/library.html",
        {
            "roles": roles,
            "levels": levels,
            "categories": categories_with_skills(),
            "default_compare": _default_compare(roles, levels),
        },
    )


def _default_compare(roles, levels):
    if len(roles) < 2 or not levels:
        return None
    senior = next((level for level in levels if level.slug == "senior"), levels[-1])
    return {"a": roles[0].slug, "b": roles[1].slug, "level": senior.slug}


@require_GET
def profile(request, role_slug, level_slug):
    profile = get_object_or_404(profile_with_skills(), role__slug=role_slug, level__slug=level_slug)
    siblings = RoleProfile.objects.filter(role=profile.role).select_related("role", "level")
    counterparts = RoleProfile.objects.filter(level=profile.level).exclude(role=profile.role)
    salary_facts = SalaryFact.objects.filter(role=profile.role) | SalaryFact.objects.filter(
        profile=profile
    )
    return render(
        request,
        "roles/profile.html",
        {
            "profile": profile,
            "role_skills": profile.role_skills.all(),
            "siblings": siblings,
            "counterparts": counterparts.select_related("role"),
            "salary_facts": salary_facts.order_by("region", "-year", "pk"),
        },
    )


@require_GET
def compare(request):
    roles = list(Role.objects.all())
    levels = list(SeniorityLevel.objects.all())
    defaults = _default_compare(roles, levels) or {}
    wanted = {key: request.GET.get(key) or defaults.get(key) for key in ("a", "b", "level")}
    if not all(wanted.values()):
        raise Http404("Nothing to compare yet.")
    profiles = {
        (p.role.slug, p.level.slug): p
        for p in profile_with_skills().filter(
            role__slug__in=[wanted["a"], wanted["b"]], level__slug=wanted["level"]
        )
    }
    left = profiles.get((wanted["a"], wanted["level"]))
    right = profiles.get((wanted["b"], wanted["level"]))
    if left is None or right is None:
        raise Http404("No such profiles to compare.")
    rows = compare_skills(left, right)
    return render(
        request,
        "roles/compare.html",
        {
            "left": left,
            "right": right,
            "rows": rows,
            "roles": roles,
            "levels": levels,
            "wanted": wanted,
            "only_left": [row for row in rows if row.right is None],
            "only_right": [row for row in rows if row.left is None],
        },
    )
