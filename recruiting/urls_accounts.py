"""Log in, log out, sign up and passwords (names follow django.contrib.auth's)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .views import accounts

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", accounts.signup, name="signup"),
]
