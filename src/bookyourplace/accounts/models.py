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
