"""Reading the area's organisations from a GIAS extract or a plain list, previewing, saving."""

import io

import pytest
from django.conf import settings

from bookyourplace.reports import coverage_import as importing
from bookyourplace.reports.coverage_import import CoverageImportError, read_organisations
from bookyourplace.reports.coverage_testing import area_organisation, gias_csv, gias_row, list_csv
from bookyourplace.reports.models import AreaOrganisation, Kind, OrganisationDomain, Phase, Source


def _read(data: bytes, source=Source.GIAS, **kwargs):
    return read_organisations(io.BytesIO(data), source=source, **kwargs)


def _import(organiser, data: bytes, source=Source.GIAS, name="schools.csv"):
    read = _read(data, source)
    pending = importing.keep_for_saving(organiser=organiser, read=read, file_name=name, user=None)
    return importing.save_import(pending=pending)


SCHOOLS = [
    gias_row(
        100001,
        "Whitley Academy",
        type="Academy converter",
        phase="Secondary",
        postcode="cv3 4ha",
        website="https://www.whitley-academy.example.sch.uk/",
    ),
    gias_row(100002, "St Thomas’s Church of England Primary School", type="Voluntary aided school", postcode="CV5 8AB"),
    gias_row(100003, "Ysgol Gymraeg Coventry", type="Community school", phase="Primary", postcode="CV2 1AA"),
    gias_row(100004, "Old Mill Junior School", type="Community school", status="Closed", postcode="CV6 1AA"),
    gias_row(100005, "Little Stars Nursery School", type="Local authority nursery school", phase="Nursery"),
    gias_row(100006, "Coventry Sixth Form Centre", type="Further education", phase="16 plus"),
]


def test_a_gias_extract_is_read_in_its_own_layout_and_encoding():
    read = _read(gias_csv(SCHOOLS))

    assert [row.name for row in read.rows] == [
        "Whitley Academy",
        "St Thomas’s Church of England Primary School",
        "Ysgol Gymraeg Coventry",
        "Little Stars Nursery School",
        "Coventry Sixth Form Centre",
    ]
    whitley = read.rows[0]
    assert (whitley.urn, whitley.type, whitley.kind, whitley.phase, whitley.postcode, whitley.local_authority) == (
        "100001",
        "Academy converter",
        Kind.SCHOOL,
        Phase.SECONDARY,
        "CV3 4HA",
        "Coventry",
    )
    assert whitley.domains == ("whitley-academy.example.sch.uk",)
    assert (read.rows[3].kind, read.rows[3].phase) == (Kind.EARLY_YEARS, Phase.NURSERY)
    assert (read.rows[4].kind, read.rows[4].phase) == (Kind.FURTHER_EDUCATION, Phase.SIXTEEN_PLUS)
    assert read.closed_urns == ["100004"]
    assert read.errors == []


def test_a_gias_extract_saved_as_utf8_with_a_byte_order_mark_reads_the_same():
    data = b"\xef\xbb\xbf" + gias_csv(SCHOOLS, encoding="utf-8")

    read = _read(data)

    assert read.rows[1].name == "St Thomas’s Church of England Primary School"


def test_a_file_with_a_byte_no_code_page_knows_is_still_read():
    # 0x81 is undefined in Windows-1252: read as Latin-1 rather than refused.
    data = gias_csv([gias_row(100010, "Caf\xe9 School")]).replace(b"Caf\xe9", b"Caf\x81")

    read = _read(data)

    assert read.rows[0].name == "Caf\x81 School"


def test_importing_a_gias_extract_saves_the_open_schools_and_again_changes_nothing(organiser):
    first = _import(organiser, gias_csv(SCHOOLS))
    saved = {o.urn: o for o in AreaOrganisation.objects.filter(organiser=organiser)}
    before = {urn: o.imported_at for urn, o in saved.items()}

    again = _import(organiser, gias_csv(SCHOOLS))

    assert (first.new, first.updated, first.unchanged, first.removed) == (5, 0, 0, 0)
    assert (again.new, again.updated, again.unchanged, again.removed) == (0, 0, 5, 0)
    assert sorted(saved) == ["100001", "100002", "100003", "100005", "100006"]
    assert {o.urn: o.imported_at for o in AreaOrganisation.objects.filter(organiser=organiser)} == before
    assert list(OrganisationDomain.objects.values_list("domain", flat=True)) == ["whitley-academy.example.sch.uk"]


