"""Every back-office view passes through here: signed in, on the staff, second factor done,
and allowed to see or change the programme in question. Refusals are 403 or 404, decided
on the server whatever the page showed."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from bookyourplace.accounts import permissions
from bookyourplace.accounts import services as accounts
from bookyourplace.programmes.models import Organiser, Programme, Session

# The organisation a person who can see several (an installation administrator) acts for.
ACTING_FOR_SESSION_KEY = "backoffice_acting_for"


def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.is_staff(user):
            raise PermissionDenied
        if accounts.has_authenticator(user):
            if not accounts.session_is_verified(user):
                return to_code_step(request)
        elif (
            settings.BYP_REQUIRE_TWO_FACTOR
            # Signed in through a council's provider, which asked for its own second factor.
            and not accounts.session_is_verified(user)
            and request.resolver_match.url_name != "two_factor_setup"
        ):
            return redirect("backoffice:two_factor_setup")
        return view(request, *args, **kwargs)

    return wrapper


def to_code_step(request):
    """Send a password-only session of an account with an authenticator to enter its code,
    then back to this page."""
    return redirect_to_login(request.get_full_path(), login_url="backoffice:verify")


def safe_next(request, fallback: str | None = "backoffice:dashboard") -> str:
    """Where `next` asks to go, if that is a page of this site; else the fallback ("" for None).

    Every step that reads `next` (sign-in, the code step) asks here, so a crafted link cannot
    send a person who has just signed in to another site, whether directly or through a
    `next` nested in another step's `next`: each step checks its own."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(fallback) if fallback else ""


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def programme_for(request, programme_id: int, *, edit: bool = False) -> Programme:
    """The programme if this person can see it (404 otherwise); 403 if they may not change it."""
    programme = get_object_or_404(permissions.programmes_for(request.user).select_related("organiser"), pk=programme_id)
    if edit:
        require(permissions.can_edit(request.user, programme=programme))
    return programme


def session_for(request, session_id: int, *, edit: bool = False) -> Session:
    session = get_object_or_404(
        Session.objects.select_related("programme__organiser").filter(
            programme__in=permissions.programmes_for(request.user)
        ),
        pk=session_id,
    )
    if edit:
        require(permissions.can_edit(request.user, programme=session.programme))
    return session


def organiser_for(request) -> Organiser | None:
    """The organisation this person acts for: a member of staff's own; an installation
    administrator's choice, kept in their session ("Organisation: X, Change"), at first the
    first by name. Every page that creates something for an organisation, or lists one
    organisation's things (people, API tokens, webhooks, its pages and settings), asks here."""
    if not hasattr(request, "_byp_acting_for"):
        organisers = permissions.organisers_for(request.user).order_by("name", "pk")
        chosen = request.session.get(ACTING_FOR_SESSION_KEY)
        acting = organisers.filter(pk=chosen).first() if isinstance(chosen, int) else None
        request._byp_acting_for = acting or organisers.first()
    return request._byp_acting_for


def acting_organiser_or_404(request) -> Organiser:
    organiser = organiser_for(request)
    if organiser is None:
        raise Http404("No organisation")
    return organiser


def act_for(request, organiser: Organiser) -> None:
    """From now on this person acts for ``organiser`` (one they may see: the caller checks)."""
    request.session[ACTING_FOR_SESSION_KEY] = organiser.pk
    request._byp_acting_for = organiser


def can_switch_organisation(request) -> bool:
    """Whether this person sees more than one organisation, and so may choose which to act for."""
    if not request.user.is_superuser:  # a member of staff belongs to one
        return False
    return permissions.organisers_for(request.user)[:2].count() > 1
