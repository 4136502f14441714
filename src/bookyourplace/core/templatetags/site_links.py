"""Links that leave the site in an email: the full address, from SITE_URL."""

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.simple_tag
def absolute_url(view_name: str, *args) -> str:
    """``{% absolute_url 'public:organiser_privacy' organiser.slug %}``: the page's whole address."""
    return settings.SITE_URL + reverse(view_name, args=args)
