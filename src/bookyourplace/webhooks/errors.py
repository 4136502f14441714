"""What the webhook rules say when they say no, in words for the organiser."""

from django.utils.translation import gettext_lazy as _

from bookyourplace.core.errors import DomainError


class WebhookError(DomainError):
    message = _("Sorry, that could not be done to the endpoint.")


class UnsafeDestination(WebhookError):
    """The URL may not be sent to: not https, not a full address, or a private network."""

    message = _("Enter an address that can be reached from the internet, like https://example.org/webhooks")
    field = "url"


class NoEvents(WebhookError):
    message = _("Select at least one event to send")
    field = "events"


class CannotResend(WebhookError):
    message = _("Only a message that failed or was not sent can be sent again, once.")


class EndpointSwitchedOff(WebhookError):
    message = _("Switch the endpoint on before sending messages to it again.")
