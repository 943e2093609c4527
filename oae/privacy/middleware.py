"""Gives the audit trail its request context and records every permission denial."""

from django.core.exceptions import PermissionDenied

from oae.common.clientip import client_ip
from oae.privacy.services import RequestContext, audit_record, current_request


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(
            RequestContext(ip_address=client_ip(request), path=request.path)
        )
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            audit_record(
                action="access.denied",
                actor=request.user,
                details={"reason": str(exception) or "permission_denied", "method": request.method},
            )
        return None
