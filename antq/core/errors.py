"""The error every service raises for bad input: the problems by field, nothing saved."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class RecordErrors(ValidationError):
    """Problems with a record, by field ('' for the whole record); nothing was saved."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(
            {field or "__all__": [message] for field, message in errors.items()},
            code="invalid_record",
        )


# SQLite's SQLITE_FULL; PostgreSQL's class 53 "insufficient resources": disk_full (53100).
_SQLITE_FULL = 13
_PG_DISK_FULL = "53100"


def storage_full(exc: BaseException | None) -> bool:
    """Whether an error (or one it was raised from) says the server's storage is full: an
    OSError ENOSPC/EDQUOT, SQLite's "database or disk is full", PostgreSQL's disk_full.
    The transaction it interrupted was rolled back: nothing of the request was saved."""
    import errno

    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if getattr(exc, "sqlite_errorcode", None) == _SQLITE_FULL:
            return True
        if getattr(exc, "sqlstate", None) == _PG_DISK_FULL:
            return True
        if "database or disk is full" in str(exc) or "No space left on device" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def master_key_missing(exc: BaseException | None) -> bool:
    """Whether an error (or one it was raised from) is the tips' master key missing or
    unusable (antq.core.keys.MasterKeyError): the operator's set-up is incomplete. The
    request saved nothing (the tip line seals before it writes)."""
    from antq.core.keys import MasterKeyError

    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, MasterKeyError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False
