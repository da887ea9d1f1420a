from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

admin.site.site_header = "Yardstick administration"
admin.site.site_title = "Yardstick admin"
admin.site.index_title = "Role library and question bank"

urlpatterns = [
    path("", views.home, name="home"),
    path("roles/", include("roles.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
