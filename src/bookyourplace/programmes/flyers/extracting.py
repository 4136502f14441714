"""A flyer's content, whatever its kind, as lines of text: pasted text, HTML, Word (DOCX) or a
PDF with text in it. Each line keeps the little the reader needs from the layout (a heading,
the start of a list item or a table row, the table column it sits in) and its simple inline
formatting (bold, italic, superscript) for descriptions. A file that cannot be opened raises
FlyerUnreadable with a message for the organiser.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser

from bookyourplace.programmes.errors import FlyerUnreadable
from bookyourplace.programmes.flyers.details import column_kind

# A flyer is a few pages; these keep a hostile file from taking the server's memory or time.
MAX_PDF_PAGES = 60
MAX_DOCX_XML_BYTES = 30 * 1024 * 1024

UNREADABLE_WORD = (
    "This Word file could not be opened: it may be damaged. Open it in Word and save it again as a "
    ".docx file, or paste the text instead."
)
UNREADABLE_PDF = (
    "This PDF could not be opened: it may be damaged. Upload the Word file it was made from, or paste the text instead."
)
LOCKED_PDF = (
    "This PDF is protected with a password, so it cannot be read. Paste the text instead, or upload the Word file."
)
SCANNED_PDF = "This PDF has no text in it: it may be a scan. Paste the text instead, or upload the Word file."
OLD_WORD = "This is an older Word file (.doc). Open it in Word and save it as a .docx file, or paste the text instead."
NOT_A_FLYER = (
    "This file is not one that can be read: upload a Word (.docx), PDF or web page (.html) file, or paste the text."
)

# A web page or a fragment of one; the seed's rows (tab-separated, with <b> and <p>) are text.
_SNIFF_HTML = re.compile(r"<(?:!doctype\s+html|html|body|table|div|ul|ol|h[1-6])\b", re.IGNORECASE)
_SNIFF_HTML_NO_TABS = re.compile(r"<(?:p|br|li|tr|td|span)\b", re.IGNORECASE)
_INLINE_MARKUP = re.compile(r"</?(?:b|strong|i|em|sup|sub|p|br|a|span|u|font)\b[^>]*>|&(?:#?\w+);", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff\xad]")
_SPACES = re.compile(r"[ \t\xa0\u2000-\u200a\u202f\u205f\u3000]+")
_BULLET = re.compile(r"^(?:[•●▪◦·‣∙*]|-(?=\s))\s*")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_INLINE_TAGS = {"b": "b", "strong": "b", "i": "i", "em": "i", "sup": "sup", "sub": "sub"}


@dataclass
class Line:
    """One line of the flyer as read: ``number`` is its place in ``Source.lines`` (1-based);
    the cells of one pasted table row share a number."""

    number: int
    text: str  # plain, whitespace tidied
    html: str = ""  # the same with <b>, <i>, <sup>, <sub> only (escaped otherwise)
    heading: bool = False  # a heading, or a paragraph all in bold
    starts_block: bool = False  # the first line of a list item, or of a row of a table with headings
    starts_cell: bool = False  # the first line of a table cell
    column: str = ""  # what the cell's column holds, from the table's headings ("title", "time"...)
    header: bool = False  # a table's heading row: not part of any session
    list_item: int = 0  # which list item of a web page it is in (0: none)
    table: int = 0  # which table (0: none), its row and column, to find headings
    row: int = 0
    col: int = 0
    blank: bool = False  # an empty line of pasted text: the end of a paragraph
    wraps: bool = False  # text cut into lines by width (pasted text, PDF): joins the next line

    def __post_init__(self) -> None:
        if not self.html:
            self.html = html.escape(self.text, quote=False)


@dataclass
class Source:
    kind: str  # "text", "html", "docx", "pdf"
    lines: list[str]
    items: list[Line]


def kind_of(content: bytes | str, *, file_name: str = "", content_type: str = "") -> str:
    """'docx', 'pdf' or 'html' from the content first, then the name and type; else
    'html-or-text', for the text itself to tell."""
    name, content_type = file_name.lower(), content_type.lower()
    if isinstance(content, bytes):
        if content.startswith(b"PK\x03\x04"):
            return "docx"
        if b"%PDF-" in content[:1024]:
            return "pdf"
        if name.endswith((".docx", ".docm")) or "wordprocessingml" in content_type:
            return "docx"
        if name.endswith(".pdf") or "pdf" in content_type:
            return "pdf"
    if name.endswith((".html", ".htm")) or "html" in content_type:
        return "html"
    return "html-or-text"


def extract(content: bytes | str, *, file_name: str = "", content_type: str = "") -> Source:
    kind = kind_of(content, file_name=file_name, content_type=content_type)
    if kind == "docx":
        return _docx(content if isinstance(content, bytes) else content.encode())
    if kind == "pdf":
        return _pdf(content if isinstance(content, bytes) else content.encode())
    text = content if isinstance(content, str) else decode(content)
    head = text[:20000]
    if kind == "html" or _SNIFF_HTML.search(head) or ("\t" not in head and _SNIFF_HTML_NO_TABS.search(head)):
        return html_lines(text)
    return text_lines(text)


def decode(content: bytes) -> str:
    """Text from bytes of any likely encoding; a binary of another kind is refused."""
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FlyerUnreadable(OLD_WORD)
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16", errors="replace")
    sample = content[:4096]
    # Text has few control characters; a binary (a picture, a zip) has many, and NUL bytes.
    if content.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"{\\rtf", b"\x1f\x8b", b"Rar!", b"7z")) or (
        sum(byte < 9 or 13 < byte < 32 for byte in sample) > len(sample) // 20
    ):
        raise FlyerUnreadable(NOT_A_FLYER)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def tidy(text: str) -> str:
    """Plain text on one line: no control characters, &nbsp; and odd spaces as spaces."""
    return _SPACES.sub(" ", _CONTROL.sub("", text)).strip()


# --- Pasted text ---------------------------------------------------------------------------------


def text_lines(text: str) -> Source:
    """Pasted text: a line each; cells of a pasted table (tab-separated) stay on their line.
    Inline markup in a line (the seed's <b>, <sup>, <p>) is read as HTML."""
    lines: list[str] = []
    items: list[Line] = []
    table, tables, row = 0, 0, 0
    for number, raw in enumerate(re.split(r"\r\n|\r|\n|\u2028|\u2029", text), start=1):
        cells = [(col, _cell_lines(number, cell)) for col, cell in enumerate(_CONTROL.sub("", raw).split("\t"))]
        cells = [(col, cell) for col, cell in cells if cell]
        lines.append(" | ".join(" ".join(item.text for item in cell) for _col, cell in cells))
        if len(cells) < 2:
            table = 0
            items.extend(cells[0][1] if cells else [Line(number, "", blank=True)])
            continue
        if not table:
            tables += 1
            table, row = tables, 0
        row += 1
        for col, cell in cells:
            for index, item in enumerate(cell):
                item.table, item.row, item.col, item.starts_cell = table, row, col, index == 0
            items.extend(cell)
    _apply_table_headings(items)
    return Source("text", lines, items)


def _cell_lines(number: int, raw: str) -> list[Line]:
    if _INLINE_MARKUP.search(raw):
        parsed = _html_items(raw)
        if parsed is not None:
            for item in parsed:
                item.number = number
            return parsed
    text = tidy(raw)
    if not text:
        return []
    heading = bool(_MARKDOWN_HEADING.match(text))
    text = _BULLET.sub("", _MARKDOWN_HEADING.sub("", text))
    return [Line(number, text, heading=heading, wraps=True)] if text else []


# --- HTML ----------------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th",
    "table", "thead", "tbody", "tfoot", "section", "article", "header", "footer", "main", "nav", "aside",
    "blockquote", "pre", "hr", "figure", "figcaption", "address", "caption", "form", "fieldset", "center",
}  # fmt: skip
_SKIPPED_TAGS = {"script", "style", "head", "title", "noscript", "template", "svg", "math", "object", "iframe"}


