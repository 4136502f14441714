"""Webhook endpoints (administrators only): list, add, change, remove; the signing secret and
a new one; the delivery log with a test message and "Send again". The rules are the webhooks
app's (endpoints.py, services.py); these pages ask them and show their refusals."""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from bookyourplace.accounts import permissions
from bookyourplace.backoffice import errors
from bookyourplace.backoffice.access import organiser_for, require, staff_required
from bookyourplace.core.errors import DomainError
from bookyourplace.core.forms import GovukForm
from bookyourplace.privacy.services import actor_for, record
from bookyourplace.programmes.models import Organiser
from bookyourplace.webhooks import endpoints, events, services
from bookyourplace.webhooks.models import Delivery, Endpoint

DELIVERIES_PER_PAGE = 25


class EndpointForm(GovukForm):
    url = forms.CharField(
        label=gettext_lazy("Endpoint URL"),
        help_text=gettext_lazy("The address of your system that receives the messages, starting with https://"),
        max_length=1000,
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": gettext_lazy("Enter the endpoint URL"),
            "max_length": gettext_lazy("The endpoint URL must be 1,000 characters or fewer"),
        },
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        help_text=gettext_lazy("What this endpoint is for, for example “Learning records system”."),
        max_length=200,
        required=False,
        error_messages={"max_length": gettext_lazy("The description must be 200 characters or fewer")},
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events to send"),
        help_text=gettext_lazy("Select all that apply."),
        choices=list(events.EVENTS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Select at least one event to send"),
            "invalid_choice": gettext_lazy("Select events from the list"),
        },
    )
    active = forms.ChoiceField(
        label=gettext_lazy("Send messages to this endpoint now?"),
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No, keep it switched off for now"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Select whether to send messages to this endpoint now"),
            "invalid_choice": gettext_lazy("Select whether to send messages to this endpoint now"),
        },
    )

    def details(self) -> dict:
        data = self.cleaned_data
        return {
            "url": data["url"],
            "description": data["description"],
            "subscribed": data["events"],
            "is_active": data["active"] == "yes",
        }


def _posted(request):
    """The form's data when it was sent (even empty, so that an empty form says what is missing)."""
    return request.POST if request.method == "POST" else None


def _organisers(request):
    """The organisation this person acts for (its endpoints only; others' are 404)."""
    organiser = organiser_for(request)
    return Organiser.objects.filter(pk=organiser.pk if organiser else None)


def _endpoint_for(request, endpoint_id: int) -> Endpoint:
    """An endpoint of this administrator's organiser (404 for anyone else's)."""
    require(permissions.can_manage_integrations(request.user))
    return get_object_or_404(Endpoint.objects.filter(organiser__in=_organisers(request)), pk=endpoint_id)


def _event_labels(endpoint: Endpoint) -> list[str]:
    return [str(label) for name, label in events.EVENTS.items() if name in endpoint.events]


@staff_required
@require_safe
def webhooks(request):
    require(permissions.can_manage_integrations(request.user))
    latest = Delivery.objects.filter(endpoint=OuterRef("pk")).order_by("-created_at", "-id")
    found = list(
        Endpoint.objects.filter(organiser__in=_organisers(request))
        .annotate(last_status=Subquery(latest.values("status")[:1]), last_at=Subquery(latest.values("created_at")[:1]))
        .order_by("created_at", "id")
    )
    statuses = dict(Delivery.Status.choices)
    for endpoint in found:
        endpoint.event_labels = _event_labels(endpoint)
        endpoint.last_status_label = statuses.get(endpoint.last_status, "")
    return render(request, "backoffice/webhooks/list.html", {"endpoints": found})


@staff_required
def webhook_new(request):
    require(permissions.can_manage_integrations(request.user))
    organiser = _organisers(request).first()
    if organiser is None:
        return redirect("backoffice:webhooks")
    form = EndpointForm(_posted(request), initial={"active": "yes", "events": list(events.EVENTS)})
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = endpoints.add_endpoint(organiser=organiser, actor=actor_for(request), **form.details())
        except DomainError as refusal:
            errors.add_to_form(form, refusal, field_for={"subscribed": "events"})
        else:
            messages.success(
                request,
                _("Endpoint added. Copy its signing secret into your system, so that it can check each message."),
            )
            return redirect("backoffice:webhook", endpoint_id=endpoint.pk)
    return render(request, "backoffice/webhooks/form.html", {"form": form})


