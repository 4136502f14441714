"""The programme on a council's own website: the iframe page any site may frame (and no other
page), and the HTML snippet any site may fetch. Both show the live programme, no script."""

import re
from datetime import timedelta

import pytest

from bookyourplace.bookings import session_changes
from bookyourplace.bookings.testing import book
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import Session
from bookyourplace.public.tests.pages import SECRET_LINK


def embed_url(programme) -> str:
    return f"/programmes/{programme.slug}/embed/"


def snippet_url(programme) -> str:
    return f"/programmes/{programme.slug}/embed.html"


def csp_directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


# --- Framing: the embed by anyone, nothing else by anyone --------------------------------------


def test_any_site_may_frame_the_embed_even_when_it_comes_from_the_cache(client, programme, session):
    for _fetch in range(2):  # rendered, then from the cache with the headers it was kept with
        response = client.get(embed_url(programme))

        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        assert csp_directives(response)["frame-ancestors"] == "*"


@pytest.mark.parametrize(
    "path",
    [
        "/programmes/coventry-prevent-week/",
        "/programmes/coventry-prevent-week/sessions/{session}/",
        "/programmes/coventry-prevent-week/sessions/{session}/book/",
        "/programmes/coventry-prevent-week/embed.html",
        "/",
    ],
)
def test_every_other_page_still_refuses_to_be_framed(client, programme, session, path):
    for _fetch in range(2):
        response = client.get(path.format(session=session.pk))

        assert response.status_code == 200
        assert response["X-Frame-Options"] == "DENY"
        assert csp_directives(response)["frame-ancestors"] == "'none'"


def test_the_embed_runs_no_script_at_all(client, programme, session):
    response = client.get(embed_url(programme))

    assert "<script" not in response.content.decode().lower()
    assert csp_directives(response)["script-src"] == "'none'"


# --- What it shows -----------------------------------------------------------------------------


@pytest.fixture
def week(programme, make_session):
    """Sessions in every state a visitor can meet, over two days."""
    open_session = make_session(title="Online Harms", capacity=50)
    monday = open_session.starts_at
    nearly_full = make_session(title="Understanding Prevent", starts_at=monday + timedelta(hours=4), capacity=3)
    book(nearly_full, "a@example.org")
    full = make_session(title="Extremism and the Law", starts_at=monday + timedelta(days=1), capacity=1)
    book(full, "b@example.org")
    make_session(title="Called Off", starts_at=monday + timedelta(days=1, hours=3), status=Session.Status.CANCELLED)
    return {"open": open_session, "nearly_full": nearly_full, "full": full}


def test_the_embed_shows_the_sessions_by_day_with_places_and_a_link_to_book_each(client, programme, week):
    response = client.get(embed_url(programme))

    page = text_of(response)
    html = response.content.decode()
    assert page.startswith("Coventry Prevent Week: sessions and booking Coventry Prevent Week ")
    assert re.search(r"Online Harms Time: 10:00 to 12:00 Where: Online: Microsoft Teams Book your place", page)
    assert re.search(r"Understanding Prevent .*? 2 places left Book your place", page)
    assert re.search(r"Extremism and the Law .*? Fully booked Join the waiting list", page)
    assert re.search(r"Called Off .*? Cancelled (?!Book|Join)", page)
    assert html.count("<h2") == 2  # two days
    book_page = f"http://testserver/programmes/{programme.slug}/sessions/{week['open'].pk}/book/"
    assert f'href="{book_page}" target="_blank" rel="noopener"' in html
    assert page.count("(opens in new tab)") == html.count('target="_blank"') == 4


def test_each_book_your_place_link_names_its_session(client, programme, week, make_session):
    # The same title twice: the day and time tell the links apart.
    make_session(title="Online Harms", starts_at=week["open"].starts_at + timedelta(days=2))

    html = client.get(embed_url(programme)).content.decode()

    names = [
        " ".join(re.sub(r"<[^>]+>", " ", link).split())
        for link in re.findall(r'<a class="byp-embed__button"[^>]*>(.*?)</a>', html, flags=re.S)
    ]
    assert len(names) == 4
    assert len(set(names)) == 4
    assert names[0].startswith("Book your place : Online Harms, ")


def test_the_embed_follows_a_booking_and_a_change_at_once(client, programme, week):
    assert "2 places left" in text_of(client.get(embed_url(programme)))

    book(week["nearly_full"], "c@example.org")
    session_changes.change_session(session_id=week["open"].pk, actor=Actor(label="Organiser"), title="Online Safety")

    page = text_of(client.get(embed_url(programme)))
    assert "1 place left" in page
    assert "Online Safety" in page and "Online Harms" not in page


def test_a_page_of_the_embed_that_has_not_changed_costs_one_query(client, programme, week, django_assert_num_queries):
    first = client.get(embed_url(programme)).content
    client.get(snippet_url(programme))

    with django_assert_num_queries(1):
        assert client.get(embed_url(programme)).content == first
    with django_assert_num_queries(1):
        client.get(snippet_url(programme))


def test_the_embed_uses_the_organisers_colour_and_no_site_header(client, programme, session):
    html = client.get(embed_url(programme)).content.decode()

    assert '<link rel="stylesheet" href="/brand/coventry.css">' in html
    assert "<header" not in html and "<footer" not in html and "Skip to main content" not in html


def test_the_embed_never_shows_the_joining_link(client, programme, session):
    book(session, "alex.smith@coventry.gov.uk")

    assert SECRET_LINK not in client.get(embed_url(programme)).content.decode()
    assert SECRET_LINK not in client.get(snippet_url(programme)).content.decode()


# --- The snippet ---------------------------------------------------------------------------------


def test_the_snippet_is_a_fragment_any_site_may_fetch(client, programme, week):
    response = client.get(snippet_url(programme), headers={"Origin": "https://www.coventry.gov.uk"})

    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="byp-embed"')
    assert "<html" not in html and "<body" not in html and "<script" not in html
    # Under the council's own page heading; its links stay in the same tab.
    assert '<h2 class="byp-embed__title">Coventry Prevent Week</h2>' in html
    assert 'target="_blank"' not in html
    assert f'href="http://testserver/programmes/{programme.slug}/sessions/{week["open"].pk}/book/"' in html
    assert "2 places left" in text_of(response)


def test_the_snippet_from_the_cache_keeps_its_cors_header(client, programme, session):
    client.get(snippet_url(programme))

    assert client.get(snippet_url(programme))["Access-Control-Allow-Origin"] == "*"
