"""How a monthly report reads: the snapshot's numbers with the words for them, the money
figures in the order every page shows them (``funding.figures``), and the month's change."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.funding.figures import ContractFigures
from app.monthly.figures import MONEY_KEYS, SERVICE_KEYS, change
from app.monthly.models import MonthlyReport

SERVICE_WORDS = {
    "hours": _l("Verified service hours"), "volunteers": _l("Volunteers"),
    "people_served": _l("People served"), "satisfaction": _l("Average satisfaction"),
    "ratings": _l("Ratings given"), "complaints_received": _l("Complaints received"),
    "complaints_answered": _l("Complaints answered"), "needs_met": _l("Needs met"),
}
MONTH_WORDS = {
    "opening": _l("Balance at the start of the month"), "received": _l("Received in the month"),
    "spent": _l("Spent in the month"), "returned": _l("Returned in the month"),
    "closing": _l("Balance at the end of the month"),
}


@dataclass
class ServiceLine:
    key: str
    label: str
    value: object
    before: object
    change: str


@dataclass
class ContractLine:
    number: str
    title: str
    org: str
    term: str
    month: dict[str, int]
    figures: ContractFigures


def service_lines(report: MonthlyReport) -> list[ServiceLine]:
    now, before = report.figures["service"], report.figures.get("previous") or {}
    return [ServiceLine(key, str(SERVICE_WORDS[key]), now.get(key), before.get(key),
                        change(now.get(key), before.get(key))) for key in SERVICE_KEYS]


def month_lines(month: dict[str, int]) -> list[tuple[str, str, int]]:
    return [(key, str(MONTH_WORDS[key]), int(month.get(key, 0))) for key in MONEY_KEYS]


def _figures(values: dict) -> ContractFigures:
    return ContractFigures(**{k: int(values.get(k, 0)) for k in
                              ("amount", "disbursed", "spent", "pending", "held", "refunded")})


def contracts(report: MonthlyReport) -> list[ContractLine]:
    return [ContractLine(c["number"], c["title"], c["org"], f"{c['starts_on']} – {c['ends_on']}",
                         c["month"], _figures(c["figures"])) for c in report.figures["contracts"]]


def totals(report: MonthlyReport) -> ContractFigures:
    return _figures(report.figures.get("figures") or {})


def title(report: MonthlyReport) -> str:
    from flask_babel import gettext as _

    month = f"{report.month:02d}"
    return _("%(who)s · monthly report for %(year)s-%(month)s", who=report.subject,
             year=report.year, month=month)
