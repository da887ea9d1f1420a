"""The recruiter dashboard."""

from django.shortcuts import render

from recruiting.tenancy import member_required


@member_required
def dashboard(request):
    return render(request, "recruiting/dashboard.html", {})
