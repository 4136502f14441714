from django.utils.translation import gettext_lazy as _

from bookyourplace.core.errors import DomainError


class NotAttended(DomainError):
    message = _("Only people who attended the session can give feedback on it.")


class SurveyNotOpen(DomainError):
    message = _("The survey opens when the session starts.")


class SurveyClosed(DomainError):
    message = _("This survey has closed.")


class InvalidAnswer(DomainError):
    """An answer that cannot be kept; ``field`` names the question's form field."""


class InvalidQuestion(DomainError):
    """A change to the survey's questions that would break it."""
