"""The notification list, opening one (marks it read), marking all read, and the bell's count."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from peyvand.core import jalali, permissions

from . import services
from .models import Notification

HTMX_STOP_POLLING = 286  # htmx stops an `every 60s` trigger on this status


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's own notifications, newest first; ``?show=unread`` for the unread ones only."""
    notifications = permissions.restrict(
        Notification.objects.filter(user=request.user), request.user, permissions.VIEW
    )
    show = "unread" if request.GET.get("show") == "unread" else "all"
    if show == "unread":
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications.order_by("-created_at", "-pk"), settings.PEYVAND_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/notification_list.html", {"page": page, "show": show})


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and follow its link (to the list when it has none)."""
    notification = permissions.get_object_for_user(
        Notification.objects.filter(user=request.user), request.user, permissions.CHANGE, pk=pk
    )
    services.mark_read(notification, request.user)
    target = notification.url
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s notification marked as read.", "%(count)s notifications marked as read.", count
            )
            % {"count": jalali.format_number(count)},
        )
    return redirect("notifications:list")


@never_cache
@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The bell with its count, for htmx polling. Opened directly, it leads to the list; signed out,
    the polling stops instead of fetching a login page into the navbar."""
    is_htmx = bool(getattr(request, "htmx", False))
    if not request.user.is_authenticated:
        if is_htmx:
            return HttpResponse(status=HTMX_STOP_POLLING)
        return redirect_to_login(request.get_full_path())
    if not is_htmx:
        return redirect("notifications:list")
    return render(
        request, "notifications/bell.html", {"unread_notifications": services.unread_count(request.user)}
    )
