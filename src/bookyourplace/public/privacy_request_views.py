"""The attendee's "Delete my details", from their manage page: a page saying what happens,
then a POST that asks the organiser (once; a second press says it is already asked).

The request is listed, with a count in the navigation, on the administrators' personal data
page (backoffice/views/subject_access.py); nothing is emailed: the organiser replies.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bookyourplace.privacy import subject_access
from bookyourplace.privacy.services import actor_for
from bookyourplace.public.forms import CancelBookingForm
from bookyourplace.public.views import _allow, _booking_from_token, _private


@_allow("GET", "HEAD", "POST")
def delete_my_details(request, token):
    booking = _booking_from_token(token)
    programme = booking.session.programme
    organiser = programme.organiser
    if booking.anonymised_at is not None:
        return redirect("public:manage", token=token)
    if request.method == "POST" and CancelBookingForm(request.POST).is_valid():
        asked = subject_access.ask_for_erasure(
            email=booking.email,
            organiser_id=organiser.pk,
            programme_id=programme.pk,
            actor=actor_for(request, label=booking.full_name),
        )
        if asked:
            messages.success(
                request,
                _("We have sent your request to %(organiser)s. They will reply within one month.")
                % {"organiser": organiser.name},
            )
        else:
            messages.info(
                request, _("You have already asked for your details to be deleted. The organiser will reply.")
            )
        return redirect("public:manage", token=token)
    context = {
        "booking": booking,
        "session": booking.session,
        "programme": programme,
        "organiser": organiser,
        "token": token,
        "asked": subject_access.has_asked(email=booking.email, organiser_id=organiser.pk),
    }
    return _private(render(request, "public/delete_my_details.html", context))
