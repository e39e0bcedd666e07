"""Log in and out, passwords, and the user's own preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _

from .forms import LoginForm, PreferencesForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        language = form.get_user().preferred_language
        translation.activate(language)
        response.set_cookie("peyvand_language", language, samesite="Lax")
        return response


logout = auth_views.LogoutView.as_view()
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/form_page.html",
    success_url=reverse_lazy("accounts:password_change_done"),
    extra_context={"title": _("Change password")},
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)
password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/form_page.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
    extra_context={"title": _("Forgotten password")},
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/form_page.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
    extra_context={"title": _("Choose a new password")},
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The user's own details and preferences (language, toman or rial), and their memberships."""
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences were saved."))
        response = redirect("accounts:profile")
        response.set_cookie("peyvand_language", form.cleaned_data["preferred_language"], samesite="Lax")
        return response
    memberships = request.user.memberships.select_related("organisation").order_by("organisation__sort_name")
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})