class _HtmlFlyer(HTMLParser):
    """Lines from HTML: a line per block (paragraph, heading, list item, cell, <br>)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[Line] = []
        self.text: list[str] = []
        self.html: list[str] = []
        self.bold_chars = 0
        self.open_inline: dict[str, int] = {}
        self.skipping = 0
        self.heading = 0
        self.pending_block = False
        self.pending_cell = False
        self.tables: list[list[int]] = []  # [table, row, column, next column] of each open table
        self.table_count = 0
        self.lists: list[list[int]] = []  # each open list's open items
        self.list_item_count = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "body":  # the end of a <head> left open
            self.skipping = 0
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
            return
        if tag == "br":
            self.flush()
            return
        if tag in _BLOCK_TAGS:
            self.flush()
            self._open_block(tag, dict(attrs))
        elif tag in _INLINE_TAGS:
            name = _INLINE_TAGS[tag]
            self.open_inline[name] = self.open_inline.get(name, 0) + 1
            self.html.append(f"<{name}>")

    def _open_block(self, tag: str, attrs: dict) -> None:
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.heading += 1
        elif tag == "li":
            self.pending_block = True
            self.list_item_count += 1
            if not self.lists:
                self.lists.append([])
            self.lists[-1].append(self.list_item_count)
        elif tag in {"ul", "ol"}:
            self.lists.append([])
        elif tag == "table":
            self.table_count += 1
            self.tables.append([self.table_count, 0, 0, 0])
        elif tag == "tr" and self.tables:
            self.tables[-1][1] += 1
            self.tables[-1][3] = 0
        elif tag in {"td", "th"} and self.tables:
            span = attrs.get("colspan") or "1"
            table = self.tables[-1]
            table[2] = table[3]
            table[3] += int(span) if span.isdigit() and 0 < int(span) < 50 else 1
            self.pending_cell = True

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag in _BLOCK_TAGS:
            self.flush()
            if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                self.heading = max(0, self.heading - 1)
            elif tag == "table" and self.tables:
                self.tables.pop()
            elif tag == "li" and self.lists and self.lists[-1]:
                self.lists[-1].pop()
            elif tag in {"ul", "ol"} and self.lists:
                self.lists.pop()  # with any item left open in it
        elif tag in _INLINE_TAGS:
            name = _INLINE_TAGS[tag]
            if self.open_inline.get(name):
                self.open_inline[name] -= 1
                self.html.append(f"</{name}>")

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        self.text.append(data)
        self.html.append(html.escape(data, quote=False))
        if self.open_inline.get("b"):
            self.bold_chars += len(data.strip())

    def flush(self) -> None:
        text = tidy("".join(self.text))
        fragment = "".join(self.html)
        bold = self.bold_chars
        self.text, self.html, self.bold_chars = [], [], 0
        # Tags still open go on into the next line, as the browser shows them.
        reopen = "".join(f"<{name}>" for name, count in self.open_inline.items() if count)
        if not text:
            self.html = [reopen] if reopen else []
            return
        closing = "".join(f"</{name}>" for name, count in self.open_inline.items() if count)
        self.html = [reopen] if reopen else []
        table = self.tables[-1] if self.tables else None
        self.items.append(
            Line(
                len(self.items) + 1,
                text,
                html=fragment + closing,
                heading=bool(self.heading) or bold >= len(text.replace(" ", "")) > 0,
                starts_block=self.pending_block,
                starts_cell=self.pending_cell,
                list_item=next((items[-1] for items in reversed(self.lists) if items), 0),
                table=table[0] if table else 0,
                row=table[1] if table else 0,
                col=table[2] if table else 0,
            )
        )
        self.pending_block = self.pending_cell = False


def html_lines(text: str) -> Source:
    items = _html_items(text)
    if items is None:  # the standard parser gives up on some broken markup: read it as text
        return text_lines(re.sub(r"<[^>]*>", " ", text))
    _apply_table_headings(items)
    return Source("html", [item.text for item in items], items)


def _html_items(text: str) -> list[Line] | None:
    parser = _HtmlFlyer()
    try:
        parser.feed(text)
        parser.close()
        parser.flush()
    except Exception:
        return None
    return parser.items


# --- Word ----------------------------------------------------------------------------------------


def _docx(content: bytes) -> Source:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                if "content.xml" in names:
                    raise FlyerUnreadable(
                        "This is an OpenDocument file. Save it as a Word (.docx) file, or paste the text instead."
                    )
                raise FlyerUnreadable(UNREADABLE_WORD)
            if sum(info.file_size for info in archive.infolist() if info.filename.endswith(".xml")) > (
                MAX_DOCX_XML_BYTES
            ):
                raise FlyerUnreadable("This Word file is too big to read. Paste the text of the programme instead.")
        import docx  # imported when needed: most flyers are not Word files

        document = docx.Document(io.BytesIO(content))
        items: list[Line] = []
        _docx_blocks(document, items, table=None)
    except FlyerUnreadable:
        raise
    except Exception:  # a damaged file fails in many ways, all meaning the same to the organiser
        raise FlyerUnreadable(UNREADABLE_WORD) from None
    _apply_table_headings(items)
    return Source("docx", [item.text for item in items], items)


def _docx_blocks(container, items: list[Line], *, table: tuple[int, int, int] | None) -> None:
    """Paragraphs and tables in the order the document has them."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            for text, fragment, bold in _docx_paragraph(block):
                items.append(
                    Line(
                        len(items) + 1,
                        text,
                        html=fragment,
                        heading=bold or _is_heading_style(block),
                        table=table[0] if table else 0,
                        row=table[1] if table else 0,
                        col=table[2] if table else 0,
                    )
                )
        elif isinstance(block, Table) and table is None:
            _docx_table(block, items)
        elif isinstance(block, Table):  # a table inside a cell: its text belongs to the cell
            for row in block.rows:
                for cell in _unmerged(row):
                    _docx_blocks(cell, items, table=table)


