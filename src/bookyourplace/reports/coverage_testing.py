"""Helpers for tests of coverage (and the demo's sample files): files in the layouts people
download, and organisations saved as an import would save them."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.utils import timezone

from bookyourplace.programmes.models import Organiser
from bookyourplace.reports.coverage import mark_shared_names, matching_name
from bookyourplace.reports.models import AreaOrganisation, Kind, OrganisationDomain, Phase, Source

# The columns of a real GIAS "establishment fields" extract, in its order (the first 40 of
# about 130): ours among many we do not use.
GIAS_HEADER = (
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (code)",
    "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (code)",
    "EstablishmentStatus (name)",
    "ReasonEstablishmentOpened (code)",
    "ReasonEstablishmentOpened (name)",
    "OpenDate",
    "ReasonEstablishmentClosed (code)",
    "ReasonEstablishmentClosed (name)",
    "CloseDate",
    "PhaseOfEducation (code)",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "Boarders (code)",
    "Boarders (name)",
    "NurseryProvision (name)",
    "OfficialSixthForm (code)",
    "OfficialSixthForm (name)",
    "Gender (code)",
    "Gender (name)",
    "ReligiousCharacter (code)",
    "ReligiousCharacter (name)",
    "Diocese (code)",
    "Diocese (name)",
    "AdmissionsPolicy (code)",
    "AdmissionsPolicy (name)",
    "SchoolCapacity",
    "Street",
    "Locality",
    "Town",
    "Postcode",
    "SchoolWebsite",
    "TelephoneNum",
    "HeadTitle (name)",
    "HeadFirstName",
    "HeadLastName",
)

# The type's and the phase's codes as GIAS writes them beside the names.
TYPE_CODES = {
    "Community school": "01",
    "Voluntary aided school": "02",
    "Voluntary controlled school": "03",
    "Foundation school": "05",
    "Local authority nursery school": "15",
    "Further education": "18",
    "Academy sponsor led": "28",
    "Academy converter": "34",
    "Free schools": "35",
    "Academy special converter": "33",
}
PHASE_CODES = {"Nursery": "1", "Primary": "2", "Secondary": "4", "16 plus": "6", "All-through": "7"}


def gias_row(
    urn: int,
    name: str,
    *,
    type: str = "Academy converter",
    phase: str = "Primary",
    postcode: str = "CV1 2AB",
    status: str = "Open",
    website: str = "",
    la: str = "Coventry",
    town: str = "Coventry",
) -> dict[str, str]:
    return {
        "URN": str(urn),
        "LA (code)": "331",
        "LA (name)": la,
        "EstablishmentNumber": str(2000 + urn % 1000),
        "EstablishmentName": name,
        "TypeOfEstablishment (code)": TYPE_CODES.get(type, "99"),
        "TypeOfEstablishment (name)": type,
        "EstablishmentTypeGroup (name)": "Academies" if "Academy" in type else "Local authority maintained schools",
        "EstablishmentStatus (code)": "1" if status == "Open" else "2",
        "EstablishmentStatus (name)": status,
        "OpenDate": "01-09-2012",
        "CloseDate": "31-08-2024" if status == "Closed" else "",
        "PhaseOfEducation (code)": PHASE_CODES.get(phase, "0"),
        "PhaseOfEducation (name)": phase,
        "Gender (name)": "Mixed",
        "ReligiousCharacter (name)": "Does not apply",
        "SchoolCapacity": "420",
        "Street": "1 School Lane",
        "Town": town,
        "Postcode": postcode,
        "SchoolWebsite": website,
        "TelephoneNum": "02476000000",
        "HeadTitle (name)": "Mrs",
        "HeadFirstName": "Pat",
        "HeadLastName": "Jones",
    }


def gias_csv(rows: Iterable[dict[str, str]], *, encoding: str = "cp1252") -> bytes:
    """A GIAS extract as downloaded: every column, Windows-1252, CRLF line ends."""
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=GIAS_HEADER, lineterminator="\r\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def list_csv(
    rows: Sequence[Sequence[str]], *, header: Sequence[str] = ("Name", "Type", "Postcode", "Email domains")
) -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def area_organisation(
    organiser: Organiser,
    name: str,
    *,
    domains: Sequence[str] = (),
    kind: str = Kind.SCHOOL,
    type: str = "Academy converter",
    phase: str = Phase.PRIMARY,
    postcode: str = "CV1 2AB",
    urn: str = "",
    refresh: bool = True,
) -> AreaOrganisation:
    """An organisation of the area, saved as an import saves one (its matching key written)."""
    organisation = AreaOrganisation.objects.create(
        organiser=organiser,
        name=name,
        name_key=matching_name(name),
        type=type,
        kind=kind,
        phase=phase,
        postcode=postcode,
        urn=urn,
        source=Source.GIAS if urn else Source.LIST,
        imported_at=timezone.now(),
    )
    OrganisationDomain.objects.bulk_create(
        OrganisationDomain(organiser=organiser, organisation=organisation, domain=domain) for domain in domains
    )
    if refresh:
        mark_shared_names(organiser=organiser)
    return organisation
