"""Retention (administrators only): what the daily run will anonymise over the next 30 days,
day by day and per programme, and a button to run what is due now. The run is the worker's
(privacy/retention.py); the page shows how far the last one got."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bookyourplace.accounts import permissions
from bookyourplace.backoffice.access import require, staff_required
from bookyourplace.privacy import retention as schedule
from bookyourplace.privacy.services import actor_for


def _programme_ids(user) -> list[int] | None:
    """The programmes this administrator's page may show (every programme, for a superuser)."""
    if user.is_superuser:
        return None
    return list(permissions.programmes_for(user).values_list("pk", flat=True))


@staff_required
@require_safe
def retention(request):
    require(permissions.can_run_retention(request.user))
    now = timezone.now()
    runs = schedule.dry_run(now=now, programme_ids=_programme_ids(request.user))
    return render(
        request,
        "backoffice/retention.html",
        {
            "runs": runs,
            "days": schedule.DRY_RUN_DAYS,
            "next_run_day": schedule.next_run_day(now),
            "run_at": schedule.RUN_AT,
            "latest": schedule.latest_run(),
        },
    )


@staff_required
@require_POST
def run_retention_now(request):
    require(permissions.can_run_retention(request.user))
    schedule.ask_for_run(actor=actor_for(request))
    messages.success(request, _("The retention run has started. This page shows how far it has got."))
    return redirect("backoffice:retention")
