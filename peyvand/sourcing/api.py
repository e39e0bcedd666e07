"""The bridge through the API: requests, suggestions with their reasons, invitations and quotes, the
linkage ledger and gap tickets — the rows the bridge's pages show, and the buyer's name only where
``confidentiality`` allows (an anonymous buyer is never named to suppliers)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from peyvand.api import resources
from peyvand.api.base import Docs, GatedViewSet, write
from peyvand.api.serializers import CodedRef, NamedRef, ReadModelSerializer
from peyvand.core import permissions

from . import confidentiality, services
from .choices import DeclineReason
from .filters import GapFilter, InvitationFilter, LinkageFilter, MatchFilter, RequestFilter
from .forms import DeclineForm, QuoteForm, SourcingRequestForm
from .models import GapTicket, Linkage, Match, SourcingRequest, SupplierInvitation
from .views import gap_rows, invitation_rows, linkage_rows, request_values, visible_requests

_WITHHELD = (
    "null when the buyer is withheld (an anonymous request before the buyer consents).\n\n"
    "خالی وقتی نام خریدار پنهان است (درخواست بی‌نام پیش از رضایت خریدار)."
)


@extend_schema_field(NamedRef(allow_null=True, help_text=_WITHHELD))
class BuyerField(serializers.Field):
    """The buyer of a request (or of a row reaching one), or ``null`` when ``user`` may not know it."""

    def __init__(self, *, visible: Any, **kwargs: Any) -> None:
        self.visible = visible
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, row: Any) -> dict[str, Any] | None:
        user = self.context["request"].user
        if not self.visible(user, row):
            return None
        buyer = row.buyer if hasattr(row, "buyer") else row.request.buyer
        return {"id": buyer.pk, "name": buyer.name, "name_en": buyer.name_en}


def _request_buyer_visible(user: Any, row: Any) -> bool:
    return confidentiality.buyer_visible(user, row)


def _invitation_buyer_visible(user: Any, invitation: SupplierInvitation) -> bool:
    return confidentiality.buyer_visible(user, invitation.request)


class RequestSerializer(ReadModelSerializer):
    reference = serializers.CharField(read_only=True)
    buyer = BuyerField(visible=_request_buyer_visible)
    company = NamedRef(read_only=True)
    invited = serializers.IntegerField(read_only=True)
    quoted = serializers.IntegerField(read_only=True)

    class Meta:
        model = SourcingRequest
        fields = (
            "id",
            "reference",
            "title",
            "text",
            "lang",
            "buyer",
            "company",
            "state",
            "confidentiality",
            "quantity",
            "quantity_unit",
            "target_price_rial",
            "quote_deadline",
            "delivery_from",
            "delivery_to",
            "capabilities",
            "preferred_counties",
            "created_at",
            "published_at",
            "invited",
            "quoted",
        )
        read_only_fields = fields


class RequestRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)


class MatchSerializer(ReadModelSerializer):
    unit = NamedRef(read_only=True)
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = ("id", "request", "unit", "rank", "score", "qualified", "matched_capabilities", "reasons")
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_reasons(self, match: Match) -> list[str]:
        """Why the unit was suggested, in the caller's language."""
        from django.utils.translation import get_language

        english = (get_language() or "fa").startswith("en")
        return list(match.reasons_en if english and match.reasons_en else match.reasons_fa)


class InvitationSerializer(ReadModelSerializer):
    request = RequestRef(read_only=True)
    buyer = BuyerField(visible=_invitation_buyer_visible)
    unit = NamedRef(read_only=True)

    class Meta:
        model = SupplierInvitation
        fields = (
            "id",
            "request",
            "buyer",
            "unit",
            "state",
            "invited_at",
            "opened_at",
            "responded_at",
            "price_rial",
            "lead_time_days",
            "capacity",
            "note",
            "decline_reason",
        )
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer):
    """A supplier's answer: a quote (price, lead time, capacity, note) or a decline (reason, note)."""

    answer = serializers.ChoiceField(choices=["quote", "decline"])
    price_rial = serializers.IntegerField(required=False, help_text="quote: the price in rial")
    lead_time_days = serializers.IntegerField(required=False, help_text="quote: days to deliver")
    capacity = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    decline_reason = serializers.ChoiceField(choices=DeclineReason.choices, required=False)


def _linkage_buyer_visible(user: Any, linkage: Linkage) -> bool:
    return confidentiality.linkage_buyer_visible(user, linkage)


