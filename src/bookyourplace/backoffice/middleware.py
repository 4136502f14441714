"""Nothing the back office answers is kept by a browser or a proxy."""

from django.urls import reverse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Every response under the back office's address is `Cache-Control: no-store, private`.

    Its pages hold personal data (bookings, approvals, people, the audit log, exports), which
    must not stay in a shared computer's cache or a proxy after sign-out. Done here once, by
    address rather than per view, so it covers redirects, refusals, error pages and pages added
    later too; it sits at the top of the stack to see the responses other middleware makes.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        if self._prefix is None:
            self._prefix = reverse("backoffice:dashboard")
        # "/backoffice" too: the redirect to "/backoffice/" is the back office's answer.
        if request.path.startswith(self._prefix) or request.path == self._prefix.rstrip("/"):
            add_never_cache_headers(response)
        return response
