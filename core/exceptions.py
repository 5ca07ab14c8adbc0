"""The one domain exception: a rule of the domain refused the action. Bad input is Django's
``ValidationError`` and a missing right is Django's ``PermissionDenied``; all three are mapped to
the API's error format in ``core.api.errors`` and shown as messages in admin."""


class ApplicationError(Exception):
    """The request was understood but the state of things does not allow it (HTTP 409)."""

    def __init__(self, message: str, *, code: str = "conflict", details: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details or {}
