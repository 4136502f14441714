"""The bookings of a session: find one, read it, cancel it for someone, book someone who phoned,
re-send a confirmation."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bookyourplace.accounts import permissions
from bookyourplace.backoffice import errors
from bookyourplace.backoffice.access import session_for, staff_required
from bookyourplace.bookings import queries
from bookyourplace.bookings import services as bookings
from bookyourplace.bookings.answers import answers_shown
from bookyourplace.bookings.forms import BookingForm
from bookyourplace.bookings.models import Booking, Sector
from bookyourplace.certificates.services import certificate_status
from bookyourplace.core.errors import DomainError
from bookyourplace.core.forms import CheckboxField, GovukForm
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import actor_for, record
from bookyourplace.programmes.questions import questions_for

BOOKINGS_PER_PAGE = 50

# The columns a person can sort the list by.
SORTABLE_COLUMNS = {
    "name": gettext_lazy("Name"),
    "organisation": gettext_lazy("Organisation"),
    "status": gettext_lazy("Status"),
    "booked_at": gettext_lazy("Booked at"),
}


def booking_for(request, booking_id: int, *, edit: bool = False) -> Booking:
    """The booking if this person can see its session (404 otherwise); 403 if they may not change it."""
    booking = get_object_or_404(Booking, pk=booking_id)
    booking.session = session_for(request, booking.session_id, edit=edit)
    return booking


class FindBookingsForm(GovukForm):
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Name, email address, organisation or booking reference."),
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any status")), *Booking.Status.choices],
    )
    sector = forms.ChoiceField(
        label=gettext_lazy("Sector"), required=False, choices=[("", gettext_lazy("Any sector")), *Sector.choices]
    )

    @classmethod
    def from_query(cls, query) -> "FindBookingsForm":
        """The search in the address. A hand-edited unknown status or sector is dropped, not an error."""
        form = cls(query)
        return form if form.is_valid() else cls(form.cleaned_data)

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


def _columns(sort: str) -> dict[str, dict]:
    """Each sortable column's heading, its aria-sort, and the sort its link asks for next."""
    columns = {}
    for key, label in SORTABLE_COLUMNS.items():
        direction = "ascending" if sort == key else "descending" if sort == f"-{key}" else ""
        columns[key] = {"label": label, "aria_sort": direction, "next": f"-{key}" if direction == "ascending" else key}
    return columns


@staff_required
@never_cache
def session_bookings(request, session_id):
    session = session_for(request, session_id)
    form = FindBookingsForm.from_query(request.GET)
    filters = form.filters()
    sort = queries.sort_key(request.GET.get("sort"))
    found = queries.search_bookings(session=session, sort=sort, **filters)
    page = Paginator(found, BOOKINGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/bookings/list.html",
        {
            "session": session,
            "programme": session.programme,
            "form": form,
            "sort": sort,
            "columns": _columns(sort),
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "searching": any(filters.values()),
            "can_edit": permissions.can_edit(request.user, programme=session.programme),
        },
    )


@staff_required
@never_cache
def booking_detail(request, booking_id):
    booking = booking_for(request, booking_id)
    programme = booking.session.programme
    record(
        actor=actor_for(request),
        action=AuditEvent.Action.VIEWED_BOOKING,
        summary=f"Viewed {booking.reference} ({booking.full_name})",
        subject=booking,
        programme_id=programme.pk,
    )
    return render(
        request,
        "backoffice/bookings/detail.html",
        {
            "booking": booking,
            "session": booking.session,
            "programme": programme,
            "can_edit": permissions.can_edit(request.user, programme=programme),
            "certificate_status": certificate_status(booking),
            "answers": answers_shown(booking),
        },
    )


class CancelBookingForm(GovukForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=1000,
        help_text=gettext_lazy("Included in the email to the attendee."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("Enter the reason for cancelling"),
            "max_length": gettext_lazy("Reason must be 1000 characters or fewer"),
        },
    )


