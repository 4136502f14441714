from bookyourplace.accounts import permissions


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
    }
