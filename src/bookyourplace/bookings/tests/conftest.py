"""Fixtures shared by the bookings app's tests: a clock reading, when the reminders tests'
sessions start, and a full session with people waiting (the waiting list's tests)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookyourplace.bookings.testing import book


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def starts():
    """When the reminders tests' sessions start: a month ahead, on the minute."""
    return (timezone.now() + timedelta(days=30)).replace(second=0, microsecond=0)


@pytest.fixture
def full_session(make_session, now):
    """One place, taken; three people waiting in the order they joined."""
    session = make_session(capacity=1)
    confirmed = book(session, "first@coventry.gov.uk", now=now)
    waiting = [book(session, f"wait{n}@coventry.gov.uk", now=now, waiting=True) for n in (1, 2, 3)]
    return session, confirmed, waiting
