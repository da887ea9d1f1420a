"""Candidate-facing pages under /t/ (namespace `candidate`): no account, a private token."""

from django.urls import path

from recruiting.views import bench

from . import candidate_views, take_views

app_name = "candidate"

urlpatterns = [
    # Before the landing route: "a" is never an invitation token (those are 43 characters).
    path("a/<str:public_token>/", candidate_views.public_link, name="public"),
    path("-/ping/", bench.ping, name="bench-ping"),  # make bench's baseline; "-" is no token
    path("<str:token>/", candidate_views.landing, name="landing"),
    path("<str:token>/start/", candidate_views.start, name="start"),
    path("<str:token>/take/", take_views.take, name="take"),
    path("<str:token>/save/", take_views.save, name="save"),
    path("<str:token>/flag/", take_views.flag, name="flag"),
    path("<str:token>/run/", take_views.run_sql, name="run-sql"),
    path("<str:token>/event/", take_views.event, name="event"),
    path("<str:token>/submit/", take_views.submit, name="submit"),
    path("<str:token>/done/", take_views.done, name="done"),
]
