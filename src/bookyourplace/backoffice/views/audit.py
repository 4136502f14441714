"""The audit log (administrators only): who did what, when, from where. Read only."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from bookyourplace.accounts import permissions
from bookyourplace.accounts.audit_log import AuditFilter, action_choices, action_label, describe, events_for_organisers
from bookyourplace.backoffice.access import require, staff_required
from bookyourplace.core.forms import DatePicker, GovukForm

PER_PAGE = 100


class AuditFilterForm(GovukForm):
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        required=False,
        choices=[("", gettext_lazy("All actions")), *action_choices()],
        error_messages={"invalid_choice": gettext_lazy("Select an action from the list")},
    )
    person = forms.CharField(
        label=gettext_lazy("Person"),
        required=False,
        max_length=254,
        help_text=gettext_lazy("All or part of a name."),
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    date_from = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=DatePicker(),
        error_messages={"invalid": gettext_lazy("Enter the first day as a real date")},
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=DatePicker(),
        error_messages={"invalid": gettext_lazy("Enter the last day as a real date")},
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The last day must be the same as or after the first day"))
        return data

    def audit_filter(self) -> AuditFilter:
        """The filter asked for; a field with an error filters nothing."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return AuditFilter(
            action=data.get("action") or "",
            person=data.get("person") or "",
            date_from=data.get("date_from") if "date_from" not in self.errors else None,
            date_to=data.get("date_to") if "date_to" not in self.errors else None,
        )


@staff_required
@require_safe
def audit_log(request):
    require(permissions.can_read_audit_log(request.user))
    form = AuditFilterForm(request.GET)
    form.is_valid()
    events = events_for_organisers(permissions.organisers_for(request.user), audit_filter=form.audit_filter())
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    for event in page:  # as the log reads them (accounts/audit_log.py)
        event.label, event.description = action_label(event.action), describe(event)
    return render(
        request,
        "backoffice/audit_log.html",
        {
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "filtered": any(request.GET.get(name) for name in form.fields),
        },
    )
