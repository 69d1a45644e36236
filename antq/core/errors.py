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
