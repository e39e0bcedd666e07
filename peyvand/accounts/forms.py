"""Forms of the accounts area."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from .choices import ROLES_BY_KIND, OrganisationKind, Role
from .models import Organisation, User


class LoginForm(AuthenticationForm):
    """Django's login form; usernames are trimmed and case-folded the way people type them."""

    def clean_username(self) -> str:
        return (self.cleaned_data.get("username") or "").strip()


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "phone", "preferred_language", "money_unit"]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["kind", "name", "name_en", "email", "phone"]
        widgets = {
            "name_en": forms.TextInput(attrs={"dir": "ltr"}),
            "email": forms.EmailInput(attrs={"dir": "ltr"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (value, label) for value, label in OrganisationKind.choices if value in {"buyer", "investor"}
        ]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"dir": "ltr"}))
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, organisation: Organisation, user=None, **kwargs) -> None:
        from .services import grantable_roles

        super().__init__(*args, **kwargs)
        roles = (
            grantable_roles(user, organisation)
            if user is not None
            else ROLES_BY_KIND.get(organisation.kind, ())
        )
        self.fields["role"].choices = [(role, Role(role).label) for role in roles]


class SignUpForm(UserCreationForm):
    """A new account created from an invitation link."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email")
