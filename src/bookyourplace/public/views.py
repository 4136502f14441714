"""What attendees see: programmes, sessions, the booking form and their own booking.

Views only translate between HTTP and the booking services.
"""

import json
import logging
from dataclasses import replace
from functools import wraps
from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.log import log_response
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache

from bookyourplace.bookings import availability as places
from bookyourplace.bookings import email_confirmation, fair_shares, waiting_list
from bookyourplace.bookings import services as bookings
from bookyourplace.bookings.forms import BookingForm
from bookyourplace.bookings.invites import CANCEL, REQUEST, build_invite
from bookyourplace.bookings.joining import joining_details_for
from bookyourplace.bookings.links import find_booking_by_token, manage_url
from bookyourplace.core import rate_limits
from bookyourplace.core.errors import DomainError
from bookyourplace.core.formatting import session_date
from bookyourplace.core.requests import client_ip
from bookyourplace.notifications import notify
from bookyourplace.privacy.services import actor_for
from bookyourplace.programmes.models import Organiser, Programme, Session
from bookyourplace.programmes.questions import questions_for
from bookyourplace.public import errors, page_cache
from bookyourplace.public.forms import CancelBookingForm
from bookyourplace.public.manage_extras import manage_page_extras

logger = logging.getLogger(__name__)

# After booking, the browser is sent to "Check your email" with the session and the address
# typed in a signed cookie (not the database session: a booking then costs no session row,
# and a rush no session writes). Nothing about the booking goes in it: the page must read
# the same whether the address was new, already booked or a bot's (issue 10, point 7).
CHECK_EMAIL_KEY = "byp_check_email"
CHECK_EMAIL_SALT = "bookyourplace.public.check-email"


