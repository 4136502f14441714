"""Helpers the tests of every app share."""

import re
from html import unescape


def text_of(response) -> str:
    """The page as a person reads it: tags, scripts and styles removed, white space folded."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
