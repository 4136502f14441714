"""Organisations on one install: adding one (installation administrators) and changing its
settings (its name and colours, how its emails to attendees read, the retention periods its
new programmes take). Each change is written to the audit log with what changed.

An organisation is an ``Organiser`` (the UI's word is "organisation"). Its own staff,
privacy notice, accessibility statement and programmes hang off it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.errors import ProgrammeError
from bookyourplace.programmes.models import Organiser, Programme
from bookyourplace.programmes.page_version import programme_changed

# Audit actions (their labels: accounts/audit_log.py OTHER_ACTIONS).
CREATED = "organisation.created"
CHANGED = "organisation.changed"

# Shown on the public pages (the header's colour, the name, the links under its short name):
# a change makes the cached pages of its programmes out of date.
_SHOWN_IN_PAGES = {"name", "slug", "contact_email", "brand_colour", "offers_welsh"}

# What an installation administrator sets when adding or editing one.
IDENTITY_FIELDS = ("name", "slug", "contact_email", "brand_colour", "email_sender_name", "reply_to_email")
# What the organisation's own administrators change on its settings page.
SETTINGS_FIELDS = (
    "brand_colour",
    "email_sender_name",
    "reply_to_email",
    "email_sign_off",
    "offers_welsh",
    "default_retention_months",
    "default_access_needs_retention_days",
)


class OrganisationError(ProgrammeError):
    """An organisation's details that cannot be saved as they are; ``field`` names the one."""


def _checked(organiser: Organiser, *, exclude_slug: bool = False) -> None:
    """The model's own rules (colour contrast, lengths, ranges, a short name not yet taken),
    as one refusal naming the first field at fault."""
    if any(character in organiser.email_sender_name for character in "\r\n"):
        # It goes into the From header of every email: a line break there would break them all.
        raise OrganisationError(_("The sender name must be on one line"), field="email_sender_name")
    try:
        organiser.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        if field == "slug" and any("already exists" in message for message in messages):
            raise OrganisationError(
                _("Another organisation already has this short name: choose another"), field="slug"
            ) from error
        raise OrganisationError(messages[0], field=None if field == "__all__" else field) from error


def create_organisation(
    *,
    name: str,
    slug: str,
    contact_email: str,
    brand_colour: str = "",
    email_sender_name: str = "",
    reply_to_email: str = "",
    actor: Actor,
) -> Organiser:
    """A new organisation with no programmes and no staff yet (add its first administrator next)."""
    organiser = Organiser(
        name=name.strip(),
        slug=slug.strip().lower(),
        contact_email=contact_email.strip(),
        email_sender_name=email_sender_name.strip(),
        reply_to_email=reply_to_email.strip(),
    )
    if brand_colour:
        organiser.brand_colour = brand_colour.strip().lower()
    _checked(organiser)
    with transaction.atomic():
        organiser.save()
        record(
            actor=actor,
            action=CREATED,
            summary=_("Added the organisation %(name)s (%(slug)s)") % {"name": organiser.name, "slug": organiser.slug},
            subject=organiser,
        )
    return organiser


def change_organisation(
    *, organiser: Organiser, values: dict, actor: Actor, fields: tuple[str, ...] = SETTINGS_FIELDS
) -> Organiser:
    """Save the given ``values`` (only the names in ``fields``); the audit entry lists what
    changed. Nothing changed: nothing saved, nothing recorded."""
    changed = []
    for name in fields:
        if name not in values:
            continue
        value = values[name]
        if isinstance(value, str):
            value = value.strip()
            if name in ("slug", "brand_colour"):
                value = value.lower()
        if getattr(organiser, name) != value:
            setattr(organiser, name, value)
            changed.append(name)
    if not changed:
        return organiser
    try:
        _checked(organiser)
    except OrganisationError:
        organiser.refresh_from_db(fields=changed)
        raise
    with transaction.atomic():
        organiser.save(update_fields=changed)
        record(
            actor=actor,
            action=CHANGED,
            summary=_("Changed the organisation %(name)s: %(fields)s")
            % {
                "name": organiser.name,
                "fields": ", ".join(str(Organiser._meta.get_field(name).verbose_name) for name in changed),
            },
            subject=organiser,
        )
        if _SHOWN_IN_PAGES.intersection(changed):
            for programme_id in Programme.objects.filter(organiser=organiser).values_list("pk", flat=True):
                programme_changed(programme_id)
    return organiser
