"""Pages of the bridge: requests, suggestions and invitations, supplier answers, the ledger, gaps."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peyvand.core import caching, permissions
from peyvand.core.audit import timeline
from peyvand.core.models import count_of
from peyvand.core.search import query_id, too_long
from peyvand.core.views import render_list
from peyvand.taxonomy.forms import code_text
from peyvand.units.choices import PRODUCING
from peyvand.units.models import ProductionUnit

from . import confidentiality, services
from .choices import ANSWERED, REQUEST_TRANSITIONS, InvitationState, RequestState
from .filters import LinkageFilter, RequestFilter
from .forms import DeclineForm, LinkageStepForm, MoveNoteForm, QuoteForm, SourcingRequestForm, WhyNotForm
from .models import Linkage, Match, SourcingRequest, SupplierInvitation
from .tables import LinkageTable, RequestTable


def _requests() -> Any:
    # counted per request shown, not over a join grouped by every request (38 → ~1 ms at 6,666 requests)
    invitations = SupplierInvitation.objects.all()
    return SourcingRequest.objects.select_related("buyer", "company").annotate(
        invited=count_of(invitations, "request"),
        quoted=count_of(invitations.filter(state=InvitationState.QUOTED), "request"),
    )


def visible_requests(user: Any) -> Any:
    """Requests the user may open: their own / their company's, plus the openly published ones."""
    return confidentiality.with_buyer_visible(
        permissions.restrict(_requests(), user, permissions.VIEW_PUBLIC), user
    )


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render_list(
        request,
        "sourcing/request_list.html",
        visible_requests(user),
        RequestFilter,
        RequestTable,
        context={"can_add": permissions.can(user, permissions.ADD, SourcingRequest)},
    )