@staff_required
def webhook_edit(request, endpoint_id):
    endpoint = _endpoint_for(request, endpoint_id)
    form = EndpointForm(
        _posted(request),
        initial={
            "url": endpoint.url,
            "description": endpoint.description,
            "events": endpoint.events,
            "active": "yes" if endpoint.is_active else "no",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = endpoints.change_endpoint(endpoint=endpoint, actor=actor_for(request), **form.details())
        except DomainError as refusal:
            errors.add_to_form(form, refusal, field_for={"subscribed": "events"})
        else:
            messages.success(request, _("Endpoint saved.") if changed else _("Nothing was changed."))
            return redirect("backoffice:webhook", endpoint_id=endpoint.pk)
    return render(request, "backoffice/webhooks/form.html", {"form": form, "endpoint": endpoint})


@staff_required
@require_safe
def webhook(request, endpoint_id):
    """The endpoint, its signing secret and its delivery log, newest first."""
    endpoint = _endpoint_for(request, endpoint_id)
    page = Paginator(endpoint.deliveries.order_by("-created_at", "-id"), DELIVERIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    endpoint.event_labels = _event_labels(endpoint)
    return render(
        request,
        "backoffice/webhooks/endpoint.html",
        {
            "endpoint": endpoint,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "now": timezone.now(),
            "log_days": settings.BYP_WEBHOOK_LOG_DAYS,
        },
    )


@staff_required
@require_safe
def webhook_delivery(request, endpoint_id, delivery_id):
    """One message: what was sent and what came back. Its body names the attendee, so
    opening it is in the audit log, as opening a booking is."""
    endpoint = _endpoint_for(request, endpoint_id)
    delivery = get_object_or_404(endpoint.deliveries, pk=delivery_id)
    body = ""
    if delivery.payload:
        body = json.dumps(json.loads(delivery.payload), indent=2, ensure_ascii=False)
        if delivery.event != events.PING:
            record(
                actor=actor_for(request),
                action="webhook.delivery_viewed",
                summary=f"Viewed the {delivery.event} message {delivery.message_id} sent to {endpoint.url}",
                subject=delivery,
            )
    return render(
        request, "backoffice/webhooks/delivery.html", {"endpoint": endpoint, "delivery": delivery, "body": body}
    )


@staff_required
@require_POST
def webhook_test(request, endpoint_id):
    endpoint = _endpoint_for(request, endpoint_id)
    services.send_test(endpoint=endpoint, actor=actor_for(request))
    messages.success(
        request,
        _("A test message is on its way. Refresh this page in a minute to see what the endpoint answered."),
    )
    return redirect("backoffice:webhook", endpoint_id=endpoint.pk)


@staff_required
@require_POST
def webhook_resend(request, endpoint_id, delivery_id):
    endpoint = _endpoint_for(request, endpoint_id)
    # A message of no endpoint of ours is not found, as on its page (not "cannot be sent again").
    get_object_or_404(endpoint.deliveries, pk=delivery_id)
    try:
        services.resend(delivery_id=delivery_id, endpoint=endpoint, actor=actor_for(request))
    except DomainError as refusal:
        errors.flash(request, refusal)
    else:
        messages.success(
            request,
            _("The message is on its way again, with the same id. It is at the top of the delivery log."),
        )
    return redirect("backoffice:webhook", endpoint_id=endpoint.pk)


@staff_required
def webhook_secret(request, endpoint_id):
    """GET asks to confirm; POST makes a new signing secret."""
    endpoint = _endpoint_for(request, endpoint_id)
    if request.method == "POST":
        endpoints.rotate_secret(endpoint=endpoint, actor=actor_for(request))
        messages.success(
            request,
            _(
                "New signing secret made. Messages are signed with both the new and the old secret for 24 hours: "
                "put the new one into your system before then."
            ),
        )
        return redirect("backoffice:webhook", endpoint_id=endpoint.pk)
    return render(request, "backoffice/webhooks/secret.html", {"endpoint": endpoint})


@staff_required
def webhook_remove(request, endpoint_id):
    """GET asks to confirm; POST removes the endpoint and its delivery log."""
    endpoint = _endpoint_for(request, endpoint_id)
    if request.method == "POST":
        endpoints.remove_endpoint(endpoint=endpoint, actor=actor_for(request))
        messages.success(request, _("Endpoint removed. No more messages will be sent to it."))
        return redirect("backoffice:webhooks")
    return render(request, "backoffice/webhooks/remove.html", {"endpoint": endpoint})