class LinkageSerializer(ReadModelSerializer):
    request = RequestRef(read_only=True, allow_null=True)
    buyer = BuyerField(visible=_linkage_buyer_visible)
    unit = NamedRef(read_only=True)

    class Meta:
        model = Linkage
        fields = (
            "id",
            "request",
            "buyer",
            "unit",
            "source",
            "stage",
            "stage_date",
            "introduced_on",
            "lost_reason",
            "contract_value_rial",
            "contract_value_usd",
            "quantity",
            "quantity_unit",
            "local_content_share",
            "export_share",
            "jobs_created",
        )
        read_only_fields = fields


class GapSerializer(ReadModelSerializer):
    request = RequestRef(read_only=True)
    buyer = BuyerField(visible=_invitation_buyer_visible)
    missing = CodedRef(many=True, read_only=True)

    class Meta:
        model = GapTicket
        fields = (
            "id",
            "request",
            "buyer",
            "missing",
            "qualified_count",
            "needed_count",
            "state",
            "flagged_unit",
            "created_at",
            "resolved_at",
        )
        read_only_fields = fields


class MatchViewSet(GatedViewSet):
    serializer_class = MatchSerializer
    filterset_class = MatchFilter
    ordering = ("request_id", "rank", "id")
    docs = Docs(
        "Suggested suppliers with reasons · تأمین‌کنندگان پیشنهادی با دلیل",
        "One suggestion · یک پیشنهاد",
        "The matches officers review on a request's page.\n\n"
        "پیشنهادهایی که کارشناسان در صفحهٔ درخواست می‌بینند.",
    )

    def rows(self, user: Any) -> QuerySet:
        return permissions.restrict(Match.objects.select_related("unit"), user, permissions.VIEW)


class InvitationViewSet(GatedViewSet):
    serializer_class = InvitationSerializer
    filterset_class = InvitationFilter
    ordering = ("-invited_at", "-id")
    docs = Docs(
        "Invitations and quotes · دعوت‌ها و پیشنهاد قیمت‌ها",
        "One invitation · یک دعوت",
        "Your unit's invitations (suppliers); those of your company's requests (staff).\n\n"
        "دعوت‌های واحد شما (تأمین‌کنندگان)؛ دعوت‌های درخواست‌های شرکت شما (کارکنان).",
    )

    def rows(self, user: Any) -> QuerySet:
        return invitation_rows(user)

    @write(
        "Quote or decline · پاسخ به دعوت: پیشنهاد قیمت یا رد",
        "The invited unit's people answer before the deadline, as on the invitation page.\n\n"
        "کارکنان واحد دعوت‌شده پیش از مهلت پاسخ می‌دهند، همان‌گونه که در صفحهٔ دعوت.",
        body=AnswerSerializer,
    )
    def answer(self, request: Any, pk: str | None = None) -> Response:
        rows = SupplierInvitation.objects.select_related("request", "unit")
        invitation = self.gated(pk, permissions.RESPOND, rows)
        if not hasattr(request.data, "items"):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send the fields as one JSON object.")]}
            )
        quoting = request.data.get("answer") == "quote"
        if request.data.get("answer") not in ("quote", "decline"):
            raise serializers.ValidationError({"answer": [_("Answer “quote” or “decline”.")]})
        form = self.submit(QuoteForm if quoting else DeclineForm, instance=invitation)
        services.answer(invitation, form.cleaned_data, quote=quoting, by=request.user)
        return self.shown(invitation)


class LinkageViewSet(GatedViewSet):
    serializer_class = LinkageSerializer
    filterset_class = LinkageFilter
    ordering = ("-stage_date", "-id")
    docs = Docs(
        "The linkage ledger · دفتر پیوندها",
        "One linkage · یک پیوند",
        "Linkages with their stage and values, filters as on the ledger page.\n\n"
        "پیوندها با مرحله و ارزش‌ها، با همان پالایه‌های صفحهٔ دفتر پیوندها.",
    )

    def rows(self, user: Any) -> QuerySet:
        return linkage_rows(user)


