"""accounts views."""

from django.shortcuts import render


def signup(request):  # placeholder until sign-up lands
    return render(request, "recruiting/dashboard.html", {})


def organization_create(request):  # placeholder
    return render(request, "recruiting/dashboard.html", {})
