"""Samplers: what a spot check can draw from. Each names its population as one query.

``population(tenant_id, params, cutoff)`` returns a SELECT of ``(id, org_id)`` rows: the
records of the tenant matching the criteria and created no later than ``cutoff``. The
engine orders them by id, so the same seed over the same population gives the same sample.
Domains (or this package, for the records it knows) register samplers with ``@sampler``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select

from app.extensions import db
from app.parsing import optional_date

Population = Callable[[int, dict, datetime], Select]


@dataclass(frozen=True)
class Sampler:
    kind: str
    title: Any  # lazy string
    population: Population
    tables: tuple[str, ...] = ()

    @property
    def available(self) -> bool:
        return all(name in db.metadata.tables for name in self.tables)


SAMPLERS: dict[str, Sampler] = {}


def sampler(kind: str, *, title, tables: tuple[str, ...] = ()) -> Callable[[Population], Population]:
    def register(fn: Population) -> Population:
        SAMPLERS[kind] = Sampler(kind, title, fn, tables)
        return fn

    return register


def available() -> dict[str, Sampler]:
    import importlib

    from app import domain_modules

    for name in domain_modules("samplers"):
        importlib.import_module(name)
    return {k: s for k, s in SAMPLERS.items() if s.available}


def period(params: dict) -> tuple[date | None, date | None]:
    return optional_date(params, "start"), optional_date(params, "end")
