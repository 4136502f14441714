"""Emails whose HTML shows images sent inside them (a QR code), not fetched from the web.

Mail programs show an image that ``<img src="cid:...">`` names when it travels in a
multipart/related part together with that HTML (RFC 2387), and many block images from the
web by default. The image goes beside the HTML alternative, so the plain-text part and any
calendar invite stay as they are.
"""

import email.policy
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives


@dataclass(frozen=True)
class InlineImage:
    content: bytes
    cid: str  # without the angle brackets: the HTML says src="cid:<this>"
    subtype: str = "png"
    filename: str = ""


class InlineImages:
    """Adds ``attach_inline_image`` to an EmailMultiAlternatives with an HTML alternative."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.inline_images: list[InlineImage] = []

    def attach_inline_image(self, content: bytes, *, cid: str, subtype: str = "png", filename: str = "") -> None:
        self.inline_images.append(InlineImage(content=content, cid=cid, subtype=subtype, filename=filename))

    def message(self, *, policy=email.policy.default):
        msg = super().message(policy=policy)
        if self.inline_images:
            html = msg.get_body(preferencelist=("html",))
            for image in self.inline_images:
                # Makes the HTML part a multipart/related holding the HTML, then the image.
                html.add_related(
                    image.content,
                    maintype="image",
                    subtype=image.subtype,
                    cid=f"<{image.cid}>",
                    disposition="inline",
                    filename=image.filename or None,
                )
        return msg


class EmailWithInlineImages(InlineImages, EmailMultiAlternatives):
    pass
