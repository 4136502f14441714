"""The one way a domain rule says no.

Every service raises a DomainError (or a subclass named for the rule) whose message is written
for the person who asked, with the form field it is about when there is one. Each face turns
it into its own form: a GOV.UK error summary on a page, problem JSON in the API, a line on the
command line. Shared code: it imports no domain app.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refusal fit to show as it is. ``field`` names the form field it is about, if any."""

    message = _("Sorry, that could not be done.")
    field: str | None = None

    def __init__(self, message=None, *, field: str | None = None):
        self.message = message or self.message
        if field is not None:
            self.field = field
        super().__init__(self.message)
