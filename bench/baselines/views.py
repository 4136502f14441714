"""The baselines: what the least a page and a booking can cost on this server."""

import secrets
import uuid

from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bookyourplace.bookings.models import Booking
from bookyourplace.programmes.models import Session


def page(request, programme_slug):
    """A small template rendered from one query: the titles of a programme's sessions."""
    sessions = list(
        Session.objects.filter(programme__slug=programme_slug).order_by("starts_at").values("title", "capacity")
    )
    return render(request, "baselines/page.html", {"sessions": sessions})


@require_POST
def book(request, session_id):
    """A real form post (CSRF checked by the middleware) that only locks the session row,
    counts the places taken and inserts a booking with the fields the table requires."""
    email = request.POST.get("email", "").strip().lower()
    with transaction.atomic():
        session = Session.objects.select_for_update().only("capacity").get(pk=session_id)
        taken = Booking.objects.filter(session_id=session_id, status__in=Booking.HOLDING_STATUSES).count()
        if taken >= session.capacity:
            return HttpResponse("Fully booked", status=409)
        Booking.objects.create(
            session_id=session_id,
            uid=uuid.uuid4(),
            reference=secrets.token_hex(6),
            first_name=request.POST.get("first_name", ""),
            last_name=request.POST.get("last_name", ""),
            email=email,
            organisation="",
            sector="other",
            job_title="",
            consented_at=timezone.now(),
            manage_token_seed="",
            manage_token_hash=secrets.token_hex(32),
        )
    return HttpResponseRedirect(request.path + "booked/")