def test_a_school_renamed_is_updated_and_one_closed_since_is_removed(organiser):
    _import(organiser, gias_csv(SCHOOLS))
    changed = [dict(row) for row in SCHOOLS]
    changed[0]["EstablishmentName"] = "Whitley Academy Trust School"
    changed[2]["EstablishmentStatus (name)"] = "Closed"

    plan = importing.plan_import(organiser=organiser, read=_read(gias_csv(changed)))
    result = _import(organiser, gias_csv(changed))

    assert (len(plan.new), len(plan.updated), plan.unchanged, len(plan.closed_to_remove)) == (0, 1, 3, 1)
    assert (result.updated, result.removed) == (1, 1)
    assert AreaOrganisation.objects.get(urn="100001").name == "Whitley Academy Trust School"
    assert not AreaOrganisation.objects.filter(urn="100003").exists()


def test_an_extract_without_the_columns_we_need_is_refused_naming_them():
    data = b"URN,EstablishmentName,Town\r\n100001,Whitley Academy,Coventry\r\n"

    with pytest.raises(CoverageImportError) as refusal:
        _read(data)

    assert "TypeOfEstablishment (name), PhaseOfEducation (name), LA (name), Postcode and " in str(refusal.value)
    assert "EstablishmentStatus (name)" in str(refusal.value)


def test_headers_are_matched_whatever_their_case_and_other_columns_are_ignored():
    data = (
        b"Notes,urn,ESTABLISHMENTNAME,typeofestablishment (name),Phaseofeducation (Name),la (name),POSTCODE,"
        b"establishmentstatus (name)\r\n"
        b"x,100001,Whitley Academy,Academy converter,Secondary,Coventry,CV3 4HA,Open\r\n"
    )

    read = _read(data)

    assert [(row.urn, row.name) for row in read.rows] == [("100001", "Whitley Academy")]


def test_rows_that_cannot_be_read_are_listed_by_line_and_the_rest_are_read():
    rows = [
        gias_row(100001, "Whitley Academy"),
        gias_row(100002, ""),
        gias_row(0, "No Number School") | {"URN": ""},
        gias_row(0, "Letters School") | {"URN": "ABC"},
        gias_row(100001, "Whitley Academy again"),
    ]

    read = _read(gias_csv(rows))

    assert [str(problem) for problem in read.errors] == [
        "Line 3: no name",
        "Line 4: no URN",
        "Line 5: the URN is not a number",
        "Line 6: the same organisation as line 2, so left out",
    ]
    assert [row.name for row in read.rows] == ["Whitley Academy"]


def test_a_website_several_schools_share_gives_none_of_them_a_domain():
    rows = [
        gias_row(100001, "Alpha Primary", website="www.coventry.gov.uk/schools/alpha"),
        gias_row(100002, "Beta Primary", website="https://www.coventry.gov.uk/schools/beta"),
        gias_row(100003, "Gamma Primary", website="gamma.example.sch.uk"),
    ]

    read = _read(gias_csv(rows))

    assert [row.domains for row in read.rows] == [(), (), ("gamma.example.sch.uk",)]


def test_a_plain_list_is_read_with_its_domains_and_a_kind_from_its_type():
    data = list_csv(
        [
            ("Coventry College", "Further education college", "cv1 5dd", "coventrycollege.example.ac.uk"),
            ("Little Acorns Nursery", "Nursery", "CV2 2BB", "@littleacorns.example.org.uk; www.acorns.example.com"),
            (
                "Coventry and Warwickshire Partnership NHS Trust",
                "NHS trust",
                "CV6 6NY",
                "covwarkpt.example.nhs.uk nhs.net",
            ),
            ("West Midlands Police", "Police", "B4 6NQ", "westmidlands.example.police.uk"),
            ("Coventry Refugee and Migrant Centre", "Charity", "CV1 4HE", "not a domain!"),
            ("Coventry City Council", "", "CV1 5RR", ""),
        ],
        header=("Organisation name", "TYPE", "Postcode", "Email domains", "Contact"),
    )

    read = _read(data, Source.LIST)

    assert [(row.name, row.kind, row.domains) for row in read.rows] == [
        ("Coventry College", Kind.FURTHER_EDUCATION, ("coventrycollege.example.ac.uk",)),
        ("Little Acorns Nursery", Kind.EARLY_YEARS, ("littleacorns.example.org.uk", "acorns.example.com")),
        ("Coventry and Warwickshire Partnership NHS Trust", Kind.HEALTH, ("covwarkpt.example.nhs.uk",)),
        ("West Midlands Police", Kind.POLICE, ("westmidlands.example.police.uk",)),
        ("Coventry Refugee and Migrant Centre", Kind.VOLUNTARY, ()),
        ("Coventry City Council", Kind.OTHER, ()),
    ]
    assert read.rows[0].postcode == "CV1 5DD"
    assert read.rows[5].type == "Other"
    assert [str(problem) for problem in read.warnings] == [
        "Line 4: nhs.net is shared by many organisations, so it cannot tell which one; left out",
        "Line 6: “not” is not an email domain, so it was left out",
        "Line 6: “a” is not an email domain, so it was left out",
        "Line 6: “domain!” is not an email domain, so it was left out",
    ]


