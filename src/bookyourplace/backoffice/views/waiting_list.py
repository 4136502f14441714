"""A session's waiting list: places offered, and the people still waiting, in order."""

from django.shortcuts import render

from bookyourplace.backoffice.access import session_for, staff_required
from bookyourplace.bookings.models import Booking


@staff_required
def waiting_list(request, session_id):
    session = session_for(request, session_id)
    queue = session.bookings.filter(status__in=[Booking.Status.OFFERED, Booking.Status.WAITING]).order_by(
        "status", "created_at", "pk"
    )
    offered = [b for b in queue if b.is_offered]
    waiting = [b for b in queue if b.is_waiting]
    return render(
        request,
        "backoffice/waiting_list.html",
        {"session": session, "programme": session.programme, "offered": offered, "waiting": waiting},
    )
