"""Import the organisations of an area: read a file, preview what it would change, save.

Two layouts are read:
- the DfE "Get Information About Schools" (GIAS) extract, as downloaded: about 130 columns
  of which we use URN, EstablishmentName, TypeOfEstablishment (name), PhaseOfEducation
  (name), LA (name), Postcode, EstablishmentStatus (name) and, if there, SchoolWebsite (its
  domain becomes an email domain to match). Closed establishments are skipped.
- a plain list of other organisations: Name, Type, Postcode, Email domains (separated by
  spaces, commas or semicolons); only Name is needed.

Headers are matched whatever their case, spacing and punctuation; other columns are ignored.
A file is read as it streams in, one row at a time: an extract for all of England (50,000
rows) costs no more memory than the organisations it lists. GIAS writes Windows-1252
("St Thomas’s" in one byte): UTF-8, with or without its byte order mark, is tried first,
then Windows-1252, then Latin-1, which reads any byte. Cells are kept as text as they are;
what a spreadsheet would run as a formula is neutralised when exported (exports.py).

Rows are matched to those already imported by URN, or, without one, by name and postcode
written the same way; importing the same file again changes nothing.
"""

import codecs
import csv
import datetime as dt
import io
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import BinaryIO
from urllib.parse import urlsplit

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bookyourplace.bookings.fair_shares import SHARED_EMAIL_DOMAINS
from bookyourplace.core.errors import DomainError
from bookyourplace.programmes.models import Organiser
from bookyourplace.reports.coverage import mark_shared_names, matching_name
from bookyourplace.reports.models import (
    AreaOrganisation,
    Kind,
    OrganisationDomain,
    PendingOrganisationImport,
    Phase,
    Source,
)

MAX_BYTES = 100 * 1024 * 1024  # settings.BYP_COVERAGE_IMPORT_MAX_BYTES passes the configured one
MAX_ROWS = 100_000  # all of England's establishments, open and closed, are about 52,000
BATCH = 1000
READ_CHUNK = 64 * 1024
# Unsaved previews are removed after this long.
PENDING_FOR = dt.timedelta(days=1)


class CoverageImportError(DomainError):
    field = "file"


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class OrganisationRow:
    """One organisation as the file gives it, cleaned."""

    line: int
    name: str
    type: str
    kind: str
    phase: str
    local_authority: str = ""
    postcode: str = ""
    urn: str = ""
    domains: tuple[str, ...] = ()
    # A domain read from a school's website, not given as an email domain: left out when
    # several schools share it (a trust's or a council's website).
    from_website: bool = False

    @property
    def match_key(self) -> tuple[str, str]:
        return (matching_name(self.name), postcode_key(self.postcode))


@dataclass
class ReadFile:
    source: str
    rows: list[OrganisationRow] = field(default_factory=list)
    closed_urns: list[str] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)  # rows left out
    warnings: list[Problem] = field(default_factory=list)  # rows kept, something left out


# --- Bytes to rows --------------------------------------------------------------------------------


def too_big(max_bytes: int) -> CoverageImportError:
    size = f"{max_bytes / (1024 * 1024):g} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes / 1024:g} KB"
    return CoverageImportError(_("The file is larger than %(size)s.") % {"size": size})


def _chunks(file: BinaryIO) -> Iterator[bytes]:
    file.seek(0)
    while chunk := file.read(READ_CHUNK):
        yield chunk


def encoding_of(file: BinaryIO) -> str:
    """UTF-8 (the byte order mark skipped) if every byte reads as it, else Windows-1252,
    else Latin-1. One pass over the file with an incremental decoder: nothing is held."""
    first = file.read(4096)
    file.seek(0)
    if not first.strip():
        raise CoverageImportError(_("The file is empty."))
    if first.startswith(b"PK\x03\x04"):
        raise CoverageImportError(_("This is an Excel workbook. Save it as CSV (comma delimited) and upload that."))
    if b"\x00" in first:
        raise CoverageImportError(_("This file is not a CSV file."))
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for chunk in _chunks(file):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        else:
            return encoding
        finally:
            file.seek(0)
    return "latin-1"


