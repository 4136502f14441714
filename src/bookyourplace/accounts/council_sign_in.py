"""Council sign-in: back-office staff sign in with their organisation's own OpenID Connect
provider (Microsoft Entra ID, or any other), through mozilla-django-oidc.

The library reads one provider from settings; an install serves several organisations, each
with its own providers (accounts.SignInProvider). So the backend here takes its endpoints and
client from the provider chosen on the sign-in page (the back office's views keep its id in the
session with the state, nonce and PKCE verifier between the redirect and the callback), read from
the provider's discovery document, which is cached.

The ID token is checked in full: its signature against the provider's JWKS, the issuer, the
audience (our client id; the library leaves it unchecked), exp, iat and nbf with a little
leeway, and the nonce (the library's). Who may then sign in, and with which role, is `admit`.

A person signed in this way has done their council's own second factor, so the session counts
as verified for ours (CouncilVerifiedMiddleware); local accounts keep their authenticator.
"""

import functools
import hashlib
import ipaddress
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

import jwt
import requests
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from bookyourplace.accounts.models import Role, SignInProvider, StaffMember
from bookyourplace.core.errors import DomainError
from bookyourplace.core.requests import client_ip
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record

logger = logging.getLogger(__name__)

BACKEND = "bookyourplace.accounts.council_sign_in.CouncilSignInBackend"
# The session's mark: this user signed in through this provider (and so did its second factor).
SESSION_KEY = "byp_council_sign_in"
# Audit actions (their labels: accounts/audit_log.py OTHER_ACTIONS).
REFUSED = "council_sign_in.refused"
# Clocks differ a little between the provider and us.
LEEWAY_SECONDS = 60
DISCOVERY_CACHE_SECONDS = 60 * 60
HTTP_TIMEOUT_SECONDS = 10
SIGNING_ALGORITHM = "RS256"
DISCOVERY_PATH = "/.well-known/openid-configuration"
# The most privileged role wins when someone is in several mapped groups.
ROLE_ORDER = [Role.VIEWER, Role.ORGANISER, Role.ADMINISTRATOR]


class SignInRefused(DomainError):
    """The provider said who this is, and they may not sign in (the reason is for the audit log)."""

    def __init__(self, message, *, reason: str, title=None):
        super().__init__(message)
        self.reason = reason
        self.title = title or gettext_lazy("You cannot sign in to Book Your Place")


class ProviderUnavailable(DomainError):
    message = gettext_lazy(
        "Your organisation's sign-in service could not be reached, or answered in a way we do not "
        "understand. Try again in a few minutes, or ask your administrator to check its settings."
    )


# --- The provider's settings ------------------------------------------------------------------


def issuer_of(url: str) -> str:
    """The issuer from what an administrator typed: the issuer itself or its discovery URL."""
    url = url.strip()
    if url.endswith(DISCOVERY_PATH):
        url = url[: -len(DISCOVERY_PATH)]
    return url.rstrip("/")


def is_acceptable_issuer(url: str) -> bool:
    """https, or plain http on this machine only (a provider run for development or tests)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def parse_group_roles(text: str) -> dict[str, str]:
    """Lines of "group = role" (role: administrator, organiser or viewer) as {group: role}.

    Raises ValueError naming the first line that is not right. The group is what the provider
    puts in the groups claim: in Entra ID the group's object ID, unless it is set to send names."""
    roles = {}
    by_word = {value: value for value in Role.values} | {str(label).lower(): value for value, label in Role.choices}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        group, equals, role = line.rpartition("=")
        group, role = group.strip(), role.strip().lower()
        if not equals or not group or role not in by_word:
            raise ValueError(
                _("Line %(number)s: write each line as a group, then =, then administrator, organiser or viewer")
                % {"number": number}
            )
        roles[group] = by_word[role]
    return roles


def parse_email_domains(text: str) -> list[str]:
    """ "coventry.gov.uk, @warwickshire.gov.uk" (or one a line) as ["coventry.gov.uk", ...]."""
    parts = text.replace(",", "\n").split()
    domains = [part.strip().lstrip("@").lower() for part in parts if part.strip()]
    for domain in domains:
        if "." not in domain or "@" in domain or "/" in domain:
            raise ValueError(_("Enter email domains like coventry.gov.uk, one a line"))
    return domains


@dataclass(frozen=True)
class Discovery:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None


