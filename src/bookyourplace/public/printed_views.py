"""The printed programme for anyone: its PDF and its poster, for published programmes only
(404 otherwise). Each is written once per change of the programme and served from the cache
after that (programmes/printed.py), so downloading it again and again costs little."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import cache_control

from bookyourplace.programmes import printed
from bookyourplace.public.views import _allow, _published_programme

# A browser or proxy may keep a download this long: a change shows within five minutes.
DOWNLOAD_MAX_AGE = 300


@_allow("GET", "HEAD")
@cache_control(public=True, max_age=DOWNLOAD_MAX_AGE)
def programme_pdf(request, programme_slug, kind):
    """The programme's PDF (``kind`` "programme") or its poster ("poster")."""
    pdf = printed.printed_file(kind, _published_programme(programme_slug), site_url=settings.SITE_URL)
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, pdf.filename)
    return response
