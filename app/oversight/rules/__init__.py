"""The anomaly rule registry. Each rule is one set-based query that returns hits.

A rule module in this package registers its rules with ``@anomaly_rule``. A rule names
the tables it reads; where one of them does not exist in this installation the rule is
skipped, so the registry works whatever domains are present. A hit names its subject
(the de-duplication key), the organization, the evidence rows and message values.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.extensions import db
from app.tenancy.models import Tenant


@dataclass(frozen=True)
class Hit:
    subject_key: str
    org_id: int | None
    evidence: list[dict]
    details: dict = field(default_factory=dict)
    severity: str | None = None  # overrides the rule's default


@dataclass(frozen=True)
class ScanContext:
    tenant: Tenant
    now: datetime

    @property
    def tenant_id(self) -> int:
        return self.tenant.id

    def setting(self, key: str) -> Any:
        return self.tenant.setting(key)


RuleFn = Callable[[ScanContext], Iterable[Hit]]


@dataclass(frozen=True)
class AnomalyRule:
    code: str
    title: Any  # lazy string
    message: Any  # lazy string with %(name)s placeholders filled from a hit's details
    severity: str
    run: RuleFn
    tables: tuple[str, ...] = ()
    #: Words for coded detail values: {"match": {"name": _l("same name"), ...}}.
    value_labels: dict = field(default_factory=dict)

    @property
    def available(self) -> bool:
        return all(name in db.metadata.tables for name in self.tables)

    def describe(self, details: dict) -> str:
        values = {k: (str(self.value_labels[k].get(v, v)) if k in self.value_labels else v)
                  for k, v in (details or {}).items()}
        try:
            return str(self.message) % values
        except (KeyError, TypeError, ValueError):
            return str(self.title)


RULES: dict[str, AnomalyRule] = {}
_loaded = False


def anomaly_rule(code: str, *, title, message, severity: str, tables: tuple[str, ...] = (),
                 value_labels: dict | None = None) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        if code in RULES and RULES[code].run is not fn:
            raise RuntimeError(f"anomaly rule {code!r} registered twice")
        RULES[code] = AnomalyRule(code, title, message, severity, fn, tables,
                                  value_labels or {})
        return fn

    return register


def all_rules() -> dict[str, AnomalyRule]:
    """Every registered rule (importing the rule modules once)."""
    global _loaded
    if not _loaded:
        for module in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{module.name}")
        _loaded = True
    return RULES


def active_rules() -> list[AnomalyRule]:
    return [r for r in all_rules().values() if r.available]


def get_rule(code: str) -> AnomalyRule | None:
    return all_rules().get(code)
