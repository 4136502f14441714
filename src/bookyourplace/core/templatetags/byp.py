from django import template
from django.utils.safestring import mark_safe

from bookyourplace.core import formatting, inline_script

register = template.Library()


@register.simple_tag
def session_date(session):
    return formatting.session_date(session.starts_at, session.programme.tz)


@register.simple_tag
def time_range(session):
    return formatting.time_range(session.starts_at, session.ends_at, session.programme.tz)


@register.simple_tag
def local_date_and_time(moment, session):
    return formatting.date_and_time(moment, session.programme.tz)


@register.simple_tag
def places_left(session):
    """Places nobody holds, for a session annotated with ``places_taken``."""
    return max(session.capacity - session.places_taken, 0)


@register.simple_tag
def js_enabled_script():
    """The inline script, exactly as hashed for the Content-Security-Policy."""
    return mark_safe(f"<script>{inline_script.JS_ENABLED}</script>")
