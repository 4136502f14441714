"""Where the public pages are, and the joining link they must never show, for the public
face's tests."""

from django.urls import reverse

from bookyourplace.bookings.links import manage_token

SECRET_LINK = "https://teams.microsoft.com/l/meetup-join/secret-joining-link"


def book_url(session):
    return reverse("public:book", kwargs={"programme_slug": session.programme.slug, "session_id": session.pk})


def manage_url_for(booking):
    return reverse("public:manage", kwargs={"token": manage_token(booking)})
