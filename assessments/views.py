"""The assessment builder: recruiter views."""

from django.shortcuts import render

from recruiting.tenancy import member_required


@member_required
def assessment_list(request):  # placeholder until the builder lands
    return render(request, "recruiting/dashboard.html", {})
