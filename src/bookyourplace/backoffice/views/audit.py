"""The audit log (administrators only). Placeholder until the audit page lands."""

from django.shortcuts import render

from bookyourplace.accounts import permissions
from bookyourplace.backoffice.access import require, staff_required


@staff_required
def audit_log(request):
    require(permissions.can_read_audit_log(request.user))
    return render(request, "backoffice/audit_log.html", {})