@staff_required
def booking_cancel(request, booking_id):
    booking = booking_for(request, booking_id, edit=True)
    if booking.is_cancelled:
        messages.info(request, _("This booking is already cancelled."))
        return redirect("backoffice:booking", booking_id=booking.pk)
    form = CancelBookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        bookings.cancel_booking(
            booking_id=booking.pk, actor=actor_for(request), by_organiser=True, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            _("Booking %(reference)s cancelled. %(name)s is being emailed your reason, and the place is free again.")
            % {"reference": booking.reference, "name": booking.full_name},
        )
        return redirect("backoffice:session_bookings", session_id=booking.session_id)
    return render(
        request,
        "backoffice/bookings/cancel.html",
        {"form": form, "booking": booking, "session": booking.session, "programme": booking.session.programme},
    )


class PhonedBookingForm(BookingForm):
    """The public booking form, filled in by an organiser for someone who phoned or emailed.
    ``beyond_fair_share``: an administrator may give a place although the person's
    organisation already has its fair share of the session (bookings/fair_shares.py)."""

    def __init__(self, *args, beyond_fair_share: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if beyond_fair_share:
            self.fields["beyond_fair_share"] = CheckboxField(
                legend=gettext_lazy("Places per organisation"),
                label=gettext_lazy("Give them a place even if their organisation already has its share"),
                help_text=gettext_lazy(
                    "Otherwise, when their organisation has all the places it may have on this session, they go "
                    "on the waiting list and are told why."
                ),
                required=False,
            )
        self.fields["email"].help_text = _(
            "Their own work email, not a shared inbox. The confirmation and joining details go here."
        )
        self.fields["consent"].label = _(
            "I have told them about the privacy notice, and they agree to their details being used to manage "
            "their booking and to report on attendance"
        )
        self.fields["consent"].error_messages["required"] = _(
            "Confirm that you have told them about the privacy notice and they agree"
        )


@staff_required
def booking_new(request, session_id):
    session = session_for(request, session_id, edit=True)
    questions = questions_for(session)
    form = PhonedBookingForm(
        request.POST or None,
        organiser=session.programme.organiser,
        questions=questions,
        beyond_fair_share=session.programme.fair_share_cap is not None
        and permissions.can_book_beyond_fair_share(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            # The organiser took the details from the person: no "confirm your email" hold.
            # The fair share applies as to everyone, unless an administrator says otherwise.
            booking = bookings.book_place(
                session_id=session.pk,
                attendee=form.attendee(),
                actor=actor_for(request),
                address_proven=True,
                answers=form.answers(),
                questions=questions,
                beyond_fair_share=bool(form.cleaned_data.get("beyond_fair_share")),
            )
        except DomainError as refusal:
            errors.add_to_form(form, refusal)
        else:
            messages.success(
                request,
                _("Booked %(reference)s for %(name)s: %(status)s. They are being emailed.")
                % {"reference": booking.reference, "name": booking.full_name, "status": booking.get_status_display()},
            )
            if booking.fair_share_waiting:
                messages.info(
                    request,
                    _(
                        "Their organisation already has all the places it may have on this session, so they are on "
                        "the waiting list."
                    ),
                )
            return redirect("backoffice:session_bookings", session_id=session.pk)
    return render(
        request, "backoffice/bookings/new.html", {"form": form, "session": session, "programme": session.programme}
    )


@staff_required
@require_POST
def booking_resend(request, booking_id):
    booking = booking_for(request, booking_id, edit=True)
    try:
        bookings.resend_confirmation(booking_id=booking.pk, actor=actor_for(request))
    except DomainError as refusal:
        errors.flash(request, refusal)
    else:
        messages.success(
            request, _("Confirmation re-sent to %(email)s, with the calendar invite.") % {"email": booking.email}
        )
    return redirect("backoffice:booking", booking_id=booking.pk)
