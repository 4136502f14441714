"""The API against its own OpenAPI document, with schemathesis: every operation with generated
requests, valid and not, through the WSGI application, with a token holding every scope and real
data behind it. No answer may be a server error, and every answer (problems included) must be
one the document declares, in its status, content type, headers and shape.

The path parameters are pinned to real rows (a published programme, a session with bookings,
one booking), so most requests reach real data rather than a 404; everything else is generated.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from bookyourplace.accounts.api_tokens import hash_token
from bookyourplace.accounts.models import ApiToken
from bookyourplace.api.endpoints import api
from bookyourplace.api.testing import ALL_SCOPES
from bookyourplace.bookings import testing as bookings_testing
from bookyourplace.bookings.models import Booking
from bookyourplace.feedback import testing as feedback_testing
from bookyourplace.programmes.models import Question

# Bounded, so the whole run takes a minute or two; the same examples every run.
MAX_EXAMPLES = 60


# Real rows at ids fixed in advance, for the path parameters to name.
SESSION_ID = 7001
REFERENCE = "BYP-7001A"
# The token schemathesis sends (and leaves out, or spoils, to see it refused): every scope.
TOKEN = "byp_schemathesis-test-token-with-every-scope-0123456789"
SLUG = "coventry-prevent-week"

CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "parameters": {"session_id": SESSION_ID, "slug": SLUG, "reference": REFERENCE},
        "auth": {"openapi": {"BearerToken": {"bearer": TOKEN}}},
        "checks": {
            # Valid by the document yet refused with 422: a booking's answers depend on the
            # questions the session asks, and its fields are checked by the booking form's own
            # rules (a real email address, a name that is not only spaces), which no schema can
            # say in full. Any other answer to valid data must be a success or a refusal.
            "positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]},
        },
    }
)

# The document as /api/openapi.json serves it, and the application answering on "testserver".
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema())), config=CONFIG)
schema.app = get_wsgi_application()
schema.location = "/api/openapi.json"


@pytest.fixture
def real_data(db, organiser, programme, make_session):
    """A token with every scope; a session with bookings and a question, one that has ended with
    attendance and feedback, one full with a waiting list."""
    assert programme.slug == SLUG
    session = make_session(pk=SESSION_ID, capacity=30)
    booked = bookings_testing.book_people(session, bookings_testing.numbered_people(6))
    Booking.objects.filter(pk=booked[0].pk).update(reference=REFERENCE)
    Question.objects.create(
        programme=programme, kind=Question.Kind.YES_NO, label="Do you work with children?", required=False
    )
    ended = make_session(title="Last week")
    came = bookings_testing.book(ended, "came@example.org")
    bookings_testing.end_session(ended)
    feedback_testing.mark(came)
    feedback_testing.answer(came, satisfaction=5, before=2, after=4)
    full = make_session(title="Full", capacity=1)
    bookings_testing.book(full, "first@example.org")
    bookings_testing.book(full, "second@example.org", waiting=True)
    # The WSGI application closes the database connection after each request, as in production;
    # here that connection holds the test's transaction, so (as Django's test client does) not.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    ApiToken.objects.create(
        organiser=organiser, name="schemathesis", prefix=TOKEN[:10], token_hash=hash_token(TOKEN), scopes=ALL_SCOPES
    )
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.parametrize()
# The rows are made once for all of an operation's examples: what one request changes (a booking
# made, one cancelled) the next one sees, as a real integration's requests do.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_keeps_to_its_document(case, real_data):
    case.call_and_validate(base_url="http://testserver")
