"""`make bench`, phase "attendance": after a session, at size (issue 13, point 7).

(a) A Teams attendance report of 1,000 participants uploaded, read and previewed: target
    under 2 s. (b) A tick on the live register of a 300-person session: target under 100 ms.

Both are measured in-process, with django.test.Client against the benchmark's own database
(a throwaway organiser signed in with force_login): server-side time, without the network,
gunicorn or the browser. Bounded: about ten uploads and two hundred ticks.

Run by bench/backend.py (``--phases attendance``) once Django is set up.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from datetime import time as clock_time

TEAMS_PARTICIPANTS = 1000
TEAMS_RUNS = 10
TEAMS_TARGET_S = 2.0
REGISTER_PEOPLE = 300
TICKS = 200
TICK_TARGET_MS = 100.0
ORGANISER_EMAIL = "bench.attendance.organiser@coventry.example"


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _client(programme):
    """A signed-in organiser of ``programme``, as the service's settings expect a request:
    its host, over HTTPS through the proxy."""
    from django.test import Client

    from bookyourplace.accounts.models import Role
    from bookyourplace.accounts.testing import make_person

    member = make_person(
        programme.organiser,
        Role.ORGANISER,
        email=ORGANISER_EMAIL,
        first_name="Bench",
        last_name="Organiser",
        programmes=(programme,),
    )
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(member.user)
    return client


def _teams_report(session, bookings) -> bytes:
    """1,000 participants: most booked and there throughout, some dropping out and back, some
    leaving early, emails in the case Teams gives, guests nobody booked, an organiser."""
    from bookyourplace.attendance.testing import Attendee, session_start, write_report

    minutes = round((session.ends_at - session.starts_at).total_seconds() / 60)
    people = [Attendee("Bench Organiser", ORGANISER_EMAIL, role="Organizer", stays=[(0, minutes)])]
    for n, booking in enumerate(bookings[: TEAMS_PARTICIPANTS - 41]):
        if n % 10 == 3:
            stays = [(0, minutes // 2 - 5), (minutes // 2, minutes // 2)]
        elif n % 25 == 7:
            stays = [(10, minutes // 3)]
        else:
            stays = [(0, minutes)]
        email = booking.email.upper() if n % 5 == 0 else booking.email
        people.append(Attendee(booking.full_name, email, stays=stays))
    people += [Attendee(f"Guest {n} (EXT)", "", stays=[(5, minutes - 5)]) for n in range(40)]
    return write_report(people, starts_at=session_start(session), minutes=minutes)


def measure_teams_import(data, client, programme, log) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from bookyourplace.bookings.models import Booking

    yesterday = (data.now - timedelta(days=1)).astimezone(programme.tz).date()
    starts = datetime.combine(yesterday, clock_time(10, 0), tzinfo=programme.tz)
    session = data.session(programme, "Teams report at size", starts, capacity=TEAMS_PARTICIPANTS + 100)
    data.bookings(session, TEAMS_PARTICIPANTS, tag="TM")
    bookings = list(Booking.objects.filter(session=session).order_by("pk"))
    report = _teams_report(session, bookings)
    url = reverse("backoffice:teams_import", args=[session.pk])
    times, statuses = [], set()
    for _ in range(TEAMS_RUNS):
        upload = SimpleUploadedFile("AttendanceReport.csv", report, content_type="text/csv")
        began = time.perf_counter()
        response = client.post(url, {"report": upload, "threshold": "75"}, secure=True)
        times.append(time.perf_counter() - began)
        statuses.add(response.status_code)
    previewed = b"Check the attendance before saving" in response.content
    p50, p99 = _percentile(times, 0.5), _percentile(times, 0.99)
    met = previewed and statuses == {200} and p99 is not None and p99 < TEAMS_TARGET_S
    log(
        f"Teams report of {TEAMS_PARTICIPANTS} participants ({len(report) / 1024:.0f} KB, UTF-16) read and "
        f"previewed: p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms over {TEAMS_RUNS} uploads "
        f"(server-side, in-process; target < {TEAMS_TARGET_S:.0f} s: {'met' if met else 'NOT MET'})"
    )
    return {
        "participants": TEAMS_PARTICIPANTS,
        "bytes": len(report),
        "runs": TEAMS_RUNS,
        "p50_ms": round(p50 * 1000, 1),
        "p99_ms": round(p99 * 1000, 1),
        "statuses": sorted(statuses),
        "previewed": previewed,
        "target_s": TEAMS_TARGET_S,
        "met": met,
        "measured": "server-side, in-process (django.test.Client)",
    }


def measure_register_ticks(data, client, programme, log) -> dict:
    from django.urls import NoReverseMatch, reverse

    from bookyourplace.bookings.models import Booking

    try:
        reverse("backoffice:register_tick", args=[1])
    except NoReverseMatch:
        log("register tick: the live register has no tick URL in this build; skipped")
        return {"skipped": "backoffice:register_tick does not exist"}
    today = data.now.astimezone(programme.tz).date()
    starts = datetime.combine(today, clock_time(9, 0), tzinfo=programme.tz)
    session = data.session(programme, "Live register at size", starts, capacity=REGISTER_PEOPLE + 50, online=False)
    data.bookings(session, REGISTER_PEOPLE, tag="RG")
    ids = list(Booking.objects.filter(session=session).order_by("pk").values_list("pk", flat=True))
    url = reverse("backoffice:register_tick", args=[session.pk])
    times, statuses = [], set()
    for n in range(TICKS):
        # Tick a person present, then undo the tick: every request changes something.
        booking = ids[(n // 2) % len(ids)]
        action = "present" if n % 2 == 0 else "undo"
        began = time.perf_counter()
        response = client.post(url, {"booking": booking, "action": action}, HTTP_ACCEPT="application/json", secure=True)
        times.append(time.perf_counter() - began)
        statuses.add(response.status_code)
    p50, p99 = _percentile(times, 0.5), _percentile(times, 0.99)
    met = statuses == {200} and p99 is not None and p99 * 1000 < TICK_TARGET_MS
    log(
        f"live register of {REGISTER_PEOPLE}: {TICKS} ticks and undos, p50 {p50 * 1000:.1f} ms, "
        f"p99 {p99 * 1000:.1f} ms, statuses {sorted(statuses)} (server-side, in-process; "
        f"target < {TICK_TARGET_MS:.0f} ms: {'met' if met else 'NOT MET'})"
    )
    return {
        "people": REGISTER_PEOPLE,
        "ticks": TICKS,
        "p50_ms": round(p50 * 1000, 2),
        "p99_ms": round(p99 * 1000, 2),
        "statuses": sorted(statuses),
        "target_ms": TICK_TARGET_MS,
        "met": met,
        "measured": "server-side, in-process (django.test.Client)",
    }


def measure_attendance(data, log) -> dict:
    programme = data.programme("bench-attendance", "Bench attendance")
    client = _client(programme)
    results = {}
    for name, measure in (("teams_import", measure_teams_import), ("register_tick", measure_register_ticks)):
        try:
            results[name] = measure(data, client, programme, log)
        except Exception as error:  # one part failing leaves the other's figures
            log(f"{name} failed: {error!r}")
            results[name] = {"error": repr(error)}
    return results
