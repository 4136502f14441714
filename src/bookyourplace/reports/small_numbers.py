"""Figures about fewer than five people are not given out.

A count of 1 to 4 (a small school's single attendee, two people from one team) could point
to who they are, so anything exported or printed shows "fewer than 5" instead; zero is
shown, as it points to nobody. On screen, to the organisers who may see the bookings
themselves, the exact figure may be shown.
"""

SMALLEST_SHOWN = 5
FEWER_THAN = "fewer than 5"


def is_small(count: int | None) -> bool:
    return count is not None and 0 < count < SMALLEST_SHOWN


def shown_count(count: int | None) -> int | str | None:
    """The count as it may be exported or printed: the number, or "fewer than 5"."""
    return FEWER_THAN if is_small(count) else count
