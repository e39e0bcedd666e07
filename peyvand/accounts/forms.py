"""Forms of the accounts area."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .models import User


class LoginForm(AuthenticationForm):
    """Django's login form; usernames are trimmed and case-folded the way people type them."""

    def clean_username(self) -> str:
        return (self.cleaned_data.get("username") or "").strip()


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "phone", "preferred_language", "money_unit"]
