"""The errors of Tandem, each mapped to an HTTP status in one place (`TandemError.status`)."""

from __future__ import annotations


class TandemError(Exception):
    """Base of every error Tandem raises on purpose."""

    status = 500
    code = "internal_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def to_body(self) -> dict[str, dict[str, str]]:
        """The contract's JSON error body."""
        body = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        return {"error": body}


class BadRequestError(TandemError):
    """The client sent something invalid; `field` names what."""

    status = 400
    code = "bad_request"


class UnauthorizedError(TandemError):
    """Missing or invalid credentials."""

    status = 401
    code = "unauthorized"


class ForbiddenError(TandemError):
    """Credentials present but not accepted (e.g. a bad provider signature)."""

    status = 403
    code = "forbidden"


class NotFoundError(TandemError):
    """The thing asked for does not exist."""

    status = 404
    code = "not_found"


class ConflictError(TandemError):
    """The request conflicts with the current state."""

    status = 409
    code = "conflict"


class PayloadTooLargeError(TandemError):
    """The body is larger than we accept."""

    status = 413
    code = "payload_too_large"


class TransientError(TandemError):
    """A dependency failed in a way worth retrying (throttling, 5xx, timeout): retry via the queue."""

    status = 503
    code = "temporarily_unavailable"


class PermanentSendError(TandemError):
    """A provider refused a send for good (opted out, invalid number): record it, do not retry."""

    status = 502
    code = "send_refused"

    def __init__(self, message: str, *, provider_code: str | None = None) -> None:
        super().__init__(message)
        self.provider_code = provider_code