def discovery(provider: SignInProvider, *, refresh: bool = False) -> Discovery:
    """The provider's discovery document, read by the server (cached for an hour).

    Its issuer must be the one configured (OpenID Connect Discovery 1.0, section 4.3), and so
    must every endpoint be https (or on this machine, as the issuer)."""
    issuer = issuer_of(provider.issuer)
    key = "byp:oidc-discovery:" + hashlib.sha256(issuer.encode()).hexdigest()
    found = None if refresh else cache.get(key)
    if found is None:
        if not is_acceptable_issuer(issuer):
            raise ProviderUnavailable(_("The issuer URL must start with https://"))
        try:
            response = requests.get(issuer + DISCOVERY_PATH, timeout=HTTP_TIMEOUT_SECONDS)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            logger.warning("Discovery document of sign-in provider %s not read: %s", provider.pk, error)
            raise ProviderUnavailable() from error
        found = _checked_discovery(issuer, document if isinstance(document, dict) else {})
        cache.set(key, found, DISCOVERY_CACHE_SECONDS)
    return found


def _checked_discovery(issuer: str, document: dict) -> Discovery:
    try:
        found = Discovery(
            issuer=str(document["issuer"]).rstrip("/"),
            authorization_endpoint=str(document["authorization_endpoint"]),
            token_endpoint=str(document["token_endpoint"]),
            jwks_uri=str(document["jwks_uri"]),
            userinfo_endpoint=str(document["userinfo_endpoint"]) if document.get("userinfo_endpoint") else None,
        )
    except KeyError as missing:
        raise ProviderUnavailable(
            _("The provider's discovery document has no %(field)s") % {"field": missing.args[0]}
        ) from None
    if found.issuer != issuer:
        raise ProviderUnavailable(
            _("The provider says its issuer is %(found)s, not %(issuer)s") % {"found": found.issuer, "issuer": issuer}
        )
    endpoints = [found.authorization_endpoint, found.token_endpoint, found.jwks_uri, found.userinfo_endpoint or issuer]
    if not all(is_acceptable_issuer(endpoint) for endpoint in endpoints):
        raise ProviderUnavailable(_("Every address in the provider's discovery document must start with https://"))
    return found


# --- Library settings, per provider -----------------------------------------------------------

# What the library reads from settings, answered here for every provider alike.
OIDC_SETTINGS = {
    "OIDC_RP_SCOPES": "openid email profile",
    "OIDC_USE_NONCE": True,
    "OIDC_USE_PKCE": True,
    "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
    "OIDC_TIMEOUT": HTTP_TIMEOUT_SECONDS,
    "OIDC_VERIFY_SSL": True,
    "OIDC_ALLOW_UNSECURED_JWT": False,
    "OIDC_CREATE_USER": False,
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_STORE_ID_TOKEN": False,
    "OIDC_AUTHENTICATION_CALLBACK_URL": "backoffice:council_sign_in_callback",
    "LOGIN_REDIRECT_URL": "backoffice:dashboard",
    "LOGIN_REDIRECT_URL_FAILURE": "backoffice:sign_in",
}


def oidc_setting(attr: str, *default):
    """The library's get_settings, with our answers first (settings.py need not name them)."""
    if attr in OIDC_SETTINGS:
        return OIDC_SETTINGS[attr]
    return import_from_settings(attr, *default)


# --- The backend ------------------------------------------------------------------------------


class CouncilSignInBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, set up from one SignInProvider rather than settings.

    Listed in AUTHENTICATION_BACKENDS so that Django finds the signed-in user on later requests;
    it signs no one in unless given a provider (a password never reaches it)."""

    def __init__(self, provider: SignInProvider | None = None, *args, **kwargs):
        self.UserModel = get_user_model()
        self.provider = provider
        self.request = None

    def get_settings(self, attr, *args):
        return oidc_setting(attr, *args)

    def _use(self, provider: SignInProvider) -> None:
        found = discovery(provider)
        self.provider = provider
        self.issuer = found.issuer
        self.OIDC_OP_TOKEN_ENDPOINT = found.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = found.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = found.jwks_uri
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = SIGNING_ALGORITHM
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, council_provider=None, nonce=None, code_verifier=None, **credentials):
        """The code flow's second half, for the provider that began it. Returns the user, or
        None if the exchange or the token fails; raises SignInRefused for someone refused."""
        if council_provider is None or request is None:
            return None
        self._use(council_provider)
        return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)

    def _verify_jws(self, payload, key):
        """Signature, and every claim the library leaves unchecked (it skips the audience)."""
        try:
            header = jwt.get_unverified_header(payload)
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"ID token unreadable: {error}") from error
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {header.get('alg')!r}, not {self.OIDC_RP_SIGN_ALGO}")
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error
        # With several audiences, the token must have been issued to us (OpenID Connect Core 3.1.3.7).
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token issued to another party (azp)")
        return claims

    def retrieve_matching_jwk(self, token):
        try:
            return super().retrieve_matching_jwk(token)
        except (KeyError, jwt.PyJWTError, ValueError) as error:
            raise SuspiciousOperation(f"No usable signing key: {error}") from error

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, with what the userinfo endpoint adds (the token's own win)."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT and access_token:
            extra = super().get_userinfo(access_token, id_token, payload)
            if not isinstance(extra, dict) or extra.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("The userinfo answer is about someone else")
            for name, value in extra.items():
                claims.setdefault(name, value)
        return claims

    def verify_claims(self, claims):
        return True  # `admit` decides, with reasons a person can read.

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        return admit(provider=self.provider, claims=claims, ip_address=_client_ip(self.request))


def _client_ip(request) -> str | None:
    return client_ip(request) if request is not None else None


# --- Who may sign in --------------------------------------------------------------------------

NO_ROLE_TITLE = gettext_lazy("Your account has no role in Book Your Place yet")


def role_from_groups(provider: SignInProvider, claims: dict) -> str | None:
    """The most privileged role that one of the person's groups is mapped to, if any."""
    groups = claims.get(provider.groups_claim or "groups") or []
    if isinstance(groups, str):
        groups = [groups]
    if not isinstance(groups, list):
        return None
    mapping = parse_group_roles(provider.group_roles)
    roles = {mapping[str(group)] for group in groups if str(group) in mapping}
    return max(roles, key=ROLE_ORDER.index) if roles else None


def _email_of(claims: dict) -> str:
    email = claims.get("email")
    return email.strip().lower() if isinstance(email, str) and "@" in email else ""


def _names_of(claims: dict) -> tuple[str, str]:
    first, last = claims.get("given_name") or "", claims.get("family_name") or ""
    if not (first or last) and claims.get("name"):
        first, _space, last = str(claims["name"]).partition(" ")
    return str(first)[:150], str(last)[:150]


def _record_refusal(provider: SignInProvider, email: str, ip_address: str | None, refusal: SignInRefused) -> None:
    record(
        actor=Actor(label=email or "Council sign-in", ip_address=ip_address),
        action=REFUSED,
        summary=f"Refused council sign-in of {email or 'someone with no email address'} "
        f"through {provider.name}: {refusal.reason}",
        subject=provider,
    )


def admit(*, provider: SignInProvider, claims: dict, ip_address: str | None = None) -> AbstractBaseUser:
    """The back-office account the provider's claims sign in, made or updated as they say.

    Matched by email (case-insensitive; the provider must not say it is unverified). Staff of
    this provider's organisation sign in, their role set from their groups when one is mapped;
    someone new with a mapped group gets an account with that role; anyone else is refused (and
    the refusal is audited): staff of another organisation, switched-off accounts, and people
    with no role, mapped or (if the provider allows it) given by an administrator."""
    email = _email_of(claims)
    try:
        with transaction.atomic():
            return _admit(provider, claims, email, ip_address)
    except SignInRefused as refusal:
        _record_refusal(provider, email, ip_address, refusal)
        raise


def _admit(provider: SignInProvider, claims: dict, email: str, ip_address: str | None) -> AbstractBaseUser:
    refusal = _refusal_before_matching(provider, claims, email)
    if refusal is not None:
        raise refusal
    role = role_from_groups(provider, claims)
    users = list(get_user_model().objects.filter(email__iexact=email)[:2])
    if len(users) > 1:
        raise SignInRefused(
            _("More than one account has your email address. Ask your administrator."),
            reason="several accounts have this email address",
        )
    if not users:
        if role is None:
            raise _no_role()
        return _add_person(provider=provider, claims=claims, email=email, role=role, ip_address=ip_address).user
    user = users[0]
    member = StaffMember.objects.filter(user=user).select_related("organiser").first()
    if member is None and role is not None and user.is_active and not user.is_superuser:
        # An account with no role anywhere (never staff): their groups give it one here.
        _add_person(provider=provider, claims=claims, email=email, role=role, ip_address=ip_address, user=user)
        return user
    refusal = _refusal_of_account(provider, user, member, role)
    if refusal is not None:
        raise refusal
    if role is not None and role != member.role:
        _change_role(provider=provider, member=member, role=role, ip_address=ip_address)
    return user


