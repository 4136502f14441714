"""The organisations of an area, as a council lists them: the schools from the DfE's "Get
Information About Schools" (GIAS) and a plain list of the others. Coverage (coverage.py)
matches attendees to them to show which have had nobody trained.

These are the reports app's own data: lists an organiser imports, never bookings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bookyourplace.programmes.models import Organiser


class Kind(models.TextChoices):
    """The broad kind of an organisation, as coverage is summed up ("34 of 120 schools")."""

    SCHOOL = "school", _("Schools")
    EARLY_YEARS = "early_years", _("Early years")
    FURTHER_EDUCATION = "further_education", _("Further education")
    HEALTH = "health", _("Health")
    POLICE = "police", _("Police")
    VOLUNTARY = "voluntary", _("Voluntary and community")
    OTHER = "other", _("Other")


class Phase(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    SECONDARY = "secondary", _("Secondary")
    ALL_THROUGH = "all_through", _("All-through")
    NURSERY = "nursery", _("Nursery")
    SIXTEEN_PLUS = "sixteen_plus", _("16 plus")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Source(models.TextChoices):
    GIAS = "gias", _("Get Information About Schools")
    LIST = "list", _("List of other organisations")


class AreaOrganisation(models.Model):
    """One organisation of the organiser's area: a school, a nursery, a trust, a charity."""

    organiser = models.ForeignKey(Organiser, on_delete=models.CASCADE, related_name="area_organisations")
    name = models.CharField(_("name"), max_length=200)
    # The name as matching compares it (coverage.py: matching_name): "whitleyacademy".
    name_key = models.CharField(max_length=200, blank=True, editable=False)
    # False when another organisation of the area has the same key (two St Mary's): such a
    # name matches neither.
    name_key_is_unique = models.BooleanField(default=True, editable=False)
    type = models.CharField(_("type"), max_length=100)  # "Academy converter", "NHS trust"
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase, default=Phase.NOT_APPLICABLE)
    local_authority = models.CharField(_("local authority"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    # The school's Unique Reference Number in GIAS; "" for the others.
    urn = models.CharField(_("URN"), max_length=12, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source)
    imported_at = models.DateTimeField(_("imported"))

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "urn"], condition=~Q(urn=""), name="one_area_organisation_per_urn"
            ),
        ]
        indexes = [
            # Finding the names two organisations share, after each import (coverage.py).
            models.Index(fields=["organiser", "name_key"], name="area_organisation_name_key"),
            models.Index(fields=["organiser", "kind", "phase"], name="area_organisation_kind"),
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationDomain(models.Model):
    """An email domain of an organisation ("whitley.coventry.sch.uk"): an attendee whose email
    address is at it, or at a subdomain of it, is counted as theirs. One organisation per
    domain per organiser, so a match is never a guess between two."""

    organiser = models.ForeignKey(Organiser, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(AreaOrganisation, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("email domain"), max_length=253)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "domain"], name="one_organisation_per_domain"),
        ]

    def __str__(self) -> str:
        return self.domain


class PendingOrganisationImport(models.Model):
    """A file read and previewed, waiting to be saved. The rows are kept (compressed) rather
    than carried in the page: a whole-England GIAS extract is 50,000 of them. Removed when
    saved, and after a day if never saved."""

    organiser = models.ForeignKey(Organiser, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=Source)
    file_name = models.CharField(max_length=255)
    rows = models.BinaryField()

    def __str__(self) -> str:
        return self.file_name
