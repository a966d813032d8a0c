"""Errors raised by services. Messages are catalog keys, translated by the UI."""

from __future__ import annotations


def _restored(cls: type, state: dict) -> ServiceError:
    exc = cls.__new__(cls)
    Exception.__init__(exc, state.get("key"))
    exc.__dict__.update(state)
    return exc


class ServiceError(Exception):
    """Base: a message key from the catalog plus its parameters."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __reduce__(self):
        """Pickled whole (key, parameters, field errors): a job process sends it back as it is."""
        return _restored, (type(self), self.__dict__)


class NotAllowed(ServiceError):
    """The user may not see or change this record (or it does not exist)."""

    def __init__(self, key: str = "err.not_allowed", **params: object) -> None:
        super().__init__(key, **params)


class AuthError(ServiceError):
    pass


class ValidationFailed(ServiceError):
    """One or more fields are wrong; ``errors`` maps a field to (key, params)."""

    def __init__(self, errors: dict[str, tuple[str, dict]]) -> None:
        super().__init__("err.form_invalid")
        self.errors = errors