def test_a_plain_list_without_a_name_column_is_refused():
    with pytest.raises(CoverageImportError) as refusal:
        _read(b"Organisation type,Postcode\nCharity,CV1 1AA\n", Source.LIST)

    assert str(refusal.value) == "The list has no Name column. Give the first row the column names."


def test_a_plain_list_imported_twice_changes_nothing_the_second_time(organiser):
    data = list_csv([("Coventry College", "College", "CV1 5DD", "coventrycollege.example.ac.uk")])

    first = _import(organiser, data, Source.LIST)
    again = _import(organiser, data, Source.LIST)

    assert (first.new, again.new, again.updated, again.unchanged) == (1, 0, 0, 1)


def test_a_plain_list_row_is_the_same_organisation_whatever_the_case_and_spacing(organiser):
    _import(organiser, list_csv([("Coventry College", "College", "CV1 5DD", "")]), Source.LIST)

    result = _import(organiser, list_csv([("coventry  college", "College", "cv15dd", "")]), Source.LIST)

    assert (result.new, result.updated) == (0, 1)
    assert AreaOrganisation.objects.get().name == "coventry college"


def test_a_domain_another_organisation_has_is_left_out_saying_whose(organiser):
    area_organisation(
        organiser, "Coventry College", domains=["coventrycollege.example.ac.uk"], kind=Kind.FURTHER_EDUCATION
    )
    read = _read(
        list_csv([("Coventry University", "University", "CV1 5FB", "coventrycollege.example.ac.uk")]), Source.LIST
    )

    plan = importing.plan_import(organiser=organiser, read=read)

    assert [str(problem) for problem in plan.warnings] == [
        "Line 2: the email domain coventrycollege.example.ac.uk is already Coventry College’s, so it was left out"
    ]
    assert plan.domains[("line", 2)] == ()


def test_formula_cells_are_kept_as_the_text_they_are(organiser):
    _import(organiser, list_csv([('=HYPERLINK("http://x")', "Charity", "CV1 1AA", "")]), Source.LIST)

    assert AreaOrganisation.objects.get().name == '=HYPERLINK("http://x")'


def test_a_file_over_the_limit_is_refused():
    with pytest.raises(CoverageImportError) as refusal:
        _read(gias_csv(SCHOOLS), max_bytes=1024)

    assert str(refusal.value) == "The file is larger than 1 KB."


def test_a_file_with_more_rows_than_allowed_is_refused():
    rows = [gias_row(100000 + n, f"School {n}") for n in range(5)]

    with pytest.raises(CoverageImportError) as refusal:
        _read(gias_csv(rows), max_rows=3)

    assert str(refusal.value).startswith("The file has more than 3 rows.")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"PK\x03\x04rest", "This is an Excel workbook. Save it as CSV (comma delimited) and upload that."),
        (b'URN,EstablishmentName\r\n"100001,Whit', None),
    ],
)
def test_files_that_are_not_lists_are_refused_with_a_reason(data, message):
    with pytest.raises(CoverageImportError) as refusal:
        _read(data)

    if message:
        assert str(refusal.value) == message


def test_imports_of_one_organiser_leave_another_organisers_alone(organiser):
    from bookyourplace.programmes.models import Organiser

    other = Organiser.objects.create(name="Warwickshire", slug="warwickshire", contact_email="w@example.org")
    _import(other, gias_csv(SCHOOLS))

    result = _import(organiser, gias_csv(SCHOOLS))

    assert result.new == 5
    assert AreaOrganisation.objects.filter(organiser=other).count() == 5


def test_a_large_extract_is_read_and_saved_in_batches(organiser, django_assert_max_num_queries):
    rows = [gias_row(100000 + n, f"School number {n}", website=f"school{n}.example.sch.uk") for n in range(2500)]
    read = _read(gias_csv(rows))
    pending = importing.keep_for_saving(organiser=organiser, read=read, file_name="england.csv", user=None)

    with django_assert_max_num_queries(40):
        result = importing.save_import(pending=pending)

    assert result.new == 2500
    assert OrganisationDomain.objects.filter(organiser=organiser).count() == 2500


def test_the_demo_sample_files_import_cleanly(organiser):
    demo = settings.BASE_DIR / "demo"
    schools = _read((demo / "coventry-schools-sample.csv").read_bytes())
    others = _read((demo / "coventry-other-organisations.csv").read_bytes(), Source.LIST)

    assert (len(schools.rows), len(schools.closed_urns), schools.errors, schools.warnings) == (38, 2, [], [])
    assert (len(others.rows), others.errors, others.warnings) == (17, [], [])
    assert {row.kind for row in others.rows} == set(Kind.values) - {Kind.SCHOOL}
