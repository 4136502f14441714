""" "See all my bookings" (bookings/own_record.py holds the rules).

/my-bookings/ asks for an email address and answers every address alike ("Check your
email"), having queued the same task for each; the emailed link opens a page with a
"Continue" button whose POST uses it; then this browser's session holds the address for
BYP_OWN_RECORD_SESSION_HOURS, and /my-bookings/list/ shows everything under it. Every action
on a booking (/my-bookings/<id>/<action>/) checks it is theirs with ``own_record.booking_for``
and sends them to the same page its manage link would.
"""

import time
from datetime import UTC, datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bookyourplace.bookings import own_record
from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.services import can_cancel
from bookyourplace.certificates.services import statuses_of
from bookyourplace.core import rate_limits
from bookyourplace.core.forms import GovukForm
from bookyourplace.core.requests import client_ip
from bookyourplace.feedback.links import feedback_path
from bookyourplace.feedback.services import open_surveys
from bookyourplace.privacy.services import actor_for
from bookyourplace.public.forms import CancelBookingForm
from bookyourplace.public.views import _allow, _private

# The signed-in address and until when (seconds since the epoch), in the Django session.
SESSION_EMAIL = "byp_own_record_email"
SESSION_UNTIL = "byp_own_record_until"


class OwnRecordForm(GovukForm):
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        max_length=254,
        help_text=gettext_lazy("The email address you booked with."),
        error_messages={
            "required": gettext_lazy("Enter your email address"),
            "invalid": gettext_lazy("Enter an email address in the correct format, like name@example.com"),
            "max_length": gettext_lazy("Email address must be 254 characters or fewer"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


def signed_in_email(request) -> str | None:
    """The address this browser signed in with, while the signing-in lasts."""
    email = request.session.get(SESSION_EMAIL)
    if not email:
        return None
    if time.time() >= request.session.get(SESSION_UNTIL, 0):
        _sign_out(request)
        return None
    return email


def _sign_out(request) -> None:
    request.session.pop(SESSION_EMAIL, None)
    request.session.pop(SESSION_UNTIL, None)


def _ask_page(request, form, *, status=200):
    return _private(render(request, "public/own_record/ask.html", {"form": form}, status=status))


@_allow("GET", "HEAD", "POST")
@rate_limits.limit_posts(("own_record_per_address", client_ip), ("own_record_per_email", rate_limits.posted("email")))
def ask(request):
    if request.method != "POST":
        if signed_in_email(request):
            return redirect("public:own_record_list")
        return _ask_page(request, OwnRecordForm())
    form = OwnRecordForm(request.POST)
    if not form.is_valid():
        return _ask_page(request, form)
    # The same work and the same answer for every address: the worker decides whether to send.
    email = form.cleaned_data["email"]
    own_record.ask_for_sign_in_link(email=email, actor=actor_for(request), language=request.LANGUAGE_CODE)
    context = {"email": own_record.normalise(email), "minutes": settings.BYP_SIGN_IN_LINK_MINUTES}
    return _private(render(request, "public/own_record/check_email.html", context))


@_allow("GET", "HEAD", "POST")
def sign_in(request, token):
    """GET shows "Continue" (mail scanners open links, and must not use them up); its POST
    uses the link."""
    if request.method == "POST":
        if CancelBookingForm(request.POST).is_valid():
            email = own_record.use_sign_in_link(token=token, actor=actor_for(request))
            if email is not None:
                request.session.cycle_key()  # a new session id on signing in
                request.session[SESSION_EMAIL] = email
                request.session[SESSION_UNTIL] = time.time() + settings.BYP_OWN_RECORD_SESSION_HOURS * 3600
                return redirect("public:own_record_list")
        return _unusable_link(request)
    if own_record.usable_link(token) is None:
        return _unusable_link(request)
    return _private(render(request, "public/own_record/sign_in.html", {}))


def _unusable_link(request):
    return _private(render(request, "public/own_record/link_unusable.html", {"form": OwnRecordForm()}, status=404))


@_allow("POST")
def sign_out(request):
    if CancelBookingForm(request.POST).is_valid():
        _sign_out(request)
        messages.success(request, _("You have signed out."))
    return redirect("public:own_record")


def _signed_in_or_ask(request):
    email = signed_in_email(request)
    if email is None:
        messages.info(
            request, _("To see all your bookings, enter your email address and we will email you a link to sign in.")
        )
    return email


@_allow("GET", "HEAD")
def bookings_list(request):
    email = _signed_in_or_ask(request)
    if email is None:
        return redirect("public:own_record")
    now = timezone.now()
    bookings = list(own_record.bookings_of(email))
    certificates = statuses_of(bookings, now=now)
    surveys = open_surveys(bookings, now=now)
    for booking in bookings:
        status = certificates[booking.pk]
        booking.own_certificate = status.certificate if status.eligible else None
        booking.may_get_certificate = status.eligible
        booking.feedback_open = booking.pk in surveys
        booking.cancellable = can_cancel(booking, now)
    offers, upcoming, past = own_record.arrange(bookings, now=now)
    context = {
        "email": email,
        "offers": offers,
        "upcoming": upcoming,
        "past": past,
        "feedback": [b for b in bookings if b.feedback_open],
        "certificates": [b for b in bookings if b.may_get_certificate],
        "until": datetime.fromtimestamp(request.session[SESSION_UNTIL], tz=UTC),
    }
    return _private(render(request, "public/own_record/list.html", context))


# Each action: where the booking's manage link would take its holder for it.
_ACTIONS = {
    "manage": lambda booking, token: reverse("public:manage", kwargs={"token": token}),
    "cancel": lambda booking, token: reverse("public:cancel", kwargs={"token": token}),
    # Accepting is the manage page's button (a POST with its own check): the page shows the offer.
    "accept": lambda booking, token: reverse("public:manage", kwargs={"token": token}),
    "calendar": lambda booking, token: reverse("public:manage_calendar", kwargs={"token": token}),
    "certificate": lambda booking, token: reverse("public:certificate", kwargs={"token": token}),
    "feedback": lambda booking, token: feedback_path(booking),
}


@_allow("GET", "HEAD")
def act(request, booking_id, action):
    where = _ACTIONS.get(action)
    if where is None:
        raise Http404("No such action.")
    email = _signed_in_or_ask(request)
    if email is None:
        return redirect("public:own_record")
    booking = own_record.booking_for(email, booking_id)
    if booking is None:
        raise Http404("No booking of yours has that number.")
    return _private(redirect(where(booking, manage_token(booking))))
