"""The API's own views: the KPI figures, the schema and its documentation pages, and the account page
where a user creates and revokes personal tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .models import ApiToken

# --- KPIs ------------------------------------------------------------------------------------------


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("What is it for?"), max_length=80)
    days = forms.TypedChoiceField(
        label=gettext_lazy("Valid for"),
        coerce=int,
        choices=[
            (30, gettext_lazy("30 days")),
            (90, gettext_lazy("90 days")),
            (180, gettext_lazy("180 days")),
            (365, gettext_lazy("one year")),
        ],
        initial=90,
    )


def _own_tokens(user: Any) -> QuerySet[ApiToken]:
    """The tokens of ``user`` (a signed-in user: the pages are behind ``login_required``)."""
    return ApiToken.objects.filter(user=user)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens; a new one is shown once, right after it is made."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.create_token(
                request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            created = {"token": token, "raw": raw}
            form = TokenForm()
    rows = _own_tokens(request.user)
    response = render(request, "api/tokens.html", {"form": form, "tokens": rows, "created": created})
    if created:
        response["Cache-Control"] = "no-store"  # the raw token must not stay in a cache
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # another user's token: 404
    services.revoke_token(token, by=request.user)
    messages.success(request, _("The token was revoked: it no longer works."))
    return redirect("api:tokens")


# --- Errors outside the API's views (no URL matched): problem documents under /api/ too --------------
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The project's 404: a problem document under ``/api/``, Django's page everywhere else."""
    from django.http import JsonResponse
    from django.views import defaults

    from .base import activate_accept_language
    from .problems import PROBLEM_TYPE, ProblemJSONRenderer

    if not request.path.startswith("/api/"):
        return defaults.page_not_found(request, exception)
    activate_accept_language(request)
    body = {
        "type": PROBLEM_TYPE + "not-found",
        "title": _("Not found"),
        "status": 404,
        "detail": _("There is nothing here, or you may not see it."),
    }
    return JsonResponse(body, status=404, content_type=ProblemJSONRenderer.media_type)
