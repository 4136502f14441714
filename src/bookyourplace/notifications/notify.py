"""GOV.UK Notify: an organisation's alternative to the install's SMTP server.

Delivery (delivery.py) asks ``route_for`` which way each outbox row goes. An email written as
for SMTP (subject, plain-text body) goes to Notify as the personalisation of the
organisation's template for its kind: ((subject)) and ((body)), so one generic template per
type carries every email without organisers retyping content. A text message goes with the
organisation's text message template, its words as ((body)).

The calendar invite: Notify sends files only as a download link, and only of a few types
(PDF, CSV, text, Word, Excel, ODT, RTF, JSON, images), not .ics calendar files. So an email
with an invite carries ((calendar_link)) instead: the manage page's calendar file (the
composer's ``calendar_url``), which adds the event to the attendee's calendar.

Notify's answers: 429 (too many requests) and 5xx (and no answer at all) are retried with
the outbox's back-off; 400 and 403 (a wrong template id, a bad key, a number Notify will not
text) fail the email for good, with Notify's words kept for the organiser.
"""

import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from bookyourplace.core.errors import DomainError
from bookyourplace.notifications.models import NotifySettings

# name-serviceid-secret, as Notify shows a new key: the client reads the last 73 characters.
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
API_KEY_PATTERN = re.compile(rf"^[a-z0-9_-]+-{_UUID}-{_UUID}$")
TIMEOUT_SECONDS = 20


class InvalidNotifySettings(DomainError):
    pass


@dataclass(frozen=True)
class TextMessage:
    """A text message an app wrote (a reminder), for Notify to send."""

    to: str  # +447...
    body: str


class NotifyRefused(Exception):
    """Notify said no to this message for good (400, 403): retrying cannot help."""


class NotifyUnavailable(Exception):
    """Notify is busy or unreachable (429, 5xx, no answer): try again later."""


def valid_api_key(key: str) -> bool:
    return bool(API_KEY_PATTERN.match(key.strip()))


def valid_template_id(value: str) -> bool:
    try:
        return str(uuid.UUID(value.strip())) == value.strip().lower()
    except ValueError:
        return False


def settings_for(organiser_id: int | None) -> NotifySettings | None:
    """The organisation's Notify settings when it sends by Notify; None for SMTP."""
    if organiser_id is None:
        return None
    found = NotifySettings.objects.filter(organiser_id=organiser_id).first()
    return found if found is not None and found.uses_notify else None


def sends_texts(organiser_id: int | None) -> bool:
    """Whether the organisation sends text messages (so the booking form offers a reminder)."""
    found = settings_for(organiser_id)
    return found is not None and found.sends_texts


def client_for(notify: NotifySettings) -> NotificationsAPIClient:
    return NotificationsAPIClient(notify.api_key, base_url=settings.BYP_NOTIFY_BASE_URL, timeout=TIMEOUT_SECONDS)


def send_email(*, notify: NotifySettings, kind: str, to: str, message, reference: str) -> None:
    """Send an email written as for SMTP (an EmailMessage) through Notify."""
    personalisation = {"subject": message.subject, "body": message.body}
    calendar_link = getattr(message, "calendar_url", "")
    personalisation["calendar_link"] = calendar_link or ""
    template_id = notify.template_for(kind)
    if not template_id:
        raise NotifyRefused(_("No GOV.UK Notify template is set for this kind of email."))
    _call(
        lambda: client_for(notify).send_email_notification(
            email_address=to, template_id=template_id, personalisation=personalisation, reference=reference
        )
    )


def send_text(*, notify: NotifySettings, text: TextMessage, reference: str) -> None:
    if not notify.sms_template_id:
        raise NotifyRefused(_("No GOV.UK Notify text message template is set."))
    _call(
        lambda: client_for(notify).send_sms_notification(
            phone_number=text.to,
            template_id=notify.sms_template_id,
            personalisation={"body": text.body},
            reference=reference,
        )
    )


def _call(send) -> None:
    try:
        send()
    except APIError as error:
        status = error.status_code
        described = f"GOV.UK Notify answered {status}: {_words(error.message)}"
        if status == 429 or status >= 500:
            raise NotifyUnavailable(described) from error
        raise NotifyRefused(described) from error


def _words(message) -> str:
    """Notify's error list ([{"error": ..., "message": ...}]) as one line."""
    if isinstance(message, list):
        return "; ".join(str(item.get("message", item)) if isinstance(item, dict) else str(item) for item in message)
    return str(message)