class GapViewSet(GatedViewSet):
    serializer_class = GapSerializer
    filterset_class = GapFilter
    ordering = ("-created_at", "-id")
    docs = Docs(
        "Gap tickets · کمبودهای تأمین",
        "One gap ticket · یک کمبود",
        "Requests nobody in the province could serve, with the missing capabilities.\n\n"
        "درخواست‌هایی که تأمین‌کنندهٔ واجد شرایط در استان نداشتند، با توانمندی‌های کمبود.",
    )

    def rows(self, user: Any) -> QuerySet:
        return gap_rows(user)


class RequestWriteSerializer(serializers.Serializer):
    """The body of a new or changed request: the request page's form, field for field (its rules apply)."""

    buyer = serializers.IntegerField(
        required=False, help_text="staff: the buyer filed for; a buyer's own people leave it out"
    )
    title = serializers.CharField(max_length=200)
    text = serializers.CharField()
    lang = serializers.ChoiceField(choices=["fa", "en"], required=False)
    capabilities = serializers.ListField(child=serializers.IntegerField(), required=False)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, required=False, allow_null=True)
    quantity_unit = serializers.CharField(required=False, allow_blank=True)
    target_price_rial = serializers.IntegerField(required=False, allow_null=True)
    quote_deadline = serializers.CharField(help_text="YYYY-MM-DD or Jalali 1405/02/10")
    delivery_from = serializers.CharField(required=False, allow_blank=True)
    delivery_to = serializers.CharField(required=False, allow_blank=True)
    preferred_counties = serializers.ListField(child=serializers.IntegerField(), required=False)
    confidentiality = serializers.ChoiceField(
        choices=["public", "anonymous_buyer", "invited_only"], required=False
    )
    buyer_may_invite = serializers.BooleanField(required=False, help_text="staff only")
    must_have = serializers.ListField(child=serializers.IntegerField(), required=False)
    preferred = serializers.ListField(child=serializers.IntegerField(), required=False)


class RequestViewSet(GatedViewSet):
    serializer_class = RequestSerializer
    filterset_class = RequestFilter
    detail_action = permissions.VIEW_PUBLIC
    ordering = ("-created_at", "-id")
    docs = Docs(
        "Sourcing requests · درخواست‌های تأمین",
        "One sourcing request · یک درخواست تأمین",
        "The requests list: your own and your company's, and the openly published ones.\n\n"
        "فهرست درخواست‌ها: درخواست‌های خودتان و شرکتتان و درخواست‌های منتشرشدهٔ عمومی.",
    )

    def rows(self, user: Any) -> QuerySet:
        return visible_requests(user).prefetch_related("capabilities", "preferred_counties")

    @extend_schema(
        summary="File a sourcing request · ثبت درخواست تأمین",
        description="A draft, as on the request page: a buyer files for itself, staff for a buyer they serve."
        "\n\nپیش‌نویس، همان‌گونه که در صفحهٔ درخواست: خریدار برای خودش و کارکنان برای خریدار مشتری‌شان.",
        request=RequestWriteSerializer,
        responses={201: RequestSerializer},
    )
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        permissions.require(request.user, permissions.ADD, SourcingRequest)
        # the new-request page's defaults under what the body sends
        form = self.submit(
            SourcingRequestForm, stored=SourcingRequestForm(user=request.user), user=request.user
        )
        saved = services.save_request(None, request_values(form), by=request.user)
        return self.shown(saved, status=201)

    @extend_schema(
        summary="Change a sourcing request · ویرایش درخواست تأمین",
        description="The fields sent change; the others keep their value. Published requests: staff only."
        "\n\nفقط فیلدهای فرستاده‌شده تغییر می‌کنند. درخواست منتشرشده را فقط کارکنان ویرایش می‌کنند.",
        request=RequestWriteSerializer(partial=True),
        responses={200: RequestSerializer},
    )
    def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        rows = SourcingRequest.objects.select_related("buyer")
        instance = self.gated(kwargs["pk"], permissions.CHANGE, rows)
        editable = instance.state in ("draft", "submitted")
        if not editable and not permissions.can(request.user, permissions.REVIEW, instance):
            raise PermissionDenied
        form = self.edited(SourcingRequestForm, instance, user=request.user)
        return self.shown(services.save_request(instance, request_values(form), by=request.user))


resources.router.register("requests", RequestViewSet, basename="request")
resources.router.register("matches", MatchViewSet, basename="match")
resources.router.register("invitations", InvitationViewSet, basename="invitation")
resources.router.register("linkages", LinkageViewSet, basename="linkage")
resources.router.register("gaps", GapViewSet, basename="gap")
