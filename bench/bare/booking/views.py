from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from booking.forms import BookingForm
from booking.models import Booking, Session


def book(request, session_id):
    form = BookingForm(request.POST if request.method == "POST" else None)
    if form.is_valid():  # only ever a POST: an unbound form is never valid
        with transaction.atomic():
            session = get_object_or_404(Session.objects.select_for_update(), pk=session_id)
            if session.bookings.count() < session.capacity:
                booking = Booking.objects.create(session=session, email=form.cleaned_data["email"])
                response = HttpResponseRedirect(reverse("booked", args=[booking.pk]))
                response.status_code = 303  # See Other: the browser GETs the confirmation
                return response
        form.add_error(None, "Sorry, this session is fully booked.")
    else:
        session = get_object_or_404(Session, pk=session_id)
    return render(request, "booking/book.html", {"session": session, "form": form})


def booked(request, booking_id):
    booking = get_object_or_404(Booking.objects.select_related("session"), pk=booking_id)
    return render(request, "booking/booked.html", {"booking": booking})
