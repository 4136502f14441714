"""Who writes each email: the app that queued it.

Delivery sends outbox rows without knowing what they are about. An app that queues email
about its own things (bookings, say) registers, once, when Django starts (its AppConfig's
``ready``), how to load those things for a batch and how to write one email about one of
them. The worker calls back here when it sends, so every email says what is true at that
moment: the place still held, the joining link still allowed.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db.models import Model

from bookyourplace.notifications.models import Email


@dataclass(frozen=True)
class Composer:
    # The things with these ids, by id, in a few queries whatever the batch size.
    load: Callable[[list[int]], dict[int, Any]]
    # The message for this email about this thing; None when it is no longer wanted
    # (a reminder for a booking cancelled since), which the worker marks skipped.
    compose: Callable[[Email, Any], EmailMessage | None]
    # The organisation (its id) whose sending settings apply to emails about this thing:
    # its SMTP or its GOV.UK Notify (notify.py). None: the install's SMTP server.
    organiser_of: Callable[[Any], int | None] | None = None


_composers: dict[type[Model], Composer] = {}
# Emails of one kind about another app's things (a feedback request about a booking): that
# app writes them, with the owner's loader.
_kind_composers: dict[tuple[type[Model], str], Composer] = {}


def register_composer(model: type[Model], composer: Composer, *, kinds: Iterable[str] = ()) -> None:
    """Say how emails about ``model`` are written: all of them, or only those of ``kinds``."""
    if not kinds:
        _composers[model] = composer
    for kind in kinds:
        _kind_composers[model, kind] = composer


def composer_for(about_type_id: int, kind: str = "") -> Composer:
    model = ContentType.objects.get_for_id(about_type_id).model_class()
    try:
        return _kind_composers[model, kind]
    except KeyError:
        pass
    try:
        return _composers[model]
    except KeyError:
        for (kind_model, _kind), composer in _kind_composers.items():
            if kind_model is model:
                return composer
        raise LookupError(f"No app registered how to write email about {model!r}") from None


def load_about(emails: Iterable[Email]) -> dict[tuple[int, int], Any]:
    """What each email is about, keyed by (about_type_id, about_id): one load per kind of thing."""
    ids_by_type: dict[int, list[int]] = defaultdict(list)
    for email in emails:
        ids_by_type[email.about_type_id].append(email.about_id)
    found = {}
    for about_type_id, ids in ids_by_type.items():
        try:
            composer = composer_for(about_type_id)
        except LookupError:
            continue  # each of those emails fails alone, saying why, when it is written
        for about_id, thing in composer.load(ids).items():
            found[about_type_id, about_id] = thing
    return found


def compose(email: Email, about: Any) -> EmailMessage | None:
    """The message for this email; None if it is no longer wanted, or what it was about has
    gone since it was queued (an erased booking)."""
    composer = composer_for(email.about_type_id, email.kind)
    if about is None:
        return None
    return composer.compose(email, about)


def organiser_id_of(email: Email, about: Any) -> int | None:
    """The organisation whose sending settings this email follows, if its app says."""
    if about is None:
        return None
    try:
        composer = composer_for(email.about_type_id, email.kind)
    except LookupError:
        return None
    if composer.organiser_of is None:
        model = type(about)
        composer = _composers.get(model, composer)
    return composer.organiser_of(about) if composer.organiser_of is not None else None
