"""team views."""

from django.shortcuts import render

from recruiting.tenancy import member_required


@member_required
def team(request):  # placeholder until the team pages land
    return render(request, "recruiting/dashboard.html", {})
