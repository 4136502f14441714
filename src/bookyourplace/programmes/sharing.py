"""What an organiser copies to show a programme elsewhere: the calendar feed's addresses,
the iframe code for a council's web page, and the HTML snippet's address (issue 16)."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from bookyourplace.programmes.calendar_feed import FeedAddresses, feed_addresses
from bookyourplace.programmes.models import Programme

# Tall enough for a day or two of sessions on a desktop; the frame scrolls for the rest.
IFRAME_HEIGHT = 800


@dataclass(frozen=True)
class Sharing:
    feed: FeedAddresses
    embed: str  # the page to show in an iframe
    snippet: str  # the same list as an HTML fragment
    iframe_code: str  # what to paste into a web page (HTML: escape it to show it)


def sharing(programme: Programme) -> Sharing:
    kwargs = {"programme_slug": programme.slug}
    embed = settings.SITE_URL + reverse("public:programme_embed", kwargs=kwargs)
    return Sharing(
        feed=feed_addresses(programme),
        embed=embed,
        snippet=settings.SITE_URL + reverse("public:programme_embed_snippet", kwargs=kwargs),
        iframe_code=iframe_code(programme, embed),
    )


def iframe_code(programme: Programme, embed: str) -> str:
    """The iframe, titled for screen readers, and a link to the programme page after it for
    anyone whose browser or website does not show the frame."""
    return format_html(
        '<iframe src="{}" title="{}" width="100%" height="{}" style="border:0"></iframe>\n<p><a href="{}">{}</a></p>',
        embed,
        _("%(title)s: sessions and booking") % {"title": programme.title},
        IFRAME_HEIGHT,
        settings.SITE_URL + programme.get_absolute_url(),
        _("%(title)s: see every session and book your place") % {"title": programme.title},
    )
