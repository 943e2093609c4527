"""No browser or proxy keeps a copy of the app's pages, exports or downloads.

Almost every dynamic response here holds someone's data: staff pages, exports and case
documents; a citizen's own results; the public tools' results, kept in the visitor's session;
survey and calendar links. So the rule is deny by default rather than a list of URLs that a
new page could miss: every response gets `Cache-Control: no-store` (with `private`, `no-cache`
and an expiry in the past, for old caches), except a response to a visitor who is not signed
in whose view chose its own caching. Static files never reach this middleware (WhiteNoise
serves them, long-cached, before it); the pages are cheap to render again.
"""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
