"""What every public page has: the organiser's colour, the privacy notice and accessibility
statement, and a Content Security Policy."""

from django.urls import reverse

from bookyourplace.public.tests.pages import book_url

# --- Site-wide ------------------------------------------------------------------------------


def test_brand_stylesheet_sets_the_organisers_colour(client, organiser):
    organiser.brand_colour = "#5a1e5a"
    organiser.save()

    response = client.get(reverse("public:brand_css", args=[organiser.slug]))

    assert response["Content-Type"] == "text/css"
    assert "--byp-brand-colour:#5a1e5a" in response.content.decode()


def test_every_page_links_the_privacy_notice_and_accessibility_statement(client, programme, session):
    # A programme's pages link to its organiser's own (so does the home page of a site with one
    # organiser). Every public page, form and email: test_privacy_links.py.
    ours = "/organisers/coventry/privacy/", "/organisers/coventry/accessibility/"
    for url, (privacy, accessibility) in [
        ("/", ours),
        (programme.get_absolute_url(), ours),
        (session.get_absolute_url(), ours),
        (book_url(session), ours),
        ("/organisers/coventry/privacy/", ours),
    ]:
        html = client.get(url).content.decode()
        assert f'href="{privacy}"' in html and f'href="{accessibility}"' in html, url


def test_pages_send_a_content_security_policy(client, programme):
    response = client.get(programme.get_absolute_url())

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert response["X-Frame-Options"] == "DENY"
