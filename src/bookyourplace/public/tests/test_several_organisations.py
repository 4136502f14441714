"""Several organisations on one site: the home page lists each one's published programmes
under its name, and nothing public ever shows a programme that is not published (a draft, an
archived one), whichever organisation it belongs to."""

import pytest
from django.urls import reverse

from bookyourplace.core.testing import text_of
from bookyourplace.programmes.models import Organiser, Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(make_session):
    """A second organisation with a published programme, a draft and an archived one, each with a session."""
    organiser = Organiser.objects.create(
        name="Warwickshire Safeguarding Partnership",
        slug="warwickshire",
        contact_email="safeguarding@warwickshire.example",
        brand_colour="#5a2d82",
    )
    programmes = {}
    for status, title, slug in (
        (Programme.Status.PUBLISHED, "Warwickshire Safeguarding Week", "warwickshire-week"),
        (Programme.Status.DRAFT, "Secret Draft Conference", "secret-draft-conference"),
        (Programme.Status.ARCHIVED, "Old Archived Festival", "old-archived-festival"),
    ):
        programme = Programme.objects.create(organiser=organiser, title=title, slug=slug, status=status)
        session = make_session(programme=programme, title=f"{title} session")
        programmes[status] = (programme, session)
    return organiser, programmes


def _public_urls(programme, session) -> dict[str, str]:
    slug = {"programme_slug": programme.slug}
    both = {**slug, "session_id": session.pk}
    return {
        "programme page": reverse("public:programme", kwargs=slug),
        "session page": reverse("public:session", kwargs=both),
        "book page": reverse("public:book", kwargs=both),
        "calendar feed": reverse("public:programme_calendar", kwargs=slug),
        "session calendar file": reverse("public:session_calendar", kwargs=both),
        "embed": reverse("public:programme_embed", kwargs=slug),
        "embed snippet": reverse("public:programme_embed_snippet", kwargs=slug),
        "printed programme": reverse("public:programme_pdf", kwargs=slug),
        "poster": reverse("public:programme_poster", kwargs=slug),
        "API programme": f"/api/programmes/{programme.slug}",
        "API session": f"/api/sessions/{session.pk}",
    }


def test_home_page_lists_each_organisations_published_programmes_under_its_name(client, programme, second):
    page = text_of(client.get(reverse("public:home")))

    assert "Coventry Prevent Partnership" in page
    assert "Warwickshire Safeguarding Partnership" in page
    # Each organisation's heading comes before its own programmes.
    assert page.index("Coventry Prevent Partnership") < page.index("Coventry Prevent Week")
    assert page.index("Warwickshire Safeguarding Partnership") < page.index("Warwickshire Safeguarding Week")
    assert "Secret Draft Conference" not in page
    assert "Old Archived Festival" not in page


@pytest.mark.parametrize("status", [Programme.Status.DRAFT, Programme.Status.ARCHIVED])
def test_a_programme_not_published_is_on_no_public_page(client, programme, session, second, status):
    _organiser, programmes = second
    hidden, hidden_session = programmes[status]

    for what, url in _public_urls(hidden, hidden_session).items():
        response = client.get(url)
        assert response.status_code == 404, f"{what}: {url}"
        assert hidden.title not in response.content.decode(errors="replace"), what
    listed = client.get("/api/programmes").content.decode()
    assert hidden.slug not in listed
    assert hidden.title not in text_of(client.get(reverse("public:home")))
    if status == Programme.Status.DRAFT:  # an archived one held people's details: the notice names its retention
        privacy = client.get(reverse("public:organiser_privacy", kwargs={"organiser_slug": "warwickshire"}))
        assert hidden.title not in text_of(privacy)


def test_the_published_programmes_of_both_organisations_are_on_every_public_page(client, programme, session, second):
    _organiser, programmes = second
    theirs, their_session = programmes[Programme.Status.PUBLISHED]

    for owner, (shown, shown_session) in (("ours", (programme, session)), ("theirs", (theirs, their_session))):
        for what, url in _public_urls(shown, shown_session).items():
            assert client.get(url).status_code == 200, f"{owner} {what}: {url}"
    listed = client.get("/api/programmes").content.decode()
    assert programme.slug in listed
    assert theirs.slug in listed


def test_each_programme_page_wears_its_own_organisations_colour(client, programme, second):
    _organiser, programmes = second
    theirs, _session = programmes[Programme.Status.PUBLISHED]

    page = client.get(reverse("public:programme", kwargs={"programme_slug": theirs.slug})).content.decode()
    brand = client.get(reverse("public:brand_css", kwargs={"organiser_slug": "warwickshire"})).content.decode()

    assert reverse("public:brand_css", kwargs={"organiser_slug": "warwickshire"}) in page
    assert "/brand/coventry.css" not in page
    assert "#5a2d82" in brand
