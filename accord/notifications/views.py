"""Pages: my notifications, my choices, the unsubscribe link, and the outbox."""

from __future__ import annotations

from typing import Any

import nh3
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accord.access.permissions import is_secretariat
from accord.core.errors import AccordError
from accord.core.mail import outbox_names, outbox_read
from accord.notifications.kinds import KINDS, subject_of
from accord.notifications.mail import unsubscribe_read
from accord.notifications.models import Delivery
from accord.notifications.selectors import mail_language, notifications_for, preferences_of
from accord.notifications.services import notifications_mark_read, preferences_set, unsubscribe


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), 50).get_page(request.GET.get("page"))
    rows = [
        {
            "pk": n.pk,
            "subject": subject_of(n.kind, n.data),
            "url": n.data.get("url") or "",
            "actor": n.data.get("actor", ""),
            "created_at": n.created_at,
            "unread": n.read_at is None,
        }
        for n in page.object_list
    ]
    return render(request, "notifications/list.html", {"page": page, "rows": rows})


@login_required
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("id") if v.isdigit()]
    notifications_mark_read(user=request.user, ids=ids or None)
    return redirect("notification-list")


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        choices = {
            kind: request.POST[f"kind-{kind}"]
            for kind in KINDS
            if request.POST.get(f"kind-{kind}") in Delivery.values
        }
        try:
            preferences_set(
                user=request.user, choices=choices, language=request.POST.get("language") or None
            )
        except AccordError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your choices are saved."))
            return redirect("notification-preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "kinds": preferences_of(request.user),
            "deliveries": Delivery.choices,
            "language": mail_language(request.user),
        },
    )


def notification_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every message: no sign-in, the signed token says who and which kind."""
    found = unsubscribe_read(token)
    if found is None:
        raise Http404(_("This link is not valid."))
    user_id, kind = found
    if not get_user_model()._default_manager.filter(pk=user_id).exists():
        raise Http404(_("This link is not valid."))
    done = False
    if request.method == "POST":
        unsubscribe(user_id=user_id, kind=kind)
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"kind": KINDS[kind].label, "done": done, "token": token},
    )


MAIL_TAGS = {"p", "a", "ul", "ol", "li", "h1", "h2", "br", "strong", "em"}


def _secretariat_only(request: HttpRequest) -> None:
    if not is_secretariat(request.user) or not request.user.is_authenticated:
        raise PermissionDenied(_("Only the secretariat reads the outbox."))


@login_required
def outbox_list(request: HttpRequest) -> HttpResponse:
    _secretariat_only(request)
    rows: list[dict[str, Any]] = []
    for name in outbox_names(limit=200):
        message = outbox_read(name)
        if message is not None:
            rows.append(
                {
                    "name": name,
                    "to": message.get("To", ""),
                    "subject": message.get("Subject", ""),
                    "date": message.get("Date", ""),
                }
            )
    return render(request, "notifications/outbox.html", {"rows": rows})


@login_required
def outbox_message(request: HttpRequest, name: str) -> HttpResponse:
    _secretariat_only(request)
    message = outbox_read(name)
    if message is None:
        raise Http404(_("No such message in the outbox."))
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    text = text_part.get_content() if text_part is not None else ""
    html = html_part.get_content() if html_part is not None else ""
    return render(
        request,
        "notifications/outbox_message.html",
        {
            "name": name,
            "headers": [(k, message.get(k, "")) for k in ("From", "To", "Subject", "Date")],
            "text": text,
            # The HTML part, cleaned of scripts, styles and event handlers before it is shown.
            "html": nh3.clean(
                html, tags={"p", "a", "ul", "ol", "li", "h1", "h2", "br", "strong", "em"}
            ),
        },
    )
