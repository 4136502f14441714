"""A programme's web address (its slug): one asked for must be free, one made up is made free."""

from django.utils.text import slugify

from bookyourplace.programmes.errors import ProgrammeError
from bookyourplace.programmes.models import Programme

SLUG_MAX_LENGTH = Programme._meta.get_field("slug").max_length


def available_slug(*, slug: str | None, title: str, year: int) -> str:
    """A slug asked for must be free; one made from the title gets -2, -3... until it is."""
    if slug:
        if slugify(slug) != slug:
            raise ProgrammeError(
                f"The web address '{slug}' may only use lower-case letters, digits and hyphens.", field="slug"
            )
        if Programme.objects.filter(slug=slug).exists():
            raise ProgrammeError(f"The web address '{slug}' is already used by another programme.", field="slug")
        return slug
    suffix = f"-{year}"
    base = slugify(title)[: SLUG_MAX_LENGTH - len(suffix)].strip("-") or "programme"
    candidate, number = f"{base}{suffix}", 1
    while Programme.objects.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base}{suffix}-{number}"[:SLUG_MAX_LENGTH]
    return candidate
