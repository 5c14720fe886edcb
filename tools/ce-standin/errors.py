"""AWS JSON 1.1 error responses.

botocore (and therefore the AWS CLI) reads the error code from ``__type`` (anything up to a
``#`` is a namespace and is dropped) and the message from ``message`` *or* ``Message``.
Real AWS uses both spellings: authentication errors produced by the AWS front end use
``message``, errors modelled by the service (ValidationException, LimitExceededException,
...) use ``Message``. The stand-in reproduces that so clients must handle both.
"""

from __future__ import annotations


class ApiError(Exception):
    """An error answered as ``HTTP <status>`` with ``{"__type": code, "Message": msg}``."""

    def __init__(self, code: str, message: str, status: int = 400, *,
                 lowercase_message: bool = False):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.lowercase_message = lowercase_message

    def body(self) -> dict:
        return {"__type": self.code,
                ("message" if self.lowercase_message else "Message"): self.message}


def validation(message: str) -> ApiError:
    return ApiError("ValidationException", message)


def auth_error(code: str, message: str, status: int = 400) -> ApiError:
    return ApiError(code, message, status, lowercase_message=True)


# Bodies for the "status" fault: what AWS answers with for common 5xx statuses.
STATUS_ERRORS = {
    500: ("InternalFailure",
          "The request processing has failed because of an unknown error, exception or failure."),
    502: ("BadGateway", "Bad Gateway"),
    503: ("ServiceUnavailableException", "Service Unavailable"),
    504: ("GatewayTimeoutException", "Gateway Timeout"),
    400: ("BadRequestException", "Bad Request"),
    403: ("AccessDeniedException", "Access Denied"),
    429: ("ThrottlingException", "Rate exceeded"),
}


def status_error(status: int) -> ApiError:
    code, message = STATUS_ERRORS.get(status, ("ServiceError", f"HTTP {status}"))
    return ApiError(code, message, status)