def request_values(form: SourcingRequestForm) -> dict[str, Any]:
    """The cleaned values of the request form, with the buyer the form chose for a buyer's own people."""
    values = dict(form.cleaned_data)
    if form.instance.pk is None and "buyer" not in values:
        values["buyer"] = form.instance.buyer
    return values


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, permissions.ADD, SourcingRequest)
    form = SourcingRequestForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.save_request(None, request_values(form), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The request was saved as a draft. Submit it when it is complete."))
            return redirect(created)
    return render(request, "sourcing/request_form.html", {"form": form, "title": _("New sourcing request")})


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    sourcing_request = permissions.get_object_for_user(
        SourcingRequest.objects.select_related("buyer"), request.user, permissions.CHANGE, pk=pk
    )
    editable = sourcing_request.state in (RequestState.DRAFT, RequestState.SUBMITTED)
    if not editable and not permissions.can(request.user, permissions.REVIEW, sourcing_request):
        raise PermissionDenied
    form = SourcingRequestForm(
        request.POST or None, request.FILES or None, instance=sourcing_request, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_request(sourcing_request, request_values(form), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The request was saved."))
            return redirect(sourcing_request)
    return render(
        request,
        "sourcing/request_form.html",
        {
            "form": form,
            "title": _("Edit %(reference)s") % {"reference": sourcing_request.reference},
            "object": sourcing_request,
        },
    )


def _role_of(user: Any, sourcing_request: SourcingRequest) -> str:
    if permissions.can(user, permissions.BROKER, sourcing_request):
        return "officer"
    if sourcing_request.buyer_id in permissions.organisations(user, "buyer"):
        return "buyer"
    if permissions.is_staff_member(user) and permissions.can(user, permissions.VIEW, sourcing_request):
        # Staff who may read the bridge's work (suggestions, answers) see it; others see the request only.
        readable = permissions.can(user, permissions.VIEW, Match(request=sourcing_request))
        return "staff" if readable else "staff_basic"
    return "supplier"


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    sourcing_request = permissions.get_object_for_user(
        SourcingRequest.objects.select_related("buyer", "company", "created_by").prefetch_related(
            "capabilities", "preferred_counties", "certification_needs__certification", "attachments"
        ),
        user,
        permissions.VIEW_PUBLIC,
        pk=pk,
    )
    role = _role_of(user, sourcing_request)
    context: dict[str, Any] = {
        "object": sourcing_request,
        "hs_text": code_text(sourcing_request.hs_code) if sourcing_request.hs_code else "",
        "role": role,
        "moves": [
            state
            for state in REQUEST_TRANSITIONS[sourcing_request.state]
            if services.can_move(sourcing_request, user, state)
        ],
        "move_labels": dict(RequestState.choices),
        "can_edit": permissions.can(user, permissions.CHANGE, sourcing_request)
        and (sourcing_request.state in (RequestState.DRAFT, RequestState.SUBMITTED) or role == "officer"),
        "buyer_shown": confidentiality.buyer_visible(user, sourcing_request),
        "language": get_language() or "fa",
        "note_form": MoveNoteForm(),
    }
    invitations = list(
        sourcing_request.invitations.select_related("unit", "unit__estate__county").order_by("invited_at")
    )
    if role in ("officer", "staff"):
        context.update(_officer_context(request, sourcing_request, invitations))
        context["events"] = timeline(sourcing_request)[:40]
        context["linkages"] = sourcing_request.linkages.select_related("unit")
        context["gap"] = getattr(sourcing_request, "gap", None)
    elif role == "buyer":
        # Suppliers are numbered by their place among all invitations, so a label never shifts.
        context["responses"] = [
            (confidentiality.supplier_label(user, sourcing_request, invitation.unit, number), invitation)
            for number, invitation in enumerate(invitations, start=1)
            if invitation.state in ANSWERED or invitation.state == InvitationState.EXPIRED
        ]
        context["invited_count"] = len(invitations)
        context["events"] = timeline(sourcing_request).filter(code__startswith="sourcing.request.")[:20]
        context["can_consent"] = not sourcing_request.buyer_revealed and services.may_consent(
            user, sourcing_request
        )
    else:
        mine = [
            invitation for invitation in invitations if permissions.can(user, permissions.VIEW, invitation)
        ]
        context["my_invitations"] = mine
    return render(request, "sourcing/request_detail.html", context)


def _officer_context(
    request: HttpRequest, sourcing_request: SourcingRequest, invitations: list
) -> dict[str, Any]:
    """Suggestions with filters, the invitations board, and the 'why not?' answer."""
    matches = (
        Match.objects.filter(request=sourcing_request)
        .select_related("unit", "unit__estate", "unit__estate__county")
        .prefetch_related("unit__certifications")
    )
    county, size, certification = (request.GET.get(name, "") for name in ("county", "size", "certification"))
    county, certification = query_id(county), query_id(certification)
    if county:
        matches = matches.filter(unit__estate__county_id=county)
    if size:
        matches = (
            matches.filter(unit__in=ProductionUnit.objects.of_size(size))
            if size in ("micro", "small", "medium", "large")
            else matches
        )
    if certification:
        matches = matches.filter(unit__certifications=certification)
    invited_ids = {invitation.unit_id for invitation in invitations}
    board = {state: [] for state in InvitationState.values}
    for invitation in invitations:
        board[invitation.state].append(invitation)
    why_not_form = WhyNotForm(request.GET if "unit" in request.GET else None)
    why_not = None
    if why_not_form.is_bound and why_not_form.is_valid():
        why_not = _why_not(sourcing_request, why_not_form.cleaned_data["unit"], request.user)
    from peyvand.estates.models import County
    from peyvand.taxonomy.models import Capability
    from peyvand.units.choices import SizeClass
    from peyvand.units.models import Certification

    from .choices import PREPARING_SUGGESTIONS
    from .tasks import current_build

    needed_ids, needs_source = services.needed_capabilities(sourcing_request)
    preparing = sourcing_request.suggestion_state in PREPARING_SUGGESTIONS
    return {
        "index_build": current_build() if preparing else None,
        "needs_source": needs_source,
        "needs_from_text": Capability.objects.filter(pk__in=needed_ids) if needs_source == "text" else [],
        "matches": matches,
        "invited_ids": invited_ids,
        "board": [(InvitationState(state), board[state]) for state in InvitationState.values],
        "invitations": invitations,
        "why_not_form": why_not_form,
        "why_not": why_not,
        "counties": County.objects.all(),
        "sizes": SizeClass.choices,
        "certifications": Certification.objects.known(),
        "linked_ids": set(sourcing_request.linkages.values_list("unit_id", flat=True)),
        "can_broker": permissions.can(request.user, permissions.BROKER, sourcing_request),
        "can_link": permissions.can(request.user, permissions.BROKER, sourcing_request)
        and sourcing_request.buyer_revealed
        and sourcing_request.state in (RequestState.PUBLISHED, RequestState.CLOSED),
    }


def _why_not(sourcing_request: SourcingRequest, name: str, user: Any) -> dict[str, Any]:
    """The engine's answer for the unit whose name best matches ``name`` (idle since…, no capability…).

    Only units in ``user``'s scope are looked up: a unit of another estate company is neither named nor
    described, and the answer is the same whether or not one of that name exists."""
    from peyvand.core.jalali import format_date
    from peyvand.core.search import contains_all
    from peyvand.matching.explain import why_not

    from . import engine
    from .engine import IndexNotReady

    in_scope = permissions.restrict(ProductionUnit.objects.all(), user, permissions.VIEW)
    unit = contains_all(in_scope, "search_name", name).order_by("sort_name").first()
    if unit is None:
        return {
            "unit": None,
            "reasons": [_("No unit of this name is in your scope; units outside it are not answered for.")],
        }
    reasons: list[str] = []
    if unit.status not in PRODUCING:
        reasons.append(
            _("%(status)s since %(date)s")
            % {"status": unit.get_status_display(), "date": format_date(unit.status_since, "month")}
        )
    try:
        index = engine.current_index()
    except IndexNotReady:
        reasons.append(_("The matching index is being prepared; ask again in a minute."))
        return {"unit": unit, "reasons": reasons, "in_results": False, "rank": None}
    answer = why_not(index, engine.request_query(sourcing_request), str(unit.pk))
    language = "en" if (get_language() or "fa").startswith("en") else "fa"
    reasons += [reason for reason in answer.reasons(language) if reason not in reasons]
    return {"unit": unit, "reasons": reasons, "in_results": answer.in_results, "rank": answer.rank}


@login_required
@require_POST
def request_move(request: HttpRequest, pk: int, state: str) -> HttpResponse:
    sourcing_request = permissions.get_object_for_user(
        SourcingRequest.objects.all(), request.user, permissions.VIEW_PUBLIC, pk=pk
    )
    if state not in RequestState.values:
        raise Http404
    form = MoveNoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.move_request(sourcing_request, state, by=request.user, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The request is now “%(state)s”.") % {"state": RequestState(state).label})
    return redirect(sourcing_request)


@login_required
@require_POST
def request_suggest(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the ranking (a background job); the page shows its progress and refreshes when it is done."""
    sourcing_request = permissions.get_object_for_user(
        SourcingRequest.objects.all(), request.user, permissions.BROKER, pk=pk
    )
    if services.request_suggestions(sourcing_request, by=request.user):
        messages.success(request, _("Suppliers are being suggested; the list appears here in a moment."))
    else:
        messages.info(request, _("Suppliers are already being suggested for this request."))
    return redirect(sourcing_request)


@login_required
def suggestions_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """What the request page polls while its suggestions are prepared; sends the page on when ready."""
    from .choices import PREPARING_SUGGESTIONS
    from .tasks import current_build

    sourcing_request = permissions.get_object_for_user(
        SourcingRequest.objects.all(), request.user, permissions.VIEW, pk=pk
    )
    if _role_of(request.user, sourcing_request) not in ("officer", "staff"):
        raise Http404  # only those who see the suggestions see them being prepared
    if sourcing_request.suggestion_state not in PREPARING_SUGGESTIONS:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = sourcing_request.get_absolute_url() + "#suggestions"
        return response
    return render(
        request,
        "sourcing/_suggestions_progress.html",
        {"object": sourcing_request, "index_build": current_build()},
    )


@login_required
@require_POST
def request_invite(request: HttpRequest, pk: int) -> HttpResponse:
    sourcing_request = permissions.get_object_for_user(
        SourcingRequest.objects.select_related("buyer"), request.user, permissions.VIEW, pk=pk
    )
    ids = [number for number in map(query_id, request.POST.getlist("units")) if number is not None]
    units = list(ProductionUnit.objects.filter(pk__in=ids).select_related("organisation"))
    if not units:
        messages.error(request, _("Choose at least one supplier to invite."))
        return redirect(sourcing_request)
    try:
        created = services.invite(sourcing_request, units, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s suppliers invited.") % {"count": len(created)})
    return redirect(sourcing_request)


@login_required
@require_POST
def request_consent(request: HttpRequest, pk: int) -> HttpResponse:
    sourcing_request = permissions.get_object_for_user(
        SourcingRequest.objects.all(), request.user, permissions.CHANGE, pk=pk
    )
    services.consent_to_reveal(sourcing_request, by=request.user)
    messages.success(request, _("Suppliers can now see who you are, and you can see who they are."))
    return redirect(sourcing_request)


# --- the supplier's side --------------------------------------------------------------------------
def invitation_rows(user: Any) -> Any:
    """The invitations ``user`` may open (``invitation_detail``'s rule, for the API): those of the unit
    they act for, and, for staff, those of their company's requests — never another supplier's, and not
    the buyer's (it reads answers on its request's page)."""
    rows = permissions.restrict(
        SupplierInvitation.objects.select_related("request", "request__buyer", "unit"), user, permissions.VIEW
    )
    if permissions.is_staff_member(user):
        return rows
    return rows.filter(unit__organisation__in=permissions.organisations(user, "production_unit"))


@login_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    """A unit's representatives see the invitations sent to their unit (never other suppliers')."""
    units = permissions.organisations(request.user, "production_unit")
    invitations = (
        SupplierInvitation.objects.filter(unit__organisation__in=units)
        .select_related("request", "request__buyer", "unit")
        .order_by("-invited_at")
    )
    open_states = [InvitationState.INVITED, InvitationState.OPENED]
    return render(
        request,
        "sourcing/invitation_list.html",
        {
            "open_invitations": [i for i in invitations if i.state in open_states],
            "closed_invitations": [i for i in invitations if i.state not in open_states][:50],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = permissions.get_object_for_user(
        SupplierInvitation.objects.select_related("request", "request__buyer", "unit"),
        request.user,
        permissions.VIEW,
        pk=pk,
    )
    responder = permissions.can(request.user, permissions.RESPOND, invitation)
    unit_member = invitation.unit.organisation_id in permissions.organisations(
        request.user, "production_unit"
    )
    if not (responder or unit_member or permissions.is_staff_member(request.user)):
        raise PermissionDenied  # the buyer reads answers on its request's page, as confidentiality allows
    if responder:
        services.mark_opened(invitation, by=request.user)
    quote_form = QuoteForm(instance=invitation, prefix="quote")
    decline_form = DeclineForm(instance=invitation, prefix="decline")
    if request.method == "POST":
        if not responder:
            raise PermissionDenied
        quoting = "quote" in request.POST
        form = (
            QuoteForm(request.POST, request.FILES, instance=invitation, prefix="quote")
            if quoting
            else DeclineForm(request.POST, instance=invitation, prefix="decline")
        )
        if form.is_valid():
            try:
                services.answer(invitation, form.cleaned_data, quote=quoting, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Thank you: your answer was sent.") if quoting else _("Your decline was recorded."),
                )
                return redirect("sourcing:invitation_detail", pk=invitation.pk)
        if quoting:
            quote_form = form
        else:
            decline_form = form
    sourcing_request = invitation.request
    return render(
        request,
        "sourcing/invitation_detail.html",
        {
            "invitation": invitation,
            "object": sourcing_request,
            "buyer_shown": confidentiality.buyer_visible(request.user, sourcing_request),
            "quote_form": quote_form,
            "decline_form": decline_form,
            "can_answer": responder
            and invitation.state not in ANSWERED
            and invitation.state != InvitationState.EXPIRED,
        },
    )


# --- the ledger -----------------------------------------------------------------------------------
def _linkages(user: Any) -> Any:
    return confidentiality.with_linkage_buyer_visible(
        Linkage.objects.select_related("buyer", "unit", "unit__estate", "request"), user
    )


def linkage_rows(user: Any) -> Any:
    """The ledger rows ``user`` sees (the page and the API), each with its buyer-visible flag."""
    return permissions.restrict(_linkages(user), user, permissions.VIEW)


@login_required
def linkage_list(request: HttpRequest) -> HttpResponse:
    """Open linkages by stage, with totals computed from the ledger rows behind them."""
    linkages = linkage_rows(request.user)
    filterset = LinkageFilter(request.GET or None, queryset=linkages, request=request)
    rows = linkages
    if filterset.is_bound:
        rows = filterset.qs if filterset.is_valid() else linkages.none()
    stage_counts, totals = caching.remember_rows(
        "linkage-totals",
        request.user,
        rows,
        lambda: (
            dict(rows.order_by().values_list("stage").annotate(n=Count("id")).values_list("stage", "n")),
            rows.totals(),
        ),
    )
    from .choices import LinkageStage

    return render_list(
        request,
        "sourcing/linkage_list.html",
        linkages,
        LinkageFilter,
        LinkageTable,
        context={
            "totals": totals,
            "stages": [(stage, stage_counts.get(stage.value, 0)) for stage in LinkageStage],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def linkage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    linkage = permissions.get_object_for_user(_linkages(request.user), request.user, permissions.VIEW, pk=pk)
    can_move = permissions.can(request.user, permissions.BROKER, linkage)
    last_step = linkage.steps.order_by("-id").values_list("id", flat=True).first()
    form = (
        LinkageStepForm(request.POST or None, stage=linkage.stage, initial={"last_step": last_step})
        if can_move
        else None
    )
    if request.method == "POST":
        if not can_move:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.move_linkage(
                    linkage,
                    form.cleaned_data["to_stage"],
                    date=form.cleaned_data["date"],
                    values=form.values(),
                    note=form.cleaned_data["note"],
                    lost_reason=form.cleaned_data.get("lost_reason", ""),
                    expected_last_step=form.cleaned_data.get("last_step"),
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The ledger was updated."))
                return redirect(linkage)
    return render(
        request,
        "sourcing/linkage_detail.html",
        {
            "linkage": linkage,
            "buyer_name": linkage.buyer.display_name
            if confidentiality.linkage_buyer_visible(request.user, linkage)
            else _("withheld until the buyer consents"),
            "steps": linkage.steps.select_related("by"),
            "form": form if form is not None and form.fields["to_stage"].choices else None,
            "events": timeline(linkage)[:30],
        },
    )


@login_required
@require_POST
def linkage_start(request: HttpRequest, pk: int) -> HttpResponse:
    sourcing_request = permissions.get_object_for_user(
        SourcingRequest.objects.select_related("buyer", "company"), request.user, permissions.BROKER, pk=pk
    )
    unit_id = query_id(request.POST.get("unit"))
    unit = ProductionUnit.objects.filter(pk=unit_id).first() if unit_id is not None else None
    if unit is None:
        raise Http404
    source = request.POST.get("source", "match")
    try:
        linkage = services.start_linkage(
            sourcing_request,
            unit,
            by=request.user,
            source=source if source in ("match", "quote", "direct") else "match",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(sourcing_request)
    messages.success(request, _("A linkage was started: follow it in the ledger."))
    return redirect(linkage)


# --- gaps and the supplier directory --------------------------------------------------------------
def gap_rows(user: Any) -> Any:
    """The gap tickets ``user`` sees (the page and the API)."""
    from .models import GapTicket

    return (
        permissions.restrict(GapTicket.objects.all(), user, permissions.VIEW)
        .select_related("request", "request__buyer", "flagged_unit")
        .prefetch_related("missing")
    )


@login_required
def gap_list(request: HttpRequest) -> HttpResponse:
    """What the province cannot yet make locally, and for whom: open gaps grouped by capability."""
    from .choices import GapState

    state = request.GET.get("state", "open")
    gaps = gap_rows(request.user)
    if state == "open":
        gaps = gaps.exclude(state=GapState.RESOLVED)
    elif state in GapState.values:
        gaps = gaps.filter(state=state)
    from django.conf import settings
    from django.core.paginator import Paginator

    page = Paginator(gaps.order_by("-created_at", "-id"), settings.PEYVAND_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    by_capability: dict[Any, list] = {}
    for gap in page.object_list:
        gap.buyer_name = confidentiality.buyer_name(request.user, gap.request)
        for capability in gap.missing.all() or [None]:
            by_capability.setdefault(capability, []).append(gap)
    groups = sorted(
        by_capability.items(), key=lambda item: (-len(item[1]), getattr(item[0], "sort_name", ""))
    )
    return render(
        request,
        "sourcing/gap_list.html",
        {
            "groups": groups,
            "state": state,
            "states": GapState.choices,
            "total": page.paginator.count,
            "page": page,
        },
    )


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    """Buyers search the public supplier profiles with the matching engine, with facets."""
    from django.core.paginator import Paginator

    from peyvand.estates.models import County
    from peyvand.taxonomy.models import Capability
    from peyvand.units.choices import SizeClass
    from peyvand.units.models import Certification

    from . import engine

    query = (request.GET.get("q") or "").strip()
    problem = too_long(query)
    if problem:
        messages.error(request, problem)
        query = ""
    units = (
        ProductionUnit.objects.producing()
        .select_related("estate", "estate__county", "isic")
        .prefetch_related("certifications", "capabilities")
    )
    county, size, certification, family = (
        request.GET.get(key, "") for key in ("county", "size", "certification", "family")
    )
    county, certification = query_id(county), query_id(certification)
    if county:
        units = units.filter(estate__county_id=county)
    if size in SizeClass.values:
        units = units.of_size(size)
    if certification:
        units = units.filter(certifications=certification)
    if family:
        units = units.filter(capabilities__family=family).distinct()
    index_pending = False
    rows = ranking = None
    if query:
        from peyvand.matching.documents import Request as Query
        from peyvand.matching.ranking import order

        try:
            index = engine.current_index()
        except engine.IndexNotReady:
            index_pending = True  # the list below stays browsable; the search works once it is built
        else:
            ranking = order(index, Query(id="directory", text=query), top=200)
            ranked = [int(profile_id) for profile_id in ranking.ids]
            # The ranked ids the facets keep (ids only), then the page's 20 units with what they show.
            kept = set(units.filter(pk__in=ranked).values_list("pk", flat=True))
            rows = [pk for pk in ranked if pk in kept]
    if rows is None:
        # The first 2,000 by name, counted and paged by the database: only the page's 20 units are
        # read with their certifications and capabilities (not 2,000 of them on every request).
        page = Paginator(units.order_by("sort_name")[:2000], 20).get_page(request.GET.get("page"))
        total = page.paginator.count
    else:
        page = Paginator(rows, 20).get_page(request.GET.get("page"))
        found = {unit.pk: unit for unit in units.filter(pk__in=page.object_list)}
        page.object_list = [found[pk] for pk in page.object_list if pk in found]
        total = len(rows)
    language = "en" if (get_language() or "fa").startswith("en") else "fa"
    for unit in page.object_list:  # only the page's units are explained, not the 200 ranked
        row = ranking.index.row(str(unit.pk)) if ranking is not None else None
        unit.reasons = list(ranking.explain(row).reasons(language))[:3] if row is not None else []
    families = (
        Capability.objects.filter(is_active=True)
        .values_list("family", "family_name", "family_name_en")
        .distinct()
    )
    return render(
        request,
        "sourcing/directory.html",
        {
            "page": page,
            "query": query,
            "index_pending": index_pending,
            "total": total,
            "counties": County.objects.all(),
            "sizes": SizeClass.choices,
            "certifications": Certification.objects.known(),
            "families": sorted(set(families), key=lambda row: row[1]),
        },
    )
