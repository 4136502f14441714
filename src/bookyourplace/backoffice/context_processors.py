from bookyourplace.accounts import permissions


def backoffice(request):
    """What the back-office navigation needs to know about the person signed in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/backoffice/"):
        return {}
    return {
        "staff_role": permissions.role_of(user),
        "can_manage_people": permissions.can_manage_people(user),
        "can_read_audit_log": permissions.can_read_audit_log(user),
    }
