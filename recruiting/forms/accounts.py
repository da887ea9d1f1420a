"""Forms for logging in, signing up, passwords and the team page."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordMixin
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from recruiting.emails import send_email_task
from recruiting.models import Membership, User
from recruiting.services.accounts import EMAIL_TAKEN


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form with the email as the login (any capitalisation)."""

    username = forms.CharField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self):
        # Accounts are stored lower-cased, so "Alice@Acme.test" logs in as alice.
        return self.cleaned_data["username"].strip().lower()


class SignupForm(SetPasswordMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True}),
    )
    email = forms.EmailField(
        label=_("Work email"),
        help_text=_("You will log in with this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organization_name = forms.CharField(
        label=_("Organisation name"),
        max_length=150,
        help_text=_("Your company or hiring team. You can invite teammates once you are in."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    password1, password2 = SetPasswordMixin.create_password_fields()

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(EMAIL_TAKEN, code="email_taken")
        return email

    def clean(self):
        cleaned = super().clean()
        self.validate_passwords()
        # The validators compare the password with the person's name and email.
        probe = User(email=cleaned.get("email") or "", full_name=cleaned.get("full_name") or "")
        self.validate_password_for_user(probe)
        return cleaned


class InvitationSignupForm(SetPasswordMixin, forms.Form):
    """The invited person's new account: the email comes from the invitation."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True}),
    )
    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        self.validate_passwords()
        self.validate_password_for_user(
            User(email=self.email, full_name=cleaned.get("full_name") or "")
        )
        return cleaned


class OrganizationForm(forms.Form):
    name = forms.CharField(
        label=_("Organisation name"),
        max_length=150,
        help_text=_("Your company or hiring team, as candidates and teammates will see it."),
        widget=forms.TextInput(attrs={"autocomplete": "organization", "autofocus": True}),
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter a name for the organisation."))
        return name


class TeamInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"placeholder": "name@company.com"})
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.RECRUITER,
        help_text=_(
            "Owners manage the team; recruiters build assessments and invite candidates; "
            "reviewers read reports and grade answers."
        ),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the email sent by the task queue instead of the request."""

    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        path = reverse(
            "password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        # Plain strings only: the database task queue stores the context as JSON.
        email_context = {
            "reset_url": settings.SITE_URL + path,
            "user_name": user.get_short_name(),
            "email": to_email,
        }
        transaction.on_commit(
            lambda: send_email_task.enqueue(
                to=to_email, name="password_reset", context=email_context
            )
        )