def _refusal_before_matching(provider: SignInProvider, claims: dict, email: str) -> SignInRefused | None:
    if not email:
        return SignInRefused(
            _(
                "Your organisation's sign-in service did not tell us your email address. "
                "Ask your administrator to send the email claim."
            ),
            reason="no email address",
        )
    if claims.get("email_verified", True) not in (True, "true"):
        return SignInRefused(
            _("Your organisation's sign-in service has not confirmed your email address. Ask your administrator."),
            reason="email address not verified",
        )
    domains = parse_email_domains(provider.email_domains)
    if domains and email.rpartition("@")[2] not in domains:
        return SignInRefused(
            _("Your email address is not one that %(provider)s accepts for Book Your Place. Ask your administrator.")
            % {"provider": provider.name},
            reason="email domain not allowed",
        )
    return None


def _no_role() -> SignInRefused:
    return SignInRefused(
        _(
            "Your account has no role in Book Your Place yet: ask your administrator. They can give you one, "
            "or add you to a group that has one."
        ),
        reason="no role",
        title=NO_ROLE_TITLE,
    )


def _refusal_of_account(
    provider: SignInProvider, user: AbstractBaseUser, member: StaffMember | None, role: str | None
) -> SignInRefused | None:
    if member is None and not user.is_superuser:
        return _no_role()
    if member is None or member.organiser_id != provider.organiser_id:
        return _other_account()
    if not user.is_active:
        return SignInRefused(
            _("Your account has been switched off. Ask your administrator."), reason="account switched off"
        )
    if role is None and not provider.allow_assigned_roles:
        return _no_role()
    return None


def _other_account() -> SignInRefused:
    return SignInRefused(
        _(
            "Your email address belongs to an account of another organisation in Book Your Place. "
            "Sign in the way that organisation uses, or ask your administrator."
        ),
        reason="account of another organisation",
    )


def _add_person(
    *, provider: SignInProvider, claims: dict, email: str, role: str, ip_address, user: AbstractBaseUser | None = None
) -> StaffMember:
    """Staff for someone their organisation's groups give a role, with a new account unless
    given one. A new account has no password: they sign in through the provider."""
    if user is None:
        first_name, last_name = _names_of(claims)
        user = get_user_model()(username=email, email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save()
    member = StaffMember.objects.create(user=user, organiser=provider.organiser, role=role)
    record(
        actor=Actor(user=user, ip_address=ip_address),
        action=AuditEvent.Action.CHANGED_PERSON,
        summary=f"Added {_name(user)} as {member.get_role_display()} at their first council sign-in "
        f"through {provider.name}",
        subject=member,
    )
    return member


def _change_role(*, provider: SignInProvider, member: StaffMember, role: str, ip_address) -> None:
    before = member.get_role_display()
    member.role = role
    member.save(update_fields=["role"])
    record(
        actor=Actor(user=member.user, ip_address=ip_address),
        action=AuditEvent.Action.CHANGED_PERSON,
        summary=f"Changed {_name(member.user)} from {before} to {member.get_role_display()}, "
        f"as their groups at {provider.name} say",
        subject=member,
    )


def _name(user: AbstractBaseUser) -> str:
    return f"{user.get_full_name() or user.email} <{user.email}>"


# --- The session ------------------------------------------------------------------------------


def mark_session(request, provider: SignInProvider) -> None:
    """After login: this session's user signed in through `provider` (and its second factor)."""
    request.session[SESSION_KEY] = {"user": request.user.pk, "provider": provider.pk}


def signed_in_through(request) -> int | None:
    """The provider this session's user signed in through, or None (a local sign-in)."""
    return _provider_marked(request.session, getattr(request, "user", None))


def _provider_marked(session, user) -> int | None:
    mark = session.get(SESSION_KEY)
    if (
        isinstance(mark, dict)
        and user is not None
        and user.is_authenticated
        and mark.get("user") == user.pk
        and session.get(BACKEND_SESSION_KEY) == BACKEND
    ):
        return mark.get("provider")
    return None


class CouncilVerifiedMiddleware:
    """After django-otp's middleware: a session signed in through a council's provider counts
    as verified (`request.user.is_verified()`), as the council's own sign-in asked for its
    second factor. Lazy, like django-otp's: a page that never asks about the user costs nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None:
            request.user = SimpleLazyObject(functools.partial(_verified_by_council, request.session, user))
        return self.get_response(request)


def _verified_by_council(session, user):
    user.is_authenticated  # noqa: B018 (sets up the lazy user django-otp left)
    real = getattr(user, "_wrapped", user)
    if session.get(SESSION_KEY) and _provider_marked(session, real) is not None:
        real.is_verified = lambda: True
    return real
