from django.urls import path

from . import views

app_name = "roles"

urlpatterns = [
    path("", views.library, name="library"),
    path("compare/", views.compare, name="compare"),
    path("<slug:role_slug>/<slug:level_slug>/", views.profile, name="profile"),
]
