"""An email that Outlook treats as a meeting request or cancellation."""

from django.core.mail import EmailMultiAlternatives

from bookyourplace.notifications.inline_images import InlineImages


class InviteEmail(InlineImages, EmailMultiAlternatives):
    """An email whose text/calendar alternative carries its iTIP method.

    Outlook only treats a message as a meeting request (or a cancellation) when the MIME
    type says ``method=REQUEST`` (or ``CANCEL``) and matches the METHOD in the file.
    Django's alternatives take no MIME parameters, so the part is added here.
    """

    def __init__(self, *args, invite: bytes, invite_method: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.invite = invite
        self.invite_method = invite_method

    def _add_bodies(self, msg):
        msg = super()._add_bodies(msg)
        msg.add_alternative(
            self.invite.decode(), subtype="calendar", charset="utf-8", params={"method": self.invite_method}
        )
        return msg
