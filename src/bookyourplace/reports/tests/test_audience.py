"""Who booked and who came: sectors, the organisations with most places and the rest as
"All other organisations", people new and returning, and access needs as counts only."""

from bookyourplace.attendance.models import Outcome
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book
from bookyourplace.feedback.testing import mark
from bookyourplace.programmes.models import Programme
from bookyourplace.reports.audience import access_needs, audience
from bookyourplace.reports.filters import ReportFilter
from bookyourplace.reports.testing import at, change, held_on, people

EVERYTHING = ReportFilter()


def test_places_and_attendance_by_sector(make_session):
    session = make_session()
    teachers = people(session, 3, prefix="teacher", sector="schools")
    people(session, 2, prefix="officer", sector="police")
    mark(teachers[0], Outcome.ATTENDED)
    mark(teachers[1], Outcome.PARTLY_ATTENDED)
    mark(teachers[2], Outcome.NO_SHOW)

    sectors = audience(EVERYTHING, Programme.objects.all()).sectors

    assert [(g.label, g.booked, g.came) for g in sectors] == [("Schools", 3, 2), ("Police", 2, 0)]


def test_the_ten_organisations_with_most_places_and_the_rest_together(make_session):
    session = make_session()
    people(session, 3, prefix="big", organisation="Organisation 00")
    for n in range(1, 12):
        people(session, 1, prefix=f"org{n}-", organisation=f"Organisation {n:02d}")

    organisations = audience(EVERYTHING, Programme.objects.all()).organisations

    assert [(g.label, g.booked) for g in organisations] == [
        ("Organisation 00", 3),
        *((f"Organisation {n:02d}", 1) for n in range(1, 10)),
        ("All other organisations", 2),
    ]
    assert organisations[-1].is_rest


def test_one_organisation_however_its_name_is_typed(make_session):
    session = make_session()
    people(session, 3, prefix="a", organisation="Whitley Academy")
    people(session, 2, prefix="b", organisation="whitley academy ")

    [group] = audience(EVERYTHING, Programme.objects.all()).organisations

    assert (group.label, group.booked) == ("Whitley Academy", 5)


def test_new_and_returning_people(make_session, programme, organiser):
    """Ali came in December and again in January: returning. Bea only in January: new. Cy was
    on a session of a programme this reader cannot see: new here."""
    december = make_session(title="December")
    january = make_session(title="January")
    hidden = Programme.objects.create(
        organiser=organiser, title="Not ours", slug="not-ours", status=Programme.Status.PUBLISHED
    )
    elsewhere = make_session(programme=hidden, title="Elsewhere")
    book(december, "ali@example.org")
    book(elsewhere, "cy@example.org")
    for email in ("ali@example.org", "bea@example.org", "cy@example.org"):
        book(january, email)
    held_on(december, at("2025-12-10"))
    held_on(elsewhere, at("2025-12-11"))
    held_on(january, at("2026-01-20"))

    seen = audience(ReportFilter(date_from=at("2026-01-01").date()), Programme.objects.filter(pk=programme.pk))

    assert (seen.people, seen.new, seen.returning) == (3, 2, 1)


def test_someone_who_cancelled_an_earlier_place_is_still_new(make_session):
    earlier, later = make_session(title="Earlier"), make_session(title="Later")
    change(book(earlier, "dee@example.org"), status=Booking.Status.CANCELLED)
    book(later, "dee@example.org")
    held_on(earlier, at("2026-01-10"))
    held_on(later, at("2026-01-20"))

    seen = audience(ReportFilter(), Programme.objects.all())

    assert (seen.people, seen.new, seen.returning) == (1, 1, 0)


def test_access_needs_are_counted_never_named(make_session):
    first, second = make_session(title="First"), make_session(title="Second")
    people(first, 2, prefix="needs", access_needs="Step-free access")
    people(first, 3, prefix="none")
    people(second, 1, prefix="hearing", access_needs="Hearing loop")
    cancelled = people(second, 1, prefix="cancelled", access_needs="Wheelchair space")[0]
    change(cancelled, status=Booking.Status.CANCELLED)

    needs = access_needs(EVERYTHING, Programme.objects.all())

    assert needs.total == 3
    assert [(s.title, s.count) for s in needs.sessions] == [("First", 2), ("Second", 1)]
