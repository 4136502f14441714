from bookyourplace.core.forms import GovukForm


class CancelBookingForm(GovukForm):
    """Only a button: the form exists for its CSRF token and a deliberate POST."""
