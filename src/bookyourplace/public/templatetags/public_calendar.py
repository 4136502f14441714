"""The programme's calendar feed addresses, for the public programme page."""

from django import template

from bookyourplace.programmes import calendar_feed

register = template.Library()


@register.simple_tag
def programme_feed_addresses(programme):
    """``{% programme_feed_addresses programme as feed %}``: ``feed.https`` and ``feed.webcal``."""
    return calendar_feed.feed_addresses(programme)
