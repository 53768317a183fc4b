"""Domain errors of the cases app beyond config.exceptions."""

from rest_framework import status

from config.exceptions import ApplicationError

from .errors import CaseError


class NotPermitted(ApplicationError):
    """The user's role does not allow this change (RO-1), e.g. a caseworker setting the
    override of the maximum deduction rate. HTTP 403 with the field named."""

    code = CaseError.NOT_PERMITTED
    http_status = status.HTTP_403_FORBIDDEN
