"""Helpers the tests of every app share."""

import re
from html import unescape


def text_of(response) -> str:
    """The page as a person reads it: tags, scripts and styles removed, white space folded."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def booking_form_data(**overrides) -> dict[str, str]:
    """What someone posts from the booking form (Sam Patel, a nurse, who consents), with `overrides`."""
    data = {
        "first_name": "Sam",
        "last_name": "Patel",
        "email": "sam.patel@nhs.net",
        "organisation": "University Hospitals Coventry",
        "sector": "health",
        "job_title": "Safeguarding nurse",
        "access_needs": "",
        "consent": "yes",
    }
    data.update(overrides)
    return data
