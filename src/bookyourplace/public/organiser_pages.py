"""Each organiser's privacy notice and accessibility statement, and the site-wide pages at
/privacy/ and /accessibility/ that lead to them."""

from django.shortcuts import get_object_or_404, redirect, render

from bookyourplace.core.site import site_host
from bookyourplace.programmes import organiser_pages
from bookyourplace.programmes.models import Organiser
from bookyourplace.public.views import _allow


def _the_only_organiser() -> Organiser | None:
    organisers = list(Organiser.objects.all()[:2])
    return organisers[0] if len(organisers) == 1 else None


@_allow("GET", "HEAD")
def privacy_notice(request):
    """With one organiser, theirs is the site's notice; otherwise a page that says who is
    responsible and leads to each organiser's own notice."""
    organiser = _the_only_organiser()
    if organiser is not None:
        return redirect("public:organiser_privacy", organiser_slug=organiser.slug)
    return render(request, "public/privacy.html", {"organisers": Organiser.objects.all()})


@_allow("GET", "HEAD")
def accessibility_statement(request):
    organiser = _the_only_organiser()
    if organiser is not None:
        return redirect("public:organiser_accessibility", organiser_slug=organiser.slug)
    return render(request, "public/accessibility.html", {"organisers": Organiser.objects.all()})


@_allow("GET", "HEAD")
def organiser_privacy(request, organiser_slug):
    organiser = get_object_or_404(Organiser, slug=organiser_slug)
    context = {
        "organiser": organiser,
        "notice": organiser_pages.privacy_notice_for(organiser),
        "retention": organiser_pages.retention_periods(organiser),
    }
    return render(request, "public/organiser/privacy.html", context)


@_allow("GET", "HEAD")
def organiser_accessibility(request, organiser_slug):
    organiser = get_object_or_404(Organiser, slug=organiser_slug)
    context = {
        "organiser": organiser,
        "statement": organiser_pages.accessibility_statement_for(organiser),
        "site": site_host(),
    }
    return render(request, "public/organiser/accessibility.html", context)
