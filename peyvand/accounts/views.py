"""Log in and out, passwords, and the user's own preferences."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peyvand.core import permissions
from peyvand.core.audit import timeline
from peyvand.core.views import render_list, set_language_cookie

from . import services
from .choices import ApprovalState, InvitationState
from .filters import OrganisationFilter
from .forms import InviteForm, LoginForm, OrganisationForm, PreferencesForm, SignUpForm
from .models import Invitation, Membership, Organisation, PendingMembership
from .tables import OrganisationTable


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        """A language chosen before logging in wins and is remembered; otherwise the saved one applies."""
        response = super().form_valid(form)
        user = form.get_user()
        chosen = self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in dict(settings.LANGUAGES) and chosen != user.preferred_language:
            user.preferred_language = chosen
            user.save(update_fields=["preferred_language"])
        translation.activate(user.preferred_language)
        set_language_cookie(response, user.preferred_language)
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
        set_language_cookie(response, form.cleaned_data["preferred_language"])
        return response
    memberships = request.user.memberships.select_related("organisation").order_by("organisation__sort_name")
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})


def _organisations():
    return Organisation.objects.select_related("company").annotate(member_count=Count("memberships"))


def organisation_rows(user):
    """The organisations ``user`` may see (the page and the API)."""
    return permissions.restrict(_organisations(), user, permissions.VIEW)


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    """Organisations the user may see: staff see their company's clients; others their own."""
    queryset = organisation_rows(request.user)
    return render_list(
        request,
        "accounts/organisation_list.html",
        queryset,
        OrganisationFilter,
        OrganisationTable,
        context={"can_add": permissions.can(request.user, permissions.ADD, Organisation)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, permissions.ADD, Organisation)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.create_organisation(form.save(commit=False), by=request.user)
        messages.success(request, _("The organisation was registered. Invite its people now."))
        return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(request, "accounts/form_page.html", {"form": form, "title": _("Register an organisation")})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Members, pending invitations and the invite form."""
    organisation = permissions.get_object_for_user(_organisations(), request.user, permissions.VIEW, pk=pk)
    can_invite = permissions.can(request.user, permissions.INVITE, organisation) and bool(
        services.grantable_roles(request.user, organisation)
    )
    form = InviteForm(request.POST or None, organisation=organisation, user=request.user)
    if request.method == "POST":
        if not can_invite:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.invite(
                    organisation,
                    form.cleaned_data["email"],
                    form.cleaned_data["role"],
                    by=request.user,
                    base_url=request.build_absolute_uri("/").rstrip("/"),
                )
            except ValidationError as error:
                form.add_error("email", error)
            else:
                messages.success(request, _("The invitation was sent."))
                return redirect("accounts:organisation_detail", pk=organisation.pk)
    members = organisation.memberships.select_related("user").order_by("user__username")
    awaiting = [
        (pending, services.may_approve(request.user, pending))
        for pending in organisation.pending_memberships.filter(state=ApprovalState.PENDING).select_related(
            "user", "organisation"
        )
    ]
    invitations = organisation.invitations.filter(state=InvitationState.PENDING).select_related("invited_by")
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "members": members,
            "awaiting": awaiting,
            "invitations": invitations,
            "form": form if can_invite else None,
            "can_remove": permissions.can(
                request.user, permissions.DELETE, Membership(organisation=organisation)
            ),
            "events": timeline(organisation)[:30],
        },
    )


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = permissions.get_object_for_user(
        Membership.objects.select_related("organisation", "user"), request.user, permissions.DELETE, pk=pk
    )
    if membership.user_id == request.user.pk:
        messages.error(request, _("You cannot remove yourself."))
    else:
        services.remove_membership(membership, by=request.user)
        messages.success(
            request, _("%(user)s no longer acts for this organisation.") % {"user": membership.user}
        )
    return redirect("accounts:organisation_detail", pk=membership.organisation_id)


@login_required
@require_POST
def membership_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """A manager of the company approves or refuses a membership that joins a staff and a client role."""
    if decision not in ("approve", "refuse"):
        raise Http404
    pending = permissions.get_object_for_user(
        PendingMembership.objects.select_related("organisation", "user"),
        request.user,
        permissions.VIEW,
        pk=pk,
    )
    try:
        services.decide_membership(pending, approve=decision == "approve", by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(user)s now acts for this organisation.") % {"user": pending.user}
            if decision == "approve"
            else _("The membership of %(user)s was refused.") % {"user": pending.user},
        )
    return redirect("accounts:organisation_detail", pk=pending.organisation_id)


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone holding the link may accept; without an account, they create one here."""
    invitation = Invitation.objects.select_related("organisation").filter(token=token).first()
    if invitation is None or not invitation.is_usable:
        return render(request, "accounts/invitation_invalid.html", status=410)
    form = (
        None
        if request.user.is_authenticated
        else SignUpForm(request.POST or None, initial={"email": invitation.email})
    )
    if request.method == "POST":
        if request.user.is_authenticated:
            user = request.user
        elif form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        else:
            user = None
        if user is not None:
            granted = services.accept_invitation(invitation, user)
            if isinstance(granted, PendingMembership):
                messages.info(
                    request,
                    _(
                        "You also hold a role on the other side (estate company or client): a manager of the estate company must approve before you act for %(organisation)s."
                    )
                    % {"organisation": invitation.organisation},
                )
            else:
                messages.success(
                    request,
                    _("Welcome: you now act for %(organisation)s.")
                    % {"organisation": invitation.organisation},
                )
            return redirect("accounts:profile")
    return render(request, "accounts/accept_invitation.html", {"invitation": invitation, "form": form})