def _docx_table(table, items: list[Line]) -> None:
    number = max((item.table for item in items), default=0) + 1
    for row_number, row in enumerate(table.rows, start=1):
        for col, cell in enumerate(_unmerged(row)):
            before = len(items)
            _docx_blocks(cell, items, table=(number, row_number, col))
            if len(items) > before:
                items[before].starts_cell = True


def _unmerged(row) -> list:
    """The row's cells, a merged cell once (python-docx gives it once per column it spans)."""
    cells, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def _is_heading_style(paragraph) -> bool:
    try:
        name = (paragraph.style.name or "").lower()
    except Exception:  # a style the file names but does not define
        return False
    return name.startswith(("heading", "title"))


def _docx_paragraph(paragraph) -> list[tuple[str, str, bool]]:
    """(text, html, all bold) for each line of a paragraph (a line break starts a new line)."""
    lines: list[tuple[str, str, bool]] = []
    text: list[str] = []
    fragment: list[str] = []
    bold_chars = [0]

    def end_line() -> None:
        plain = tidy("".join(text))
        if plain:
            lines.append((plain, "".join(fragment).strip(), bold_chars[0] >= len(plain.replace(" ", ""))))
        text.clear()
        fragment.clear()
        bold_chars[0] = 0

    for run in _runs(paragraph):
        pieces = run.text.split("\n")
        for index, piece in enumerate(pieces):
            if index:
                end_line()
            piece = piece.replace("\t", " ")
            if not piece:
                continue
            text.append(piece)
            escaped = html.escape(piece, quote=False)
            font = run.font
            for on, tag in ((run.bold, "b"), (run.italic, "i"), (font.superscript, "sup"), (font.subscript, "sub")):
                if on:
                    escaped = f"<{tag}>{escaped}</{tag}>"
            fragment.append(escaped)
            if run.bold:
                bold_chars[0] += len(piece.strip().replace(" ", ""))
    end_line()
    return lines


