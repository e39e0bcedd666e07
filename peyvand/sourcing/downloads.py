"""Files of the bridge: a request's attachments and a supplier's quotation document."""

from __future__ import annotations

from typing import Any

from peyvand.core import files, permissions

from . import confidentiality
from .choices import InvitationState
from .models import RequestAttachment, SupplierInvitation


def may_download_attachment(user: Any, attachment: RequestAttachment) -> bool:
    """Whoever may open the request may open its drawings and specifications (the request page lists them).

    Confidentiality (``confidentiality.py``) hides who *filed* the request, not what it asks for: an invited
    supplier of an anonymous buyer needs the drawing to quote.
    """
    return permissions.can(user, permissions.VIEW_PUBLIC, attachment.request)


def may_download_quote(user: Any, invitation: SupplierInvitation) -> bool:
    """Officers and the supplier itself; the buyer only a quote it has, once it may know its suppliers."""
    if not permissions.can(user, permissions.VIEW, invitation):
        return False
    if invitation.request.buyer_id in permissions.organisations(user, "buyer"):
        return (
            confidentiality.suppliers_visible_to_buyer(invitation.request)
            and invitation.state == InvitationState.QUOTED
        )
    return True


files.register(
    files.Download(
        kind="request_attachment",
        model=RequestAttachment,
        field="file",
        may_download=may_download_attachment,
        filename=lambda attachment: attachment.name,
        related=("request",),
    )
)
files.register(
    files.Download(
        kind="quote_document",
        model=SupplierInvitation,
        field="file",
        may_download=may_download_quote,
        related=("request", "unit"),
    )
)