def _check_your_email(session, email: str):
    response = redirect("public:booking_confirmed", programme_slug=session.programme.slug, session_id=session.pk)
    response.set_signed_cookie(
        CHECK_EMAIL_KEY,
        json.dumps({"session": session.pk, "email": bookings.normalise_email(email)}),
        salt=CHECK_EMAIL_SALT,
        max_age=settings.SESSION_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _allow(*methods):
    """Only these methods; any other gets a 405 with our "could not understand" page
    (Django's own 405 is an empty page)."""

    def decorator(view):
        @wraps(view)
        def inner(request, *args, **kwargs):
            if request.method not in methods:
                response = render(request, "400.html", status=405)
                response["Allow"] = ", ".join(methods)
                log_response(
                    "Method Not Allowed (%s): %s", request.method, request.path, response=response, request=request
                )
                return response
            return view(request, *args, **kwargs)

        return inner

    return decorator


def _published_programme(slug: str) -> Programme:
    return get_object_or_404(
        Programme.objects.select_related("organiser"), slug=slug, status=Programme.Status.PUBLISHED
    )


def _published_session(programme_slug: str, session_id: int) -> Session:
    return get_object_or_404(
        Session.objects.select_related("programme__organiser"),
        pk=session_id,
        programme__slug=programme_slug,
        programme__status=Programme.Status.PUBLISHED,
    )


@_allow("GET", "HEAD")
def home(request):
    """Every published programme, grouped by the organisation that runs it (by name)."""
    programmes = (
        Programme.objects.filter(status=Programme.Status.PUBLISHED)
        .select_related("organiser")
        .order_by("organiser__name", "organiser_id", "title")
    )
    groups = [(organiser, list(rows)) for organiser, rows in groupby(programmes, key=lambda p: p.organiser)]
    organiser = groups[0][0] if len(groups) == 1 else None
    return render(request, "public/home.html", {"programmes": programmes, "groups": groups, "organiser": organiser})


# The programme and session pages are served from the cache when they have not changed
# (page_cache.CachedPageMiddleware answers before these views run); a view renders the page
# afresh and says how long it may be kept.


def programme_page(request, programme_slug: str, template: str, **context) -> HttpResponse:
    """A page of the programme's sessions by day, with places left (the programme page, its
    embed), marked to keep until booking next opens or closes."""
    programme = _published_programme(programme_slug)
    sessions = places.programme_sessions(programme)
    days = [
        (day, list(day_sessions))
        for day, day_sessions in groupby(sessions, key=lambda s: session_date(s.starts_at, programme.tz))
    ]
    response = render(
        request,
        template,
        {"programme": programme, "organiser": programme.organiser, "days": days, **context},
    )
    return page_cache.keep_for(
        response, page_cache.lifetime(m for s in sessions for m in (s.booking_opens_at, s.closes_at))
    )


@_allow("GET", "HEAD")
def programme(request, programme_slug):
    return programme_page(request, programme_slug, "public/programme.html")


@_allow("GET", "HEAD")
def session_detail(request, programme_slug, session_id):
    session = _published_session(programme_slug, session_id)
    response = render(
        request,
        "public/session.html",
        {
            "session": session,
            "programme": session.programme,
            "organiser": session.programme.organiser,
            "availability": places.availability(session),
        },
    )
    return page_cache.keep_for(response, page_cache.lifetime([session.booking_opens_at, session.closes_at]))


@_allow("GET", "POST")
# Booking, joining the waiting list and (booking again with the same address) re-sending the
# manage link: every post counts, by client address and by the email typed, booked or not.
@rate_limits.limit_posts(("booking_per_address", client_ip), ("booking_per_email", rate_limits.posted("email")))
def book(request, programme_slug, session_id):
    if request.method != "POST":
        # The empty form is the same for everyone but its CSRF token.
        return page_cache.session_page_filled_in(
            request,
            page="book",
            programme_slug=programme_slug,
            session_id=session_id,
            values={"csrf_token": get_token(request)},
            render=lambda stand_ins: _booking_form_page(
                request, _published_session(programme_slug, session_id), None, stand_ins
            ),
        )
    session = page_cache.session_at_its_version(
        request,
        programme_slug=programme_slug,
        session_id=session_id,
        load=lambda: _session_as_shown(programme_slug, session_id),
    )
    questions = _questions_asked(session)
    # Only a form that offered the text reminder posts its fields: a booking from any other
    # asks nothing more of the database (the busiest page, in a rush).
    offered_texts = "mobile_number" in request.POST or "text_reminder" in request.POST
    form = BookingForm(
        request.POST,
        organiser=session.programme.organiser,
        questions=questions,
        text_reminders=offered_texts and notify.sends_texts(session.programme.organiser_id),
    )
    if not form.is_valid():
        return _booking_form_page(request, session, form)
    join_waiting_list = request.POST.get("waiting_list") == "yes"
    # Their emails go in the language they booked in.
    attendee = replace(form.attendee(), language=request.LANGUAGE_CODE)
    # Read for every post alike (it reads the session, which adds "Vary: Cookie"), so
    # a caught bot's answer carries the same headers as a booking's.
    actor = actor_for(request, label=f"{attendee.first_name} {attendee.last_name}")
    try:
        if form.filled_by_a_bot():
            # Answer as a booking would, so the script learns nothing; keep nothing
            # personal, not even in the log.
            logger.warning("Booking form honeypot filled: nothing booked (session %s)", session.pk)
            refusal = bookings.refusal_for(places.availability(session).state, join_waiting_list=join_waiting_list)
            if refusal is not None:
                raise refusal
        else:
            # Straight to the service, which decides everything under the session's lock: a
            # count of places here first would only be one more query on the busiest page.
            bookings.book_place(
                session_id=session.pk,
                session=session,
                attendee=attendee,
                join_waiting_list=join_waiting_list,
                actor=actor,
                answers=form.answers(),
                questions=questions,
            )
    except bookings.AlreadyBooked:
        pass  # answered as a booking made: the service has emailed that address its link
    except DomainError as refusal:
        return errors.unavailable_page(request, refusal, session=session)
    return _check_your_email(session, attendee.email)


def _session_as_shown(programme_slug: str, session_id: int) -> Session:
    """The session with its places counted and the organiser's questions it asks, as its
    public pages show it at this version (which every change to what they show raises)."""
    session = _published_session(programme_slug, session_id)
    session.places_taken, session.waiting = places.count_places(session)
    session.questions_asked = questions_for(session)
    return session


def _questions_asked(session: Session):
    """The questions as read with the session (a session row kept in the cache before the
    questions were read with it has none: read them now)."""
    questions = getattr(session, "questions_asked", None)
    return questions if questions is not None else questions_for(session)


def _booking_form_page(request, session, form, stand_ins: dict[str, str] | None = None):
    """The booking form (an empty one for ``None``; or, when the session cannot be booked, why
    not); ``stand_ins`` when the page is rendered to be kept and filled in
    (page_cache.session_page_filled_in)."""
    if form is None:
        # The same for everyone: the questions are part of the page kept in the cache.
        # The text reminder is the organisation's (saving its sending settings raises its
        # programmes' page versions).
        form = BookingForm(
            organiser=session.programme.organiser,
            questions=questions_for(session),
            text_reminders=notify.sends_texts(session.programme.organiser_id),
        )
    context = {"session": session, "programme": session.programme, "organiser": session.programme.organiser}
    context.update(stand_ins or {})
    state = places.availability(session)
    if not (state.can_book or state.can_join_waiting_list):
        context["availability"] = state
        response = render(
            request, "public/booking_unavailable.html", context, status=409 if request.method == "POST" else 200
        )
    else:
        # When the session is full the same form puts the person on the waiting list; they
        # only join it if the page they submitted said so.
        context["waiting_list"] = state.can_join_waiting_list
        context["form"] = form
        response = render(request, "public/book.html", context)
    return page_cache.keep_for(response, page_cache.lifetime([session.booking_opens_at, session.closes_at]))


@_allow("GET", "HEAD")
@never_cache
def booking_confirmed(request, programme_slug, session_id):
    """ "Check your email": only for the browser that just booked. It is built from the
    session and the address typed alone, never from a booking: the reference, status and
    waiting-list position go by email and on the manage page."""
    remembered = request.get_signed_cookie(
        CHECK_EMAIL_KEY, default=None, salt=CHECK_EMAIL_SALT, max_age=settings.SESSION_COOKIE_AGE
    )
    try:
        remembered = json.loads(remembered or "null")
    except ValueError:
        remembered = None
    if not isinstance(remembered, dict) or remembered.get("session") != session_id:
        return redirect(_published_session(programme_slug, session_id))
    return page_cache.session_page_filled_in(
        request,
        page="check_email",
        programme_slug=programme_slug,
        session_id=session_id,
        values={"email": escape(str(remembered.get("email", "")))},
        render=lambda stand_ins: _check_email_page(request, _published_session(programme_slug, session_id), stand_ins),
    )


def _check_email_page(request, session, stand_ins: dict[str, str]):
    response = render(
        request,
        "public/check_email.html",
        {
            "email": stand_ins["email"],
            # The programme's rule, which anyone may know: not whether this address got a place.
            "confirm_minutes": settings.BYP_EMAIL_CONFIRMATION_MINUTES if session.confirms_email_first else None,
            "session": session,
            "programme": session.programme,
            "organiser": session.programme.organiser,
        },
    )
    return page_cache.keep_for(response, settings.BYP_PAGE_CACHE_SECONDS)


def _booking_from_token(token):
    booking = find_booking_by_token(token)
    if booking is None:
        raise Http404("No booking has that link.")
    return booking


def _private(response):
    """The manage link is a password: keep it out of caches, search engines and other sites'
    Referer headers. "same-origin" sends no Referer to any other site (the Teams link, say);
    "no-referrer" would also make browsers send "Origin: null" with our own forms on the
    page (accept, cancel), which the CSRF check rightly refuses."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@_allow("GET", "HEAD")
def manage(request, token):
    booking = _booking_from_token(token)
    session = booking.session
    context = {
        "booking": booking,
        "session": session,
        "programme": session.programme,
        "organiser": session.programme.organiser,
        "token": token,
        "can_cancel": bookings.can_cancel(booking),
        "joining": joining_details_for(booking),
        "position": places.waiting_position(booking) if booking.is_waiting else None,
        "fair_share_reason": fair_shares.reason(booking),
        "offer_open": booking.is_offered and timezone.now() < booking.offer_expires_at,
        "email_confirmation_open": email_confirmation.can_confirm_email(booking),
        **manage_page_extras(booking, token=token),
    }
    return _private(render(request, "public/manage.html", context))


def _act_on_own_booking(request, token, action, *, waits_for_approval: str):
    """A button on the manage page that may confirm the place (confirm the email address,
    accept an offer): the service decides, and the page says where the booking now stands."""
    booking = _booking_from_token(token)
    if CancelBookingForm(request.POST).is_valid():
        try:
            booking = action(booking_id=booking.pk, actor=actor_for(request, label=booking.full_name))
        except DomainError as refusal:
            errors.flash(request, refusal)
        else:
            if booking.is_confirmed:
                messages.success(
                    request, _("Your place is confirmed. We have emailed you the details and a calendar invitation.")
                )
            else:
                messages.success(request, waits_for_approval)
    return redirect("public:manage", token=token)


@_allow("POST")
def confirm_email(request, token):
    """ "Confirm my place": only a POST from the manage page confirms, never the GET that
    opened the emailed link (mail scanners open every link)."""
    return _act_on_own_booking(
        request,
        token,
        email_confirmation.confirm_email,
        waits_for_approval=_(
            "Thank you for confirming your email address. Your booking now waits for an organiser to approve it."
        ),
    )


@_allow("POST")
def accept_offer(request, token):
    return _act_on_own_booking(
        request,
        token,
        waiting_list.accept_offer,
        waits_for_approval=_("You have accepted the place. It now waits for an organiser to approve it."),
    )


@_allow("GET", "HEAD")
def manage_calendar(request, token):
    booking = _booking_from_token(token)
    # A booking that has ended (cancelled, not approved, an offer or hold that ran out) gets the
    # withdrawal, so a calendar that took an earlier invite removes the event.
    cancelled = booking.has_ended or booking.session.is_cancelled
    invite = build_invite(
        booking=booking,
        method=CANCEL if cancelled else REQUEST,
        sequence=booking.invite_sequence,
        manage_url=manage_url(booking),  # the joining link goes in only if the booking may see it
    )
    response = HttpResponse(
        invite, content_type=f"text/calendar; charset=utf-8; method={CANCEL if cancelled else REQUEST}"
    )
    response["Content-Disposition"] = f'attachment; filename="{booking.reference}.ics"'
    return _private(response)


@_allow("GET", "POST")
def cancel(request, token):
    booking = _booking_from_token(token)
    session = booking.session
    if request.method == "POST" and CancelBookingForm(request.POST).is_valid():
        try:
            bookings.cancel_booking(booking_id=booking.pk, actor=actor_for(request, label=booking.full_name))
        except DomainError as refusal:
            errors.flash(request, refusal)
        else:
            if booking.is_waiting:
                messages.success(request, _("You have left the waiting list."))
            else:
                messages.success(request, _("Your booking has been cancelled. We have emailed you to confirm."))
        return redirect("public:manage", token=token)
    if not bookings.can_cancel(booking):
        return redirect("public:manage", token=token)
    context = {
        "booking": booking,
        "session": session,
        "programme": session.programme,
        "organiser": session.programme.organiser,
        "token": token,
    }
    return _private(render(request, "public/cancel.html", context))


@_allow("GET", "HEAD")
@cache_control(public=True, max_age=300)
def brand_css(request, organiser_slug):
    organiser = get_object_or_404(Organiser, slug=organiser_slug)
    css = f":root{{--byp-brand-colour:{organiser.brand_colour};--govuk-brand-colour:{organiser.brand_colour}}}\n"
    return HttpResponse(css, content_type="text/css")