def _runs(paragraph):
    from docx.text.hyperlink import Hyperlink

    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            yield from item.runs
        else:
            yield item


# --- PDF -----------------------------------------------------------------------------------------


def _pdf(content: bytes) -> Source:
    import pypdf  # imported when needed

    try:
        reader = pypdf.PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise FlyerUnreadable(LOCKED_PDF)
        pages = [page.extract_text() or "" for page in list(reader.pages)[:MAX_PDF_PAGES]]
    except FlyerUnreadable:
        raise
    except Exception as error:  # a damaged file fails in many ways, all meaning the same
        if "crypt" in str(error).lower() or "password" in str(error).lower():
            raise FlyerUnreadable(LOCKED_PDF) from None
        raise FlyerUnreadable(UNREADABLE_PDF) from None
    if not any(page.strip() for page in pages):
        raise FlyerUnreadable(SCANNED_PDF)
    source = text_lines("\n\n".join(pages))
    source.kind = "pdf"
    return source


# --- Tables --------------------------------------------------------------------------------------


def _apply_table_headings(items: list[Line]) -> None:
    """A table whose first row names its columns ("Day | Session | Time | Where"): mark that
    row as headings, each later row as the start of a session, and each cell with what its
    column holds. A table without such a row is read line by line, like the rest."""
    by_table: dict[int, list[Line]] = {}
    for item in items:
        if item.table:
            by_table.setdefault(item.table, []).append(item)
    for cells in by_table.values():
        heading_row = cells[0].row
        kinds = {item.col: column_kind(item.text) for item in cells if item.row == heading_row and item.starts_cell}
        named = {kind for kind in kinds.values() if kind}
        has_headings = len(named) >= 2 and bool(named & {"date", "title", "time"}) and all(kinds.values())
        previous_row = None
        for item in cells:
            starts_row, previous_row = item.row != previous_row, item.row
            if not has_headings:
                continue
            if item.row == heading_row:
                item.header = True
                continue
            item.column = kinds.get(item.col, "")
            item.starts_block = starts_row
