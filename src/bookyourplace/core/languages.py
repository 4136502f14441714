"""English and Welsh: which language a request is answered in, and the switch between them.

The public site and the emails to attendees are in both languages (the Welsh catalogue is
src/bookyourplace/locale/cy); the back office, the admin and the API stay in English. A
visitor's language is the one they chose with the switch (a cookie), else their browser's
(Accept-Language), else English. The switch is a plain link (no JavaScript, no form, no
CSRF token), so that it can sit on the cached public pages: it sets the cookie and sends the
visitor back to the page they were on.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

# Parts of the site only ever in English (their own words are not in the Welsh catalogue).
ENGLISH_ONLY_PREFIXES = ("/backoffice/", "/admin/", "/api/")
ENGLISH = "en-gb"
WELSH = "cy"
# Each language's name in itself, as the switch shows it.
NAMES = {ENGLISH: "English", WELSH: "Cymraeg"}


def offered_languages(organiser=None) -> list[str]:
    """The languages a page offers: both, unless the page is an organisation's and it offers
    English only (``Organiser.offers_welsh``)."""
    if organiser is not None and not getattr(organiser, "offers_welsh", True):
        return [ENGLISH]
    return [ENGLISH, WELSH]


def is_english_only(path: str) -> bool:
    return path.startswith(ENGLISH_ONLY_PREFIXES)


def language_for(request) -> str:
    """The language this request is answered in (the page cache keys its pages by it)."""
    if is_english_only(request.path_info):
        return settings.LANGUAGE_CODE
    return translation.get_language_from_request(request)


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, with the back office, admin and API kept in English."""

    def process_request(self, request):
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if not is_english_only(request.path_info):
            # The switch's cookie chooses the language: a cache (the browser's for a PDF
            # download, a proxy's) must not give one language's answer for the other.
            patch_vary_headers(response, ("Cookie",))
        return response


def choose_language(request, language: str):
    """/language/cy/?next=/programmes/x/: remember the choice (a year) and go back to the page."""
    codes = dict(settings.LANGUAGES)
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=False):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in codes:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 60 * 60,
            path="/",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    patch_cache_control(response, no_store=True)
    return response
