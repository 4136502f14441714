"""Print the programme: its PDF, its poster and its plain text for emails, for anyone who
may see the programme. A draft prints too, marked "Draft", so it can be checked before it
is published (programmes/printed.py writes all three)."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from bookyourplace.backoffice.access import programme_for, staff_required
from bookyourplace.programmes import printed


def _download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@staff_required
@require_safe
@never_cache
def programme_pdf(request, programme_id, kind):
    """The programme's PDF (``kind`` "programme") or its poster ("poster")."""
    programme = programme_for(request, programme_id)
    pdf = printed.printed_file(kind, programme, site_url=settings.SITE_URL)
    return _download(pdf.content, filename=pdf.filename, content_type="application/pdf")


@staff_required
@require_safe
def plain_text(request, programme_id):
    programme = programme_for(request, programme_id)
    text = printed.programme_plain_text(programme, site_url=settings.SITE_URL)
    return render(
        request,
        "backoffice/programme_plain_text.html",
        # Tall enough to read a session or two without scrolling the box; not the whole page.
        {"programme": programme, "text": text, "rows": min(max(text.count("\n") + 1, 10), 30)},
    )


@staff_required
@require_safe
@never_cache
def plain_text_file(request, programme_id):
    programme = programme_for(request, programme_id)
    return _download(
        printed.programme_plain_text(programme, site_url=settings.SITE_URL),
        filename=printed.filename(programme, "programme", "txt"),
        content_type="text/plain; charset=utf-8",
    )
