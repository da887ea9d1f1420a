from django.shortcuts import render
from django.views.decorators.http import require_GET

from roles.models import Role, RoleProfile, Skill


@require_GET
def home(request):
    return render(
        request,
        "home.html",
        {
            "role_count": Role.objects.count(),
            "profile_count": RoleProfile.objects.count(),
            "skill_count": Skill.objects.count(),
        },
    )
