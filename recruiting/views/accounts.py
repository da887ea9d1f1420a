"""Sign-up, creating an organisation, and the password pages around Django's auth views."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from recruiting.forms.accounts import OrganizationForm, SignupForm
from recruiting.services import accounts as account_services
from recruiting.services.accounts import AccountError
from recruiting.tenancy import SESSION_KEY

# Sign-up logs the new user in without authenticate(); with two backends
# configured (django-axes first) Django needs to be told which one vouches.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def safe_next_url(request) -> str:
    """The `next` parameter when it points back into this site, else ''."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def log_in_member(request, membership) -> None:
    """Log the person in and make the membership's organisation the active one."""
    login(request, membership.user, backend=MODEL_BACKEND)
    request.session[SESSION_KEY] = membership.organization_id


@sensitive_post_parameters("password1", "password2")
def signup(request):
    next_url = safe_next_url(request)
    if request.user.is_authenticated:
        return redirect(next_url or "recruiting:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = account_services.account_signup(
                full_name=data["full_name"],
                email=data["email"],
                password=data["password1"],
                organization_name=data["organization_name"],
            )
        except AccountError as error:
            form.add_error("email", error.message)
        else:
            log_in_member(request, membership)
            messages.success(
                request,
                _("Welcome to Yardstick! %(organization)s is ready.")
                % {"organization": membership.organization.name},
            )
            return redirect(next_url or "recruiting:dashboard")
    return render(request, "recruiting/signup.html", {"form": form, "next": next_url})


@login_required
def organization_create(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership = account_services.organization_create(
            name=form.cleaned_data["name"], owner=request.user
        )
        request.session[SESSION_KEY] = membership.organization_id
        messages.success(
            request,
            _("%(organization)s is ready, and you are its owner.")
            % {"organization": membership.organization.name},
        )
        return redirect("recruiting:dashboard")
    return render(
        request,
        "recruiting/organization_create.html",
        {"form": form, "has_membership": request.user.memberships.exists()},
    )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view, plus: a new password lifts a failed-login lockout for that email.

    The locked-out page tells people to reset their password; without this they
    would still be locked out for the rest of the 15 minutes after doing so.
    """

    def form_valid(self, form):
        response = super().form_valid(form)
        account_services.account_unlock(email=form.user.email)
        return response
