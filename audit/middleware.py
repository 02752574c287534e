"""Keeps the request being served where `audit.services.record` finds it (a context variable), so a
service deep down records the person's address and client without being handed the request."""

from .services import context


class AuditContextMiddleware:
    """Place after AuthenticationMiddleware (MIDDLEWARE in settings), so request.user is there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.set_request(request)
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
