"""The language switch in the header of the public pages (core/languages.py)."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import translation

from bookyourplace.core.languages import NAMES, is_english_only, offered_languages

register = template.Library()


@register.inclusion_tag("core/_language_navigation.html", takes_context=True)
def language_navigation(context):
    """English and Cymraeg, the current one marked, the other a link back to this page in it.
    Only the address's path goes in the link (never the query string: the page may be one of
    the cached ones, the same for every visitor). None on the English-only parts of the site,
    nor for an organisation whose pages are in English only."""
    request = context.get("request")
    if request is None or is_english_only(request.path_info):
        return {"items": []}
    languages = offered_languages(context.get("organiser"))
    current = translation.get_language()
    if current not in languages:
        # Welsh chosen elsewhere, on a page of an organisation in English only: still a way back.
        languages = [*languages, current]
    if len(languages) < 2:
        return {"items": []}
    items = [
        {
            "code": code,
            "name": NAMES.get(code, code),
            "lang": code.split("-")[0],
            "current": code == current,
            "href": reverse("choose_language", args=[code]) + "?" + urlencode({"next": request.path}),
        }
        for code in languages
    ]
    return {"items": items}


@register.simple_tag
def html_lang() -> str:
    """The current language as a document states it (PDF /Lang, an email's lang): en-GB, cy."""
    language, _, region = translation.get_language().partition("-")
    return f"{language}-{region.upper()}" if region else language
