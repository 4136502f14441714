"""What a response says, as text, whatever it is: a page, JSON, CSV, an .ics file (unfolded),
an XLSX workbook (every cell) or a PDF (its text), with its headers (a file's name says
things too). For tests that look for what must not be there."""

import io

from openpyxl import load_workbook
from pypdf import PdfReader


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def text_of_response(response) -> str:
    content = body_of(response)
    content_type = response.get("Content-Type", "")
    headers = "\n".join(f"{key}: {value}" for key, value in response.items())
    if content.startswith(b"PK\x03\x04") or "spreadsheetml" in content_type:
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        cells = (
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
        text = "\n".join(cells)
    elif content.startswith(b"%PDF"):
        text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
        # A PDF's text comes out with its own line breaks: read it as one line of words.
        text = f"{text}\n{' '.join(text.split())}"
    else:
        text = content.decode("utf-8-sig", errors="replace")
        if "calendar" in content_type:
            text = text.replace("\r\n ", "").replace("\n ", "")
    return f"{headers}\n{text}"


def found_in(response, markers, *, except_for=()) -> list[str]:
    """Which of ``markers`` the response shows (ignoring case), leaving out any that are part
    of what the request itself sent (``except_for``: a page may repeat what was typed)."""
    text = text_of_response(response).lower()
    sent = [str(value).lower() for value in except_for]
    return [
        marker for marker in markers if marker.lower() in text and not any(marker.lower() in value for value in sent)
    ]
