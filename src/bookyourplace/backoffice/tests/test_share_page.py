"""The programme's "Share and embed" page: the calendar feed's addresses and the code a council
pastes into its website, each in a labelled box to copy, exactly as it must be pasted."""

import re
from html import unescape

from bookyourplace.core.testing import text_of
from bookyourplace.programmes.models import Programme


def share_url(programme) -> str:
    return f"/backoffice/programmes/{programme.pk}/share/"


def boxes(response) -> dict[str, str]:
    """Each read-only box's label and what it holds, as a person copying it gets it."""
    html = response.content.decode()
    labels = {target: unescape(text) for target, text in re.findall(r'<label[^>]*for="([^"]+)">([^<]+)</label>', html)}
    found = {}
    for attributes, content in re.findall(r"<textarea([^>]*)>(.*?)</textarea>", html, flags=re.S):
        assert " readonly" in attributes
        field_id = re.search(r'id="([^"]+)"', attributes).group(1)
        found[labels[field_id]] = unescape(content)
    return found


def test_the_programme_page_leads_to_the_share_page(client, admin, programme):
    page = text_of(client.get(f"/backoffice/programmes/{programme.pk}/"))

    assert "Calendar feed and embed" in page
    assert f'href="{share_url(programme)}"' in client.get(f"/backoffice/programmes/{programme.pk}/").content.decode()


def test_the_share_page_gives_the_feed_the_iframe_code_and_the_snippet_to_copy(client, viewer, programme):
    programme.title = 'Coventry "Prevent" Week & more'
    programme.save()

    found = boxes(client.get(share_url(programme)))

    assert found == {
        "Web address of the calendar feed": "http://testserver/programmes/coventry-prevent-week/calendar.ics",
        "The same feed as a webcal link": "webcal://testserver/programmes/coventry-prevent-week/calendar.ics",
        "Code to paste into your web page": (
            '<iframe src="http://testserver/programmes/coventry-prevent-week/embed/"'
            ' title="Coventry &quot;Prevent&quot; Week &amp; more: sessions and booking"'
            ' width="100%" height="800" style="border:0"></iframe>\n'
            '<p><a href="http://testserver/programmes/coventry-prevent-week/">'
            "Coventry &quot;Prevent&quot; Week &amp; more: see every session and book your place</a></p>"
        ),
        "Web address of the HTML snippet": "http://testserver/programmes/coventry-prevent-week/embed.html",
    }


def test_a_draft_programme_says_the_feed_and_embed_wait_for_publishing(client, admin, programme):
    programme.status = Programme.Status.DRAFT
    programme.save()

    page = text_of(client.get(share_url(programme)))

    assert "This programme is not published: the calendar feed and the embed show nothing until you publish it" in page
    assert "See what the embed looks like" not in page
