from bookyourplace.accounts import permissions
from bookyourplace.backoffice.access import can_switch_organisation, organiser_for
from bookyourplace.privacy.subject_access import open_requests


def backoffice(request):
    """What the back-office navigation needs to know about the person signed in."""
    # The path first: asking about the user reads the session (and marks the response
    # "Vary: Cookie"), which a public page has no reason to do.
    if not request.path.startswith("/backoffice/"):
        return {}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "staff_role": permissions.role_of(user),
        "can_manage_people": permissions.can_manage_people(user),
        "can_read_audit_log": permissions.can_read_audit_log(user),
        "can_answer_subject_access": permissions.can_answer_subject_access(user),
        "can_manage_integrations": permissions.can_manage_integrations(user),
        "can_manage_organisations": permissions.can_manage_organisations(user),
        "can_change_organisation_settings": permissions.can_change_organisation_settings(user),
        # Asked only by the templates that show them (callables: read when first used).
        "acting_organiser": lambda: organiser_for(request),
        "can_switch_organisation": lambda: can_switch_organisation(request),
        # Counted only if the navigation shows it (administrators): a template calls it.
        "open_erasure_requests": lambda: _open_erasure_requests(user),
    }


def _open_erasure_requests(user) -> int:
    """Attendees' "Delete my details" requests waiting for this administrator's organiser."""
    organiser_ids = None if user.is_superuser else permissions.organisers_for(user).values("pk")
    return open_requests(organiser_ids=organiser_ids).count()
