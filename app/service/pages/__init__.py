"""Route modules of the ``service`` blueprint (see ``app.service.views``)."""

from __future__ import annotations

from datetime import datetime

from app.service.hours import SHANGHAI


def aware(local: datetime | None) -> datetime | None:
    """A naive Shanghai wall-clock time from a form → an aware datetime."""
    return local.replace(tzinfo=SHANGHAI) if local is not None else None


def local_input(moment: datetime | None) -> datetime | None:
    """An aware datetime → the naive Shanghai wall-clock time a form field shows."""
    return moment.astimezone(SHANGHAI).replace(tzinfo=None) if moment is not None else None
