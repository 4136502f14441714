"""Rate limits: how often one client address, or one email address, may do a thing.

Limits are named in settings.BYP_RATE_LIMITS ("120/10s,1000/10m": every rate applies) and
switched off together with BYP_RATE_LIMITS=0. Faces guard a view with `limit_posts`; a domain
service asks `allows` before doing something it may quietly skip (the line manager's copy).

Counting: a sliding window estimated from two fixed ones (this window's count, plus the last
one's weighed by how much of it is still within reach), kept in the "rate_limits" cache and
raised with `cache.add` and `cache.incr` (both atomic on Redis and, within a process, on the
memory cache), so two requests at once never both pass as the last one allowed. Every allowed
attempt counts, whoever the key belongs to, so the answer never says whether an address has a
booking or an account; a refused one is taken back off (it did nothing). A cache that cannot be reached lets
requests through (logged): the limits guard against abuse, they must not take the site down.

Written here rather than with django-ratelimit: that needs a request for every check (the line
manager's copy is decided in a service, without one), its system check refuses the per-process
memory cache this project runs on by default, and it allows one rate per decorator.

This module sits at the bottom: it imports no domain app and no face.
"""

import contextlib
import logging
import math
import re
import time
from dataclasses import dataclass
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

CACHE_ALIAS = "rate_limits"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_SPARE_SECONDS = 600
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


@lru_cache(maxsize=64)
def parse(text: str) -> tuple[Rate, ...]:
    """'120/10s,1000/10m' -> two rates; '' or 'off' -> none (no limit)."""
    if text.strip().lower() in ("", "0", "off", "none"):
        return ()
    rates = []
    for part in text.split(","):
        match = _RATE.match(part)
        if match is None:
            raise ValueError(f"Not a rate limit: {part!r} (write it like 120/10s or 20/1h)")
        count, number, unit = match.groups()
        rates.append(Rate(count=int(count), seconds=int(number or 1) * _UNITS[unit]))
    return tuple(rates)


def _now() -> float:
    """The clock (tests replace it rather than sleep)."""
    return time.time()


def hit(limit: str, key: str | None) -> int:
    """Count one attempt at `limit` by `key` (an address); 0 when it is within the limit,
    otherwise the whole seconds until one more attempt would be."""
    if not key or not settings.BYP_RATE_LIMITS_ENABLED:
        return 0
    rates = parse(settings.BYP_RATE_LIMITS[limit])
    if not rates:
        return 0
    now = _now()
    # Hashed: no email address sits in the cache, and every key has the same short length.
    digest = salted_hmac("bookyourplace.core.rate_limits", key.strip().lower(), algorithm="sha256").hexdigest()[:32]
    cache = caches[CACHE_ALIAS]
    wait, refused, counted = 0.0, False, []
    for rate in rates:
        window = int(now // rate.seconds)
        elapsed = now / rate.seconds - window  # the part of this window gone, 0 to 1
        counter = f"rl:{limit}:{rate.seconds}:{window}:{digest}"
        try:
            # Each counter is read during the next window too (as the one before); a few
            # minutes more cost little and keep tests with a stopped clock honest.
            cache.add(counter, 0, timeout=2 * rate.seconds + _SPARE_SECONDS)
            try:
                count = cache.incr(counter)
            except ValueError:  # culled between add and incr
                count = 1
                cache.set(counter, count, timeout=2 * rate.seconds + _SPARE_SECONDS)
            counted.append(counter)
            before = cache.get(f"rl:{limit}:{rate.seconds}:{window - 1}:{digest}", 0)
        except Exception:
            logger.warning("Rate limit %s not checked: the cache cannot be reached", limit, exc_info=True)
            return 0
        # A sliding window, estimated from two fixed ones: the last window's count weighed by
        # how much of it still falls within one window's length of now. Unlike fixed windows
        # alone, twice the number cannot pass across a window's edge.
        if before * (1 - elapsed) + count > rate.count:
            refused = True
            # Counted without this attempt, which is taken back below.
            wait = max(wait, _seconds_until_allowed(rate, before, count - 1, elapsed))
            if _first_refusal(cache, counter, rate):
                logger.warning("Rate limit %s reached (%s/%ss) by %s", limit, rate.count, rate.seconds, digest[:8])
    if refused:
        _take_back(cache, counted)
    return max(1, math.ceil(wait)) if refused else 0


def _take_back(cache, counters: list[str]) -> None:
    """A refused attempt did nothing, so it is not counted: retrying does not push the wait
    further off, and someone posting another person's address holds it back for one window
    at most, not for as long as they keep going."""
    for counter in counters:
        # Expired meanwhile, or the cache went away: nothing to undo.
        with contextlib.suppress(Exception):
            cache.decr(counter)


def _first_refusal(cache, counter: str, rate: Rate) -> bool:
    """True once a window: a script refused a thousand times is logged once, not a thousand."""
    try:
        return cache.add(f"{counter}:told", 1, timeout=rate.seconds + _SPARE_SECONDS)
    except Exception:
        return True


def _seconds_until_allowed(rate: Rate, before: int, count: int, elapsed: float) -> float:
    """How long until one more attempt would be within `rate`, if none is made meanwhile."""
    if rate.count < 1:
        return rate.seconds
    room = rate.count - count - 1
    if before and room >= 0:
        # Later in this window, once enough of the last one has slid out.
        return (1 - room / before - elapsed) * rate.seconds
    # In the next window, once enough of this one has slid out.
    return (1 - elapsed + max(0.0, 1 - (rate.count - 1) / count)) * rate.seconds


def allows(limit: str, key: str | None) -> bool:
    """Count one attempt and say whether it is within the limit."""
    return hit(limit, key) == 0


def posted(field: str):
    """A key for `limit_posts`: the value posted in a form field (an email address)."""

    def key(request) -> str:
        return request.POST.get(field, "")

    return key


def limit_posts(*checks):
    """A view decorator: each POST counts once against every (limit name, key of the request)
    in `checks`; over any of them the answer is `too_many_requests`. Other methods (pages,
    which the cache answers) cost nothing."""

    def decorator(view):
        @wraps(view)
        def inner(request, *args, **kwargs):
            if request.method == "POST":
                wait = max([hit(limit, key(request)) for limit, key in checks], default=0)
                if wait:
                    return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return inner

    return decorator


def too_many_requests(request, wait_seconds: int):
    """429 with Retry-After and a page that says how long to wait, in whole minutes."""
    minutes = max(1, math.ceil(wait_seconds / 60))
    response = render(request, "429.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(wait_seconds)
    response["Cache-Control"] = "no-store"
    return response
