"""candidates views."""

from django.shortcuts import render

from recruiting.tenancy import member_required


@member_required
def candidate_list(request):  # placeholder until the candidate pages land
    return render(request, "recruiting/dashboard.html", {})
