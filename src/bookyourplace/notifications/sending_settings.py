"""An organisation's choice of how attendee emails go (SMTP or GOV.UK Notify), its key and
template ids, and the test email. The back office's "Email sending" page calls these."""

from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.translation import gettext as _

from bookyourplace.core.site import from_address
from bookyourplace.notifications import notify
from bookyourplace.notifications.composing import Composer
from bookyourplace.notifications.models import Email, NotifySettings
from bookyourplace.notifications.queueing import queue_email
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Organiser, Programme
from bookyourplace.programmes.page_version import programme_changed

CHANGED = "email_sending_changed"
TEST_KIND = "notify_test"


def settings_of(organiser: Organiser) -> NotifySettings:
    """The organisation's settings (unsaved defaults, SMTP, when it has none)."""
    return NotifySettings.objects.filter(organiser=organiser).first() or NotifySettings(organiser=organiser)


def save_sending(
    *,
    organiser: Organiser,
    sending: str,
    api_key: str = "",
    default_template_id: str = "",
    template_ids: dict[str, str] | None = None,
    sms_template_id: str = "",
    actor: Actor,
) -> NotifySettings:
    """Save how the organisation sends. An empty ``api_key`` keeps the one saved (it is never
    shown back). Notify needs a key and a default template; InvalidNotifySettings says which
    is missing or wrong."""
    current = settings_of(organiser)
    api_key = api_key.strip() or current.api_key
    if api_key and not notify.valid_api_key(api_key):
        raise notify.InvalidNotifySettings(
            _("Enter the whole API key as GOV.UK Notify showed it, with its name, like mykey-0000…"), field="api_key"
        )
    ids = {kind: value.strip().lower() for kind, value in (template_ids or {}).items() if value.strip()}
    named = {
        "default_template_id": default_template_id.strip().lower(),
        "sms_template_id": sms_template_id.strip().lower(),
    }
    for field, value in [*named.items(), *((f"template_{kind}", value) for kind, value in ids.items())]:
        if value and not notify.valid_template_id(value):
            raise notify.InvalidNotifySettings(
                _("Enter a template ID as GOV.UK Notify shows it, like 0b8e…-…: 36 letters, numbers and hyphens"),
                field=field,
            )
    if sending == NotifySettings.Sending.NOTIFY:
        if not api_key:
            raise notify.InvalidNotifySettings(_("Enter the GOV.UK Notify API key"), field="api_key")
        if not named["default_template_id"]:
            raise notify.InvalidNotifySettings(
                _("Enter the ID of the template for every email"), field="default_template_id"
            )
    texts_before = current.sends_texts
    current.sending = sending
    current.api_key = api_key
    current.default_template_id = named["default_template_id"]
    current.sms_template_id = named["sms_template_id"]
    current.template_ids = ids
    with transaction.atomic():
        current.save()
        record(
            actor=actor,
            action=CHANGED,
            summary=_("Changed how %(name)s sends email: %(way)s")
            % {"name": organiser.name, "way": current.get_sending_display()},
            subject=organiser,
        )
        if texts_before != current.sends_texts:
            # The booking form offers a text reminder or not: its cached pages are out of date.
            for programme_id in Programme.objects.filter(organiser=organiser).values_list("pk", flat=True):
                programme_changed(programme_id)
    return current


def send_test(*, organiser: Organiser, to: str) -> Email:
    """Queue a test email to ``to``, sent the way the organisation sends (its default template
    for Notify); its outcome shows on the page."""
    current = NotifySettings.objects.filter(organiser=organiser).first()
    if current is None:
        raise notify.InvalidNotifySettings(_("Save the settings before sending a test"))
    return queue_email(about=current, kind=TEST_KIND, to=to)


def last_tests(organiser: Organiser, *, count: int = 5) -> list[Email]:
    current = NotifySettings.objects.filter(organiser=organiser).first()
    if current is None:
        return []
    tests = Email.objects.filter(
        about_type=ContentType.objects.get_for_model(NotifySettings), about_id=current.pk, kind=TEST_KIND
    )
    return list(tests.order_by("-created_at", "-id")[:count])


def _compose_test(email: Email, about: NotifySettings) -> EmailMessage:
    organiser = about.organiser
    return EmailMessage(
        subject=_("Test email from %(name)s") % {"name": organiser.name},
        body=_("This is a test of how %(name)s sends email to attendees. It arrived, so it works.")
        % {"name": organiser.name},
        from_email=from_address(organiser.sender_name),
        to=[email.to],
        reply_to=[organiser.reply_to_address],
    )


TEST_EMAILS = Composer(
    load=lambda ids: NotifySettings.objects.select_related("organiser").in_bulk(ids),
    compose=_compose_test,
    organiser_of=lambda about: about.organiser_id,
)