def _text(file: BinaryIO) -> io.TextIOWrapper:
    encoding = encoding_of(file)
    # newline="": the csv module reads line breaks inside quoted cells itself.
    return io.TextIOWrapper(io.BufferedReader(_Unclosed(file), READ_CHUNK), encoding=encoding, newline="")


class _Unclosed(io.RawIOBase):
    """The uploaded file, read through a text wrapper that must not close it."""

    def __init__(self, file: BinaryIO):
        self.file = file

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.file.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def clean(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").replace("\xa0", " ").split())


def header_key(header: str) -> str:
    return re.sub(r"[^0-9a-z]", "", header.lower())


def postcode_key(postcode: str) -> str:
    return postcode.replace(" ", "").upper()


def tidy_postcode(postcode: str) -> str:
    """ "cv1 2ab" as "CV1 2AB"; anything that is not a UK postcode as it was typed."""
    key = postcode_key(postcode)
    if re.fullmatch(r"[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}", key):
        return f"{key[:-3]} {key[-3:]}"
    return postcode.strip()[:10]


@dataclass(frozen=True)
class Layout:
    source: str
    # Our name -> the header as the file's makers write it (said in messages).
    required: dict[str, str]
    optional: dict[str, str]
    # Other headers read as the same column (header_key -> our name).
    aliases: dict[str, str] = field(default_factory=dict)


GIAS = Layout(
    source=Source.GIAS,
    required={
        "urn": "URN",
        "name": "EstablishmentName",
        "type": "TypeOfEstablishment (name)",
        "phase": "PhaseOfEducation (name)",
        "local_authority": "LA (name)",
        "postcode": "Postcode",
        "status": "EstablishmentStatus (name)",
    },
    optional={"website": "SchoolWebsite"},
)

PLAIN_LIST = Layout(
    source=Source.LIST,
    required={"name": "Name"},
    optional={"type": "Type", "postcode": "Postcode", "domains": "Email domains"},
    aliases={
        "organisation": "name",
        "organisationname": "name",
        "organisationtype": "type",
        "postcodes": "postcode",
        "emaildomain": "domains",
        "domains": "domains",
        "domain": "domains",
    },
)

LAYOUTS = {Source.GIAS: GIAS, Source.LIST: PLAIN_LIST}


def _columns(header: list[str], layout: Layout) -> dict[str, int]:
    keys = {header_key(text): name for name, text in (layout.required | layout.optional).items()}
    keys |= layout.aliases
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = keys.get(header_key(cell))
        if name is not None and name not in found:
            found[name] = index
    missing = [text for name, text in layout.required.items() if name not in found]
    if missing:
        if layout.source == Source.GIAS:
            message = ngettext(
                "This is not a Get Information About Schools extract: it has no %(columns)s column. "
                "Download the extract from GIAS again, or choose “A list of other organisations”.",
                "This is not a Get Information About Schools extract: it has no %(columns)s columns. "
                "Download the extract from GIAS again, or choose “A list of other organisations”.",
                len(missing),
            )
        else:
            message = _("The list has no %(columns)s column. Give the first row the column names.")
        raise CoverageImportError(message % {"columns": _and(missing)})
    return found


def _and(words: list[str]) -> str:
    return (
        words[0]
        if len(words) == 1
        else _("%(first)s and %(last)s")
        % {
            "first": ", ".join(words[:-1]),
            "last": words[-1],
        }
    )


def read_organisations(
    file: BinaryIO, *, source: str, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> ReadFile:
    """The organisations in ``file`` (bytes, read from the start), or CoverageImportError
    saying why the file cannot be read at all. A row that cannot be read is a Problem with
    its line number, and the rest are read."""
    file.seek(0, io.SEEK_END)
    if file.tell() > max_bytes:
        raise too_big(max_bytes)
    file.seek(0)
    layout = LAYOUTS[source]
    reader = csv.reader(_text(file))
    result = ReadFile(source=source)
    header: dict[str, int] | None = None
    seen: dict[object, int] = {}
    line = 1
    try:
        for cells in reader:
            first_line, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = _columns(cells, layout)
                continue
            if len(result.rows) + len(result.closed_urns) + len(result.errors) >= max_rows:
                raise CoverageImportError(
                    _("The file has more than %(count)s rows. Download the extract for your local authority only.")
                    % {"count": f"{max_rows:,}"}
                )
            values = {name: clean(cells[index]) if index < len(cells) else "" for name, index in header.items()}
            _read_row(values, first_line, layout, result, seen)
    except csv.Error:
        raise CoverageImportError(
            _("Line %(line)d could not be read: a quotation mark is never closed.") % {"line": line}
        ) from None
    if header is None:
        raise CoverageImportError(_("The file is empty."))
    _drop_shared_website_domains(result)
    return result


def _read_row(values: dict[str, str], line: int, layout: Layout, result: ReadFile, seen: dict) -> None:
    name = values.get("name", "")
    if not name:
        result.errors.append(Problem(line, _("no name")))
        return
    if len(name) > 200:
        result.errors.append(Problem(line, _("the name is longer than 200 characters")))
        return
    if layout.source == Source.GIAS:
        row = _gias_row(values, line, result)
    else:
        row = _list_row(values, line, result)
    if row is None:
        return
    key = ("urn", row.urn) if row.urn else ("name", row.match_key)
    if key in seen:
        result.errors.append(
            Problem(line, _("the same organisation as line %(line)d, so left out") % {"line": seen[key]})
        )
        return
    seen[key] = line
    result.rows.append(row)


# --- The GIAS extract ------------------------------------------------------------------------------

# TypeOfEstablishment (name) -> kind, where it is not a school.
GIAS_KINDS = {
    "local authority nursery school": Kind.EARLY_YEARS,
    "further education": Kind.FURTHER_EDUCATION,
    "sixth form centres": Kind.FURTHER_EDUCATION,
    "free schools 16 to 19": Kind.FURTHER_EDUCATION,
    "academy 16-19 converter": Kind.FURTHER_EDUCATION,
    "academy 16 to 19 sponsor led": Kind.FURTHER_EDUCATION,
    "academy secure 16 to 19": Kind.FURTHER_EDUCATION,
    "special post 16 institution": Kind.FURTHER_EDUCATION,
    "higher education institutions": Kind.FURTHER_EDUCATION,
}

# PhaseOfEducation (name) -> phase.
GIAS_PHASES = {
    "primary": Phase.PRIMARY,
    "middle deemed primary": Phase.PRIMARY,
    "secondary": Phase.SECONDARY,
    "middle deemed secondary": Phase.SECONDARY,
    "all-through": Phase.ALL_THROUGH,
    "all through": Phase.ALL_THROUGH,
    "nursery": Phase.NURSERY,
    "16 plus": Phase.SIXTEEN_PLUS,
    "not applicable": Phase.NOT_APPLICABLE,
}


def _gias_row(values: dict[str, str], line: int, result: ReadFile) -> OrganisationRow | None:
    urn = values["urn"]
    if not urn:
        result.errors.append(Problem(line, _("no URN")))
        return None
    if not urn.isdigit() or len(urn) > 12:
        result.errors.append(Problem(line, _("the URN is not a number")))
        return None
    if values["status"].lower().startswith("closed"):
        result.closed_urns.append(urn)
        return None
    type_ = values["type"][:100] or _("Other")
    phase = GIAS_PHASES.get(values["phase"].lower(), Phase.NOT_APPLICABLE)
    kind = GIAS_KINDS.get(type_.lower(), Kind.EARLY_YEARS if phase == Phase.NURSERY else Kind.SCHOOL)
    domain = website_domain(values.get("website", ""))
    return OrganisationRow(
        line=line,
        name=values["name"],
        type=type_,
        kind=kind,
        phase=phase,
        local_authority=values["local_authority"][:100],
        postcode=tidy_postcode(values["postcode"]),
        urn=str(int(urn)),
        domains=(domain,) if domain else (),
        from_website=bool(domain),
    )


def website_domain(website: str) -> str:
    """ "https://www.whitley-academy.example.sch.uk/about" -> "whitley-academy.example.sch.uk";
    "" when it is not a web address with a domain."""
    website = website.strip()
    if not website:
        return ""
    if "://" not in website:
        website = "http://" + website
    try:
        host = (urlsplit(website).hostname or "").lower()
    except ValueError:
        return ""
    host = host.removeprefix("www.")
    return host if valid_domain(host) and not shared_domain(host) else ""


def _drop_shared_website_domains(result: ReadFile) -> None:
    """A website several schools share (a trust's, the council's) says nothing about which
    school an email address belongs to: its domain is left out for all of them."""
    counts: dict[str, int] = {}
    for row in result.rows:
        if row.from_website:
            counts[row.domains[0]] = counts.get(row.domains[0], 0) + 1
    shared = {domain for domain, count in counts.items() if count > 1}
    if not shared:
        return
    result.rows = [
        _without_domains(row) if row.from_website and row.domains[0] in shared else row for row in result.rows
    ]


def _without_domains(row: OrganisationRow) -> OrganisationRow:
    return OrganisationRow(**{**asdict(row), "domains": (), "from_website": False})


# --- The plain list -------------------------------------------------------------------------------

# Words in a type (lower case) -> the kind. The first that appears decides.
LIST_KINDS = (
    (
        ("nursery", "pre school", "preschool", "childminder", "early years", "children's centre", "playgroup"),
        Kind.EARLY_YEARS,
    ),
    (("college", "university", "sixth form", "further education", "training provider"), Kind.FURTHER_EDUCATION),
    (("nhs", "hospital", "health", "gp", "surgery", "clinic", "hospice", "pharmacy", "ambulance"), Kind.HEALTH),
    (("police", "constabulary"), Kind.POLICE),
    (
        ("charity", "voluntary", "community", "faith", "church", "mosque", "gurdwara", "temple", "synagogue", "youth"),
        Kind.VOLUNTARY,
    ),
    (("school", "academy"), Kind.SCHOOL),
)


def kind_of_type(type_: str) -> str:
    words = " " + re.sub(r"[^a-z0-9']+", " ", type_.lower()) + " "
    for keywords, kind in LIST_KINDS:
        if any(f" {keyword} " in words for keyword in keywords):
            return kind
    return Kind.OTHER


DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$")

# Domains many organisations share: an address at one says nothing about which it belongs to.
# The personal mail providers are the list fair shares uses too; then the shared suffixes.
SHARED_DOMAINS = SHARED_EMAIL_DOMAINS | {
    "nhs.uk",
    "gov.uk",
    "sch.uk",
    "police.uk",
    "ac.uk",
    "org.uk",
    "co.uk",
    "org",
    "com",
    "uk",
    "example.org",
    "example.com",
    "example.net",
}


def valid_domain(domain: str) -> bool:
    return bool(DOMAIN.match(domain))


def shared_domain(domain: str) -> bool:
    return domain in SHARED_DOMAINS


def _list_row(values: dict[str, str], line: int, result: ReadFile) -> OrganisationRow:
    type_ = values.get("type", "")[:100] or _("Other")
    kind = kind_of_type(type_)
    domains: list[str] = []
    for word in re.split(r"[\s,;]+", values.get("domains", "").lower()):
        domain = word.removeprefix("@").removeprefix("www.")
        if not domain or domain in domains:
            continue
        if not valid_domain(domain):
            result.warnings.append(
                Problem(line, _("“%(domain)s” is not an email domain, so it was left out") % {"domain": domain[:60]})
            )
        elif shared_domain(domain):
            result.warnings.append(
                Problem(
                    line,
                    _("%(domain)s is shared by many organisations, so it cannot tell which one; left out")
                    % {"domain": domain},
                )
            )
        else:
            domains.append(domain)
    phase = {Kind.EARLY_YEARS: Phase.NURSERY, Kind.FURTHER_EDUCATION: Phase.SIXTEEN_PLUS}.get(
        kind, Phase.NOT_APPLICABLE
    )
    return OrganisationRow(
        line=line,
        name=values["name"],
        type=type_,
        kind=kind,
        phase=phase,
        postcode=tidy_postcode(values.get("postcode", "")),
        domains=tuple(domains),
    )


# --- Comparing with what is there -----------------------------------------------------------------

FIELDS = ("name", "type", "kind", "phase", "local_authority", "postcode", "urn")


@dataclass
class ImportPlan:
    """What saving the file would do."""

    new: list[OrganisationRow] = field(default_factory=list)
    updated: list[tuple[int, OrganisationRow]] = field(default_factory=list)
    unchanged: int = 0
    closed_to_remove: list[int] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # Organisation (pk, or the row's line for a new one) -> its domains after saving.
    domains: dict[object, tuple[str, ...]] = field(default_factory=dict)


def plan_import(*, organiser: Organiser, read: ReadFile) -> ImportPlan:
    """Compare the file with the organiser's organisations: which rows are new, which change
    one, which change nothing; the schools it says have closed. Two queries."""
    existing: dict[int, dict] = {}
    by_urn: dict[str, int] = {}
    by_name: dict[tuple[str, str], int] = {}
    rows = AreaOrganisation.objects.filter(organiser=organiser).values_list("pk", "source", *FIELDS)
    for pk, source, *values in rows.iterator(chunk_size=5000):
        record = dict(zip(FIELDS, values, strict=True))
        existing[pk] = record
        if record["urn"]:
            by_urn[record["urn"]] = pk
        elif source == read.source:
            by_name[(matching_name(record["name"]), postcode_key(record["postcode"]))] = pk
    domain_owner: dict[str, int] = {}
    current_domains: dict[int, set[str]] = {}
    for pk, domain in OrganisationDomain.objects.filter(organiser=organiser).values_list("organisation_id", "domain"):
        domain_owner[domain] = pk
        current_domains.setdefault(pk, set()).add(domain)
    names = {pk: record["name"] for pk, record in existing.items()}

    plan = ImportPlan()
    given: dict[str, int] = {}  # domain -> the line that has it, in this file
    for row in read.rows:
        pk = by_urn.get(row.urn) if row.urn else by_name.get(row.match_key)
        domains = []
        for domain in row.domains:
            owner = domain_owner.get(domain)
            if owner is not None and owner != pk:
                plan.warnings.append(
                    Problem(
                        row.line,
                        _("the email domain %(domain)s is already %(name)s’s, so it was left out")
                        % {"domain": domain, "name": names[owner]},
                    )
                )
            elif domain in given:
                plan.warnings.append(
                    Problem(
                        row.line,
                        _("the email domain %(domain)s is already on line %(line)d, so it was left out")
                        % {"domain": domain, "line": given[domain]},
                    )
                )
            else:
                given[domain] = row.line
                domains.append(domain)
        if pk is None:
            plan.new.append(row)
            plan.domains[("line", row.line)] = tuple(domains)
            continue
        record = existing[pk]
        same = all(getattr(row, name) == record[name] for name in FIELDS if name != "urn" or row.urn)
        # A website's domain only adds: one typed in by hand is not taken away by a GIAS file.
        wanted = set(domains) | (current_domains.get(pk, set()) if read.source == Source.GIAS else set())
        if same and wanted == current_domains.get(pk, set()):
            plan.unchanged += 1
            continue
        plan.updated.append((pk, row))
        plan.domains[pk] = tuple(sorted(wanted))
    plan.closed_to_remove = [by_urn[urn] for urn in read.closed_urns if urn in by_urn]
    return plan


# --- Keeping the file between the preview and the save --------------------------------------------


def keep_for_saving(
    *,
    organiser: Organiser,
    read: ReadFile,
    file_name: str,
    user: AbstractBaseUser | None,
    now: dt.datetime | None = None,
) -> PendingOrganisationImport:
    """Keep what the file says, for the save after the preview (and forget old previews)."""
    now = now or timezone.now()
    PendingOrganisationImport.objects.filter(created_at__lt=now - PENDING_FOR).delete()
    payload = {"rows": [asdict(row) for row in read.rows], "closed_urns": read.closed_urns}
    return PendingOrganisationImport.objects.create(
        organiser=organiser,
        created_by=user,
        created_at=now,
        source=read.source,
        file_name=file_name[:255],
        rows=zlib.compress(json.dumps(payload).encode()),
    )


def kept(pending: PendingOrganisationImport) -> ReadFile:
    payload = json.loads(zlib.decompress(bytes(pending.rows)))
    rows = [OrganisationRow(**{**row, "domains": tuple(row["domains"])}) for row in payload["rows"]]
    return ReadFile(source=pending.source, rows=rows, closed_urns=payload["closed_urns"])


def pending_import(*, pk: int, organiser: Organiser, user, now: dt.datetime | None = None):
    """The kept file this person previewed, if it is still there."""
    now = now or timezone.now()
    return PendingOrganisationImport.objects.filter(
        pk=pk, organiser=organiser, created_by=user, created_at__gte=now - PENDING_FOR
    ).first()


# --- Saving ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    new: int
    updated: int
    unchanged: int
    removed: int

    def message(self) -> str:
        return _(
            "Saved: %(new)s new, %(updated)s updated, %(unchanged)s unchanged, %(removed)s closed and removed."
        ) % {
            "new": f"{self.new:,}",
            "updated": f"{self.updated:,}",
            "unchanged": f"{self.unchanged:,}",
            "removed": f"{self.removed:,}",
        }


def save_import(*, pending: PendingOrganisationImport, now: dt.datetime | None = None) -> ImportResult:
    """Save the previewed file: compared again with what is there now (someone may have
    imported since), in one transaction, in batches."""
    now = now or timezone.now()
    organiser = pending.organiser
    read = kept(pending)
    with transaction.atomic():
        plan = plan_import(organiser=organiser, read=read)
        AreaOrganisation.objects.filter(pk__in=plan.closed_to_remove).delete()
        created = AreaOrganisation.objects.bulk_create(
            [_organisation(organiser, row, read.source, now) for row in plan.new], batch_size=BATCH
        )
        updated = []
        for pk, row in plan.updated:
            organisation = _organisation(organiser, row, read.source, now)
            organisation.pk = pk
            updated.append(organisation)
        AreaOrganisation.objects.bulk_update(updated, [*FIELDS, "name_key", "source", "imported_at"], batch_size=BATCH)
        changed_ids = [pk for pk, _row in plan.updated]
        for start in range(0, len(changed_ids), BATCH):
            OrganisationDomain.objects.filter(organisation_id__in=changed_ids[start : start + BATCH]).delete()
        domains = [
            OrganisationDomain(organiser=organiser, organisation_id=organisation.pk, domain=domain)
            for organisation, row in zip(created, plan.new, strict=True)
            for domain in plan.domains[("line", row.line)]
        ]
        domains += [
            OrganisationDomain(organiser=organiser, organisation_id=pk, domain=domain)
            for pk, _row in plan.updated
            for domain in plan.domains[pk]
        ]
        # A domain taken since the preview stays with its owner.
        OrganisationDomain.objects.bulk_create(domains, batch_size=BATCH, ignore_conflicts=True)
        mark_shared_names(organiser=organiser)
        pending.delete()
    return ImportResult(
        new=len(plan.new), updated=len(plan.updated), unchanged=plan.unchanged, removed=len(plan.closed_to_remove)
    )


def _organisation(organiser: Organiser, row: OrganisationRow, source: str, now: dt.datetime) -> AreaOrganisation:
    return AreaOrganisation(
        organiser=organiser,
        name=row.name,
        name_key=matching_name(row.name),
        type=row.type,
        kind=row.kind,
        phase=row.phase,
        local_authority=row.local_authority,
        postcode=row.postcode,
        urn=row.urn,
        source=source,
        imported_at=now,
    )
