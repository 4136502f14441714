from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A plain page instead of Django's technical one when a form's security token is missing."""
    return render(request, "403_csrf.html", status=403)
