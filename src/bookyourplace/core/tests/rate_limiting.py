"""Fixtures for tests of the rate limits: the limits on, with their real defaults, and a clock
the test moves instead of sleeping."""

import pytest
from django.core.cache import caches

from bookyourplace.core import rate_limits

# A moment well inside a 10-second, 10-minute and one-hour window, so no test starts at an edge.
START = 1_800_000_000.0 + 3 * 60 + 3.3


class Clock:
    def __init__(self, now: float = START):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(rate_limits, "_now", clock)
    return clock


@pytest.fixture
def rate_limits_on(settings, clock):
    """The limits on, as in production (the test settings switch them off), counting afresh."""
    settings.BYP_RATE_LIMITS_ENABLED = True
    caches[rate_limits.CACHE_ALIAS].clear()
    yield clock
    caches[rate_limits.CACHE_ALIAS].clear()
