"""The dashboard and programmes: create, edit, publish, unpublish, archive, copy."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bookyourplace.accounts import permissions, programme_teams
from bookyourplace.backoffice.access import (
    can_switch_organisation,
    organiser_for,
    programme_for,
    require,
    staff_required,
)
from bookyourplace.bookings.availability import add_booking_counts
from bookyourplace.core.forms import DatePicker, GovukForm
from bookyourplace.privacy.services import actor_for
from bookyourplace.programmes import copying, editing, publishing
from bookyourplace.programmes.errors import ProgrammeError
from bookyourplace.programmes.models import Programme, Session


@staff_required
def dashboard(request):
    show_archived = request.GET.get("archived") == "1"
    programmes = permissions.programmes_for(request.user).select_related("organiser").order_by("-created_at")
    if can_switch_organisation(request):
        # An installation administrator sees the organisation they act for (the header changes it).
        programmes = programmes.filter(organiser=organiser_for(request))
    programmes = programmes if show_archived else programmes.exclude(status=Programme.Status.ARCHIVED)
    programmes = list(
        programmes.prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("starts_at", "pk")))
    )
    add_booking_counts([session for programme in programmes for session in programme.sessions.all()])
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "programmes": programmes,
            "show_archived": show_archived,
            "can_create": permissions.can_create_programmes(request.user),
        },
    )


class ProgrammeForm(GovukForm):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        error_messages={
            "required": gettext_lazy("Enter a title for the programme"),
            "max_length": gettext_lazy("Title must be 200 characters or fewer"),
        },
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        required=False,
        help_text=gettext_lazy("One or two sentences shown at the top of the programme page."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@staff_required
def programme_new(request):
    require(permissions.can_create_programmes(request.user))
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = programme_teams.create_programme_as(
            user=request.user, organiser=organiser_for(request), actor=actor_for(request), **form.cleaned_data
        )
        messages.success(request, _("Programme created as a draft. Add its sessions, then publish it."))
        return redirect("backoffice:programme", programme_id=programme.pk)
    return render(request, "backoffice/programme_form.html", {"form": form})


@staff_required
def programme_edit(request, programme_id):
    programme = programme_for(request, programme_id, edit=True)
    form = ProgrammeForm(request.POST or None, initial={"title": programme.title, "summary": programme.summary})
    if request.method == "POST" and form.is_valid():
        editing.change_programme(programme=programme, actor=actor_for(request), **form.cleaned_data)
        messages.success(request, _("Programme saved."))
        return redirect("backoffice:programme", programme_id=programme.pk)
    return render(request, "backoffice/programme_form.html", {"form": form, "programme": programme})


@staff_required
def programme_detail(request, programme_id):
    programme = programme_for(request, programme_id)
    sessions = add_booking_counts(list(programme.sessions.select_related("programme").order_by("starts_at", "pk")))
    return render(
        request,
        "backoffice/programme.html",
        {
            "programme": programme,
            "sessions": sessions,
            "can_edit": permissions.can_edit(request.user, programme=programme),
            "can_export": permissions.can_export_personal_data(request.user, programme=programme),
            "missing_links": publishing.sessions_missing_joining_links(programme),
        },
    )


@staff_required
@require_POST
def programme_status(request, programme_id, status):
    programme = programme_for(request, programme_id, edit=True)
    try:
        publishing.set_programme_status(programme=programme, status=status, actor=actor_for(request))
    except ProgrammeError as refusal:
        messages.error(request, str(refusal))
    else:
        done = {
            Programme.Status.PUBLISHED: _("Programme published: people can now book."),
            Programme.Status.DRAFT: _("Programme unpublished: it is a draft again and hidden from the public."),
            Programme.Status.ARCHIVED: _("Programme archived."),
        }
        messages.success(request, done[status])
    return redirect("backoffice:programme", programme_id=programme.pk)


class CopyProgrammeForm(GovukForm):
    title = forms.CharField(
        label=gettext_lazy("Title of the copy"),
        max_length=200,
        error_messages={"required": gettext_lazy("Enter a title for the copy")},
    )
    first_day = forms.DateField(
        label=gettext_lazy("New first day"),
        help_text=gettext_lazy(
            "The first session moves to this day. Every other session keeps its place in the week, "
            "its times, delivery, room and text. Bookings are not copied."
        ),
        widget=DatePicker(),
        error_messages={
            "required": gettext_lazy("Enter the new first day"),
            "invalid": gettext_lazy("Enter the new first day as a real date"),
        },
    )

    def clean_first_day(self):
        day = self.cleaned_data["first_day"]
        if day < dt.date.today():
            raise forms.ValidationError(_("The new first day must be today or in the future"))
        return day


@staff_required
def programme_copy(request, programme_id):
    programme = programme_for(request, programme_id)
    require(permissions.can_create_programmes(request.user))
    first = programme.sessions.order_by("starts_at").first()
    suggested = copying.same_weekday_next_year(first.starts_at.astimezone(programme.tz).date()) if first else None
    form = CopyProgrammeForm(
        request.POST or None, initial={"title": f"{programme.title} (copy)", "first_day": suggested}
    )
    if request.method == "POST" and form.is_valid():
        try:
            copy = programme_teams.copy_programme_as(
                user=request.user, programme=programme, actor=actor_for(request), **form.cleaned_data
            )
        except ProgrammeError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Programme copied as a draft. Check the sessions, then publish it."))
            return redirect("backoffice:programme", programme_id=copy.pk)
    return render(
        request,
        "backoffice/programme_copy.html",
        {"form": form, "programme": programme, "first_day": first.starts_at if first else None},
    )
