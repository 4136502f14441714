from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bookyourplace.programmes.models import Organiser, Programme


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    ORGANISER = "organiser", _("Organiser")
    VIEWER = "viewer", _("Viewer")


ROLE_HINTS = {
    Role.ADMINISTRATOR: _("Everything, including adding people and reading the audit log."),
    Role.ORGANISER: _("Runs the programmes they are assigned to: sessions, bookings, messages and exports."),
    Role.VIEWER: _("Reads lists and reports. Cannot change anything or export personal data."),
}


class StaffMember(models.Model):
    """A person who signs in to the back office, with their role for one organiser."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    organiser = models.ForeignKey(Organiser, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.ORGANISER)
    # Organisers run only the programmes they are assigned to; administrators and viewers see all.
    programmes = models.ManyToManyField(Programme, blank=True, related_name="team", verbose_name=_("programmes"))

    class Meta:
        ordering = ["user__first_name", "user__last_name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.email} ({self.get_role_display()})"


class ApiScope(models.TextChoices):
    """What an API token may do (issue 17). Reading published programmes needs no token."""

    READ_BOOKINGS = "read:bookings", _("Read bookings and waiting lists")
    WRITE_BOOKINGS = "write:bookings", _("Book places and cancel bookings")
    READ_ATTENDANCE = "read:attendance", _("Read attendance marks")
    READ_REPORTS = "read:reports", _("Read report figures and feedback summaries")


class ApiToken(models.Model):
    """A named key for one organiser's data through the JSON API, with scopes and an expiry.

    Only the SHA-256 of the token is stored: it is shown once, when created. The token is 256
    random bits, so a fast hash is enough (nothing to guess from a dictionary), and it lets
    every request find its token with one indexed lookup.
    """

    organiser = models.ForeignKey(Organiser, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    # The token's first characters, shown in lists so an organiser can tell tokens apart.
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SignInProvider(models.Model):
    """An organisation's own OpenID Connect provider (its Microsoft Entra ID, or any other):
    its staff sign in with their work accounts (accounts/council_sign_in.py).

    Several organisations share an install, so each has its own, kept here rather than in
    settings. The client secret is sent only to the provider's token endpoint; the back
    office never shows it again once saved."""

    organiser = models.ForeignKey(Organiser, on_delete=models.CASCADE, related_name="sign_in_providers")
    name = models.CharField(_("name on the sign-in button"), max_length=100)
    # Where /.well-known/openid-configuration is found; the discovery document must name it too.
    issuer = models.URLField(_("issuer URL"), max_length=500)
    client_id = models.CharField(_("client ID"), max_length=255)
    client_secret = models.CharField(max_length=500)
    # One per line (or separated by commas): only these may sign in. Empty: any.
    email_domains = models.TextField(_("email domains allowed"), blank=True)
    groups_claim = models.CharField(_("groups claim"), max_length=100, default="groups")
    # Lines of "group = role" (accounts/council_sign_in.py: parse_group_roles).
    group_roles = models.TextField(_("groups and roles"), blank=True)
    # Someone in none of the groups above may still sign in with the role an administrator gave them.
    allow_assigned_roles = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
