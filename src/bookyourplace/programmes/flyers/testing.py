"""Flyer files for tests, made the way councils make them: a Word document (python-docx) and
a PDF printed from HTML (WeasyPrint). Used by the flyer reader's tests and any face's."""

from __future__ import annotations

import base64
import dataclasses
import io

from bookyourplace.programmes.flyers.draft import DraftSession

# Fields of DraftSession that say where it was read from, not what it is.
_WHERE_READ = {"flags", "line", "date_line", "time_line"}


def word_file(*blocks) -> bytes:
    """A .docx: each block a paragraph (str), a heading (("heading", text)), or a table (a list
    of rows, each a list of cells; a cell is a str, or a list of paragraphs, where a
    ("bold", text) paragraph is in bold)."""
    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, tuple):
            document.add_heading(block[1], level=1)
        elif isinstance(block, str):
            document.add_paragraph(block)
        else:
            table = document.add_table(rows=len(block), cols=len(block[0]))
            for row, cells in zip(table.rows, block, strict=True):
                for cell, content in zip(row.cells, cells, strict=True):
                    _fill_cell(cell, content)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _fill_cell(cell, content) -> None:
    paragraphs = [content] if isinstance(content, str) else content
    for index, paragraph in enumerate(paragraphs):
        target = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        bold = isinstance(paragraph, tuple)
        target.add_run(paragraph[1] if bold else paragraph).bold = bold or None


def pdf_file(html: str) -> bytes:
    """A PDF with real text, printed from ``html`` as a council's web page or Word would."""
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf()


def scanned_pdf() -> bytes:
    """A PDF of a picture of a flyer: no text in it at all."""
    square = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200">'
        '<rect width="400" height="200" fill="#1d4f91"/><circle cx="200" cy="100" r="60" fill="#fff"/></svg>'
    )
    encoded = base64.b64encode(square.encode()).decode()
    return pdf_file(f'<img alt="" src="data:image/svg+xml;base64,{encoded}">')


def as_read(session: DraftSession) -> dict:
    """What a session is (every field but where it was read from), to compare in one assert."""
    return {name: value for name, value in dataclasses.asdict(session).items() if name not in _WHERE_READ}


def expected(**fields) -> dict:
    """as_read of a session with these fields and the rest empty."""
    return as_read(DraftSession(**fields))
