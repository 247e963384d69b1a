"""The export kinds. A domain registers one with ``@exporter`` (in its ``export_kinds.py``): a title, the formats it
can write, a ``validate(tenant, params) -> params`` that refuses bad requests before a job
is queued, and the builder ``build(job) -> None`` that writes ``job.path``. A kind whose files
hold personal data names the ``rule`` that asking for, seeing and downloading it need
(``export.read`` otherwise)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.tenancy.models import Tenant


class ExportError(ValueError):
    pass


Validator = Callable[[Tenant, dict], dict]


@dataclass(frozen=True)
class ExportKind:
    kind: str
    title: Any  # lazy string
    formats: tuple[str, ...]
    build: Callable[[Any], None]
    validate: Validator
    rule: str = "export.read"


KINDS: dict[str, ExportKind] = {}


def exporter(kind: str, *, title, formats: tuple[str, ...],
             validate: Validator | None = None, rule: str = "export.read") -> Callable:
    def register(fn: Callable[[Any], None]) -> Callable[[Any], None]:
        KINDS[kind] = ExportKind(kind, title, formats, fn, validate or (lambda t, p: {}), rule)
        return fn

    return register


def rule_for(kind: str) -> str:
    """The rule reading an export of this kind needs."""
    spec = kinds().get(kind)
    return spec.rule if spec is not None else "export.read"


def kinds() -> dict[str, ExportKind]:
    """Every export kind; each domain registers its own in ``app/<domain>/export_kinds.py``."""
    from app import domain_modules

    for name in domain_modules("export_kinds"):
        importlib.import_module(name)
    return KINDS


MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "xml": "application/xml",
    "json": "application/json",
    "beancount": "text/plain; charset=utf-8",
}
