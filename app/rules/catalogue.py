"""The district's rules (规则) as people read them: for each tenant setting, its plain name, what
it does, how a new value is typed and checked, and whether it is a *money rule* — one that
moves or releases money and so takes a second bureau officer's approval before it counts.

This is the one place that says which rules are money rules (``MONEY_RULES``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.inbound import text_problem
from app.money import MoneyError, format_fen, parse_fen, parse_percent
from app.templating import joined

#: Kinds of value, each with its own way of being typed and said.
AMOUNT, AMOUNTS, COUNT, COUNTS, OPTIONAL_COUNT, WORDS, SHARE, BY_URGENCY, LADDER, CHOICE = (
    "amount", "amounts", "count", "counts", "optional_count", "words", "share", "by_urgency",
    "ladder", "choice")

URGENCIES = ("urgent", "soon", "routine")
#: Between values: 、 ， ; or spaces, and a comma unless it groups thousands ("8,000").
_SPLIT = re.compile(r"(?:[，、;；\s]|,(?!\d{3}(?:\D|$)))+")
_WORD_SPLIT = re.compile(r"[\n,，、;；]+")
WORD_MAX, WORDS_MAX = 20, 30


class RuleError(ValueError):
    """A refused change, with a message for the person and an HTTP status."""

    def __init__(self, message, status: int = 422):
        super().__init__(str(message))
        self.status = status


@dataclass(frozen=True)
class RuleSpec:
    key: str
    name: Any  # lazy text
    explanation: Any
    kind: str
    group: str
    money: bool = False
    public: bool = False
    low: int = 0
    high: int = 0
    unit: Any = None  # "%(n)s days"
    size: tuple[int, int] = (1, 1)  # how many values a list holds, at least and at most
    choices: tuple[tuple[str, Any], ...] = ()  # a choice's (stored code, words) pairs


#: The sections of the settings page, in order.
GROUPS = {
    "spending": _l("Approving spending"), "incentives": _l("Points and stars"),
    "funding": _l("Public notice and contracts"), "service": _l("Service records and needs"),
    "lists": _l("Categories"), "grassroots": _l("Filed community groups"),
    "oversight": _l("Books and anomaly checks"),
}

_DAYS, _HOURS, _MINUTES = _l("%(n)s days"), _l("%(n)s hours"), _l("%(n)s minutes")
_POINTS, _WORKING_DAYS, _TIMES = _l("%(n)s points"), _l("%(n)s working days"), _l("%(n)s times as many")

CATALOGUE: dict[str, RuleSpec] = {s.key: s for s in (
    RuleSpec("approval_tiers_fen", _l("Approval tiers for spending"), _l(
        "Where each tier of spending begins, lowest first; what each tier takes before it is "
        "final is the next rule."), AMOUNTS, "spending", money=True, public=True, size=(1, 8)),
    RuleSpec("approval_steps", _l("Steps of each approval tier"), _l(
        "What spending of each tier takes before it is final, one line per tier from the "
        "lowest: the organization's approval always, and any of the bureau's approval, a "
        "residents' assembly decision, a procurement record (three quotes or a tender) and a "
        "second bureau officer's approval."), LADDER, "spending", money=True, public=True,
        size=(1, 9)),
    RuleSpec("petty_cash_cap_fen", _l("Petty-cash limit"), _l(
        "Cash payments above this amount are refused; larger payments go by bank transfer."),
        AMOUNT, "spending", money=True, public=True),
    RuleSpec("overseer_scope", _l("What the resident overseers review"), _l(
        "Every expenditure, or only those from the threshold in the next rule up. Spending they "
        "review is shown to them once approved, with its receipts; they sign it off or object, "
        "and an objection holds it until the bureau answers."), CHOICE, "spending", money=True,
        public=True, choices=(("all", _l("Every expenditure")),
                              ("threshold", _l("Only from the threshold up")))),
    RuleSpec("overseer_threshold_fen", _l("Spending shown to the resident overseers"), _l(
        "When the overseers review only larger spending: from this amount up, an approved "
        "expenditure is shown to them, and they may object before it is final."), AMOUNT,
        "spending", money=True, public=True),
    RuleSpec("overseer_window_days", _l("Days the overseers may object"), _l(
        "How long resident overseers have to object to such an expenditure."), COUNT,
        "spending", public=True, low=1, high=30, unit=_DAYS),
    RuleSpec("points_per_hour", _l("Points per verified hour"), _l(
        "Points a volunteer earns for each verified hour of service. Points are recognition "
        "redeemed in kind, never wages."), COUNT, "incentives", money=True, public=True,
        low=0, high=100, unit=_POINTS),
    RuleSpec("points_cap_per_activity", _l("Most points for one activity"), _l(
        "The most points one activity can earn a volunteer; leave it empty for no limit."),
        OPTIONAL_COUNT, "incentives", money=True, public=True, low=1, high=1000, unit=_POINTS),
    RuleSpec("point_value_fen", _l("Value of one point"), _l(
        "What one point is worth when redeemed at a partner merchant or charity store; the "
        "organization settles it with the merchant from its incentive budget."), AMOUNT,
        "incentives", money=True, public=True),
    RuleSpec("incentive_mode", _l("How verified hours are thanked"), _l(
        "Points redeemed in kind, time credits in the time bank (serve now, be served later), "
        "or both. Either way volunteer service stays unpaid."), CHOICE, "incentives",
        money=True, public=True, choices=(
            ("points", _l("Points only")), ("time_bank", _l("Time bank only")),
            ("both", _l("Points and time bank")))),
    RuleSpec("time_bank_cap_hours", _l("Most time credits one person keeps"), _l(
        "Verified hours above this balance are given to the community pool of the time bank "
        "instead, for residents who need help."), COUNT, "incentives", public=True, low=1,
        high=100_000, unit=_HOURS),
    RuleSpec("star_thresholds", _l("Hours for each star level"), _l(
        "Verified hours a volunteer needs for one star, two stars and so on up to five, "
        "lowest first."), COUNTS, "incentives", public=True, low=1, high=100_000, unit=_HOURS,
        size=(5, 5)),
    RuleSpec("notice_days", _l("Public notice period"), _l(
        "Days a proposed award stays under public notice, open to objections from anyone, "
        "before its contract may be signed."), COUNT, "funding", public=True, low=5, high=60,
        unit=_DAYS),
    RuleSpec("contract_max_term_days", _l("Longest contract term"), _l(
        "The longest a purchased-service contract may run: normally one year, at most three "
        "for a stable recurring service."), COUNT, "funding", public=True, low=30, high=1096,
        unit=_DAYS),
    RuleSpec("budget_lines", _l("Budget lines"), _l(
        "The lines applications and contracts divide their budget into."), WORDS, "funding",
        size=(1, WORDS_MAX)),
    RuleSpec("record_deadline_working_days", _l("Time to record service"), _l(
        "Working days after an activity within which its service records are made."), COUNT,
        "service", low=1, high=60, unit=_WORKING_DAYS),
    RuleSpec("need_deadline_days", _l("Time to meet a need, by urgency"), _l(
        "Days an urgent, a fairly urgent and a routine need may wait before it is overdue and "
        "goes up to the community, the street and the bureau."), BY_URGENCY, "service", low=1,
        high=365, unit=_DAYS),
    RuleSpec("need_reminder_share", _l("When to remind of a need's deadline"), _l(
        "Whoever holds an unmet need (or the organizations it waits for) is reminded once only "
        "this share of its time is left."), SHARE, "service"),
    RuleSpec("need_escalation_step_days", _l("Days between steps of a late need"), _l(
        "A late need goes first to the staff in charge of its community; after this many days "
        "without being met, to the street's, then to the bureau."), COUNT, "service", low=0,
        high=30, unit=_DAYS),
    RuleSpec("attendance_confirm_days", _l("Time to confirm being served"), _l(
        "Days after a service in which a resident may still confirm from their bookings that "
        "they received it."), COUNT, "service", low=1, high=30, unit=_DAYS),
    RuleSpec("shift_notices_per_day", _l("Notices of shifts that suit a volunteer"), _l(
        "At most this many messages a day to a volunteer who asked to be told when a shift "
        "that suits them opens."), COUNT, "service", low=1, high=20, unit=_l("%(n)s a day")),
    RuleSpec("community_notices_per_area_per_day", _l("Community notices to an area"), _l(
        "At most this many community notices a day to the residents of one area; more are "
        "refused until the next day."), COUNT, "service", low=1, high=20,
        unit=_l("%(n)s a day")),
    RuleSpec("complaint_answer_days", _l("Time to answer a complaint"), _l(
        "Working days within which a complaint is answered, counted again when the resident "
        "asks for it to be handled again; past it, the complaint goes up to the community, the "
        "street and the bureau."), COUNT, "service", low=1, high=60, unit=_WORKING_DAYS),
    RuleSpec("complaint_escalation_step_days", _l("Days between steps of a late complaint"), _l(
        "A complaint late or reopened goes first to the staff in charge of its community; after "
        "this many days without an answer, to the street's, then to the bureau."), COUNT,
        "service", low=0, high=30, unit=_DAYS),
    RuleSpec("org_kinds", _l("Kinds of organization"), _l(
        "The kinds an organization chooses from when it registers."), WORDS, "lists",
        size=(1, WORDS_MAX)),
    RuleSpec("service_categories", _l("Service categories"), _l(
        "The categories projects, needs and volunteers' skills are filed under."), WORDS,
        "lists", size=(1, WORDS_MAX)),
    RuleSpec("target_groups", _l("Target groups"), _l(
        "The groups of residents a project or a need can be for."), WORDS, "lists",
        size=(1, WORDS_MAX)),
    RuleSpec("filed_group_projects", _l("Projects of filed community groups"), _l(
        "Whether a community group filed with the street (备案, without a credit code) may "
        "publish projects itself once the bureau has verified it."), CHOICE, "grassroots",
        public=True, choices=(("yes", _l("Filed groups may publish projects")),
                              ("no", _l("Only registered organizations publish projects")))),
    RuleSpec("filed_group_grants", _l("Funding for filed community groups"), _l(
        "Whether a filed group may receive small grants; the money is paid to its sponsoring "
        "hub or incubator organization, which keeps the books for it."), CHOICE, "grassroots",
        money=True, public=True, choices=(
            ("through_sponsor", _l("Small grants, paid through the sponsor")),
            ("none", _l("No grants to filed groups")))),
    RuleSpec("filed_group_grant_cap_fen", _l("Largest small grant to a filed group"), _l(
        "The most one award or contract to a filed group may be; more than this goes to a "
        "registered organization."), AMOUNT, "grassroots", money=True, public=True),
    RuleSpec("ledger_month_close_grace_days", _l("Days before a month's books close"), _l(
        "A month's books close this many days into the next month, so late vouchers still land "
        "in their month."), COUNT, "oversight", low=0, high=28, unit=_DAYS),
    RuleSpec("anomaly_checkin_tolerance_minutes", _l("Check-in tolerance"), _l(
        "A check-in further than this outside its shift is flagged for a look."), COUNT,
        "oversight", low=0, high=24 * 60, unit=_MINUTES),
    RuleSpec("anomaly_staff_share", _l("Share of hours typed in by staff"), _l(
        "An organization whose share of hours typed in by staff is above this is flagged."),
        SHARE, "oversight"),
    RuleSpec("anomaly_visit_denial_share", _l("Share of return visits denying the service"), _l(
        "A service is flagged when, among the residents reached on return visits, more than "
        "this share say they were not served (0: any one denial)."), SHARE, "oversight"),
    RuleSpec("anomaly_min_hours", _l("Hours before shares are checked"), _l(
        "Shares and jumps are checked only for organizations with at least this many hours."),
        COUNT, "oversight", low=0, high=10_000, unit=_HOURS),
    RuleSpec("anomaly_split_window_days", _l("Days in which purchases are added up"), _l(
        "Purchases from one payee within this many days are added up, to find one purchase "
        "split to stay below an approval tier."), COUNT, "oversight", low=1, high=90,
        unit=_DAYS),
    RuleSpec("anomaly_jump_factor", _l("Jump in hours that is flagged"), _l(
        "A month with this many times the hours of the month before is flagged."), COUNT,
        "oversight", low=2, high=100, unit=_TIMES),
)}

#: The rules that take a second bureau officer's approval.
MONEY_RULES = frozenset(key for key, spec in CATALOGUE.items() if spec.money)
#: The rules the public page 资金和激励规则 shows.
PUBLIC_RULES = tuple(key for key, spec in CATALOGUE.items() if spec.public)


def spec_of(key: str) -> RuleSpec:
    spec = CATALOGUE.get(key)
    if spec is None:
        raise RuleError(_("There is no rule of that name."), 404)
    return spec


def _count(spec: RuleSpec, text: str) -> int:
    raw = unicodedata.normalize("NFKC", text).strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 7:
        raise RuleError(_("Enter a whole number from %(low)s to %(high)s.", low=spec.low,
                          high=spec.high))
    value = int(raw)
    if not spec.low <= value <= spec.high:
        raise RuleError(_("Enter a whole number from %(low)s to %(high)s.", low=spec.low,
                          high=spec.high))
    return value


def _parts(text: str, pattern: re.Pattern, spec: RuleSpec) -> list[str]:
    parts = [p.strip() for p in pattern.split(unicodedata.normalize("NFKC", text)) if p.strip()]
    low, high = spec.size
    if not low <= len(parts) <= high:
        raise RuleError(_("Give from %(low)s to %(high)s values.", low=low, high=high)
                        if low != high else _("Give exactly %(n)s values.", n=low))
    return parts


def _ascending(values: list[int]) -> list[int]:
    if any(b <= a for a, b in zip(values, values[1:], strict=False)):
        raise RuleError(_("List the values from lowest to highest, each higher than the one "
                          "before."))
    return values


def parse(spec: RuleSpec, text: object) -> Any:
    """The value typed for ``spec`` as stored, or a ``RuleError`` saying what is wrong."""
    text = text if isinstance(text, str) else ""
    if problem := text_problem(text):
        raise RuleError(problem)
    if len(text) > 2000:
        raise RuleError(_("That is not a value this rule can take."))
    try:
        if spec.kind == AMOUNT:
            return parse_fen(text)
        if spec.kind == AMOUNTS:
            return _ascending([parse_fen(part.removeprefix("¥"))
                               for part in _parts(text, _SPLIT, spec)])
        if spec.kind == SHARE:
            return parse_percent(text) / 10_000
    except MoneyError as exc:
        raise RuleError(exc) from None
    if spec.kind == CHOICE:
        return _choice(spec, text)
    if spec.kind == COUNT:
        return _count(spec, text)
    if spec.kind == OPTIONAL_COUNT:
        return _count(spec, text) if text.strip() else None
    if spec.kind == COUNTS:
        return _ascending([_count(spec, part) for part in _parts(text, _SPLIT, spec)])
    if spec.kind == BY_URGENCY:
        days = [_count(spec, part) for part in _parts(text, _SPLIT, RuleSpec(
            "", "", "", COUNTS, "", size=(3, 3)))]
        if not days[0] <= days[1] <= days[2]:
            raise RuleError(_("An urgent need cannot wait longer than a less urgent one."))
        return dict(zip(URGENCIES, days, strict=True))
    if spec.kind == LADDER:
        return _ladder(spec, text)
    if spec.kind == CHOICE:
        return _choice(spec, text)
    words = _parts(text, _WORD_SPLIT, spec)
    if any(len(word) > WORD_MAX for word in words):
        raise RuleError(_("Keep each entry to %(n)s characters.", n=WORD_MAX))
    if len(set(words)) != len(words):
        raise RuleError(_("Each entry may appear only once."))
    return words


def _choice(spec: RuleSpec, text: str) -> str:
    said = unicodedata.normalize("NFKC", text).strip()
    for code, label in spec.choices:
        if said in (code, unicodedata.normalize("NFKC", str(label))):
            return code
    raise RuleError(_("Type one of: %(choices)s.",
                      choices=joined(str(label) for _code, label in spec.choices)))


def _step_names() -> dict[str, str]:
    from app.funding.ladder import STEPS

    names = {code: code for code in STEPS}
    names.update({str(word): code for code, word in STEPS.items()})
    return names


def _ladder(spec: RuleSpec, text: str) -> list[list[str]]:
    from app.funding.ladder import ORG, STEPS

    names, rungs = _step_names(), []
    # One tier a line; on a command line, tiers separated by "|".
    lines = [line for line in re.split(r"[\r\n|]+", unicodedata.normalize("NFKC", text))
             if line.strip()]
    low, high = spec.size
    if not low <= len(lines) <= high:
        raise RuleError(_("Give from %(low)s to %(high)s lines, one per tier.", low=low,
                          high=high))
    for line in lines:
        steps = {names.get(part.strip()) for part in re.split(r"[,，、;；+]+", line)
                 if part.strip()}
        if None in steps:
            raise RuleError(_("Name each step as the list shows it: %(steps)s.",
                              steps=joined(str(w) for w in STEPS.values())))
        if ORG not in steps:
            raise RuleError(_("Every tier starts with the organization's approval."))
        rungs.append([code for code in STEPS if code in steps])
    return rungs


def _n(unit, n) -> str:
    return str(unit) % {"n": n} if unit else str(n)


def words(spec: RuleSpec, value: Any) -> str:
    """The value as a person reads it: amounts in yuan, days with their unit."""
    from app.needs.labels import URGENCY

    if value is None:
        return _("No limit")
    if spec.kind == AMOUNT:
        return format_fen(int(value))
    if spec.kind == AMOUNTS:
        return " / ".join(format_fen(int(v)) for v in value)
    if spec.kind == SHARE:
        return f"{float(value) * 100:g}%"
    if spec.kind == CHOICE:
        return str(dict(spec.choices).get(value, value))
    if spec.kind in (COUNT, OPTIONAL_COUNT):
        return _n(spec.unit, value)
    if spec.kind == COUNTS:
        return " / ".join(_n(spec.unit, v) for v in value)
    if spec.kind == LADDER:
        from app.funding.ladder import STEPS

        return " / ".join(_("Tier %(n)s: %(steps)s", n=i, steps=joined(
            str(STEPS.get(code, code)) for code in rung)) for i, rung in enumerate(value, 1))
    if spec.kind == BY_URGENCY:
        return joined(f"{URGENCY[k]} {_n(spec.unit, value.get(k, '?'))}" for k in URGENCIES)
    return joined(value)


def ladder_rows(bounds: list, ladder: list) -> list[tuple[str, str]]:
    """Each tier of spending as a person reads it: its range of amounts and what it takes
    (``approval_tiers_fen`` draws the tiers, ``approval_steps`` lists their steps; a ladder
    shorter than the tiers repeats its last rung)."""
    from app.funding.ladder import STEPS

    rows = []
    ladder = ladder or [["org"]]
    for tier in range(len(bounds) + 1):
        rung = ladder[min(tier, len(ladder) - 1)]
        if tier == 0:
            span = _("Below %(high)s", high=format_fen(int(bounds[0]))) if bounds else _("Any amount")
        elif tier == len(bounds):
            span = _("%(low)s and more", low=format_fen(int(bounds[-1])))
        else:
            span = _("%(low)s to %(high)s", low=format_fen(int(bounds[tier - 1])),
                     high=format_fen(int(bounds[tier])))
        rows.append((span, joined(str(label) for code, label in STEPS.items() if code in rung)))
    return rows


def typed(spec: RuleSpec, value: Any) -> str:
    """The value as it is typed in the form (to start a change from what is in force)."""
    if value is None:
        return ""
    if spec.kind == AMOUNT:
        return f"{int(value) / 100:.2f}"
    if spec.kind == AMOUNTS:
        return ", ".join(f"{int(v) / 100:.2f}" for v in value)
    if spec.kind == SHARE:
        return f"{float(value) * 100:g}"
    if spec.kind == COUNTS:
        return ", ".join(str(v) for v in value)
    if spec.kind == BY_URGENCY:
        return ", ".join(str(value.get(k, "")) for k in URGENCIES)
    if spec.kind == WORDS:
        return "\n".join(value)
    if spec.kind == CHOICE:
        return str(dict(spec.choices).get(value, value))
    if spec.kind == LADDER:
        from app.funding.ladder import STEPS

        return "\n".join("、".join(str(STEPS.get(c, c)) for c in rung) for rung in value)
    return str(value)


HINTS = {
    AMOUNT: _l("An amount in yuan, for example 1000.00."),
    AMOUNTS: _l("Amounts in yuan separated by commas, lowest first, for example 10000, 50000."),
    COUNT: _l("A whole number."), OPTIONAL_COUNT: _l("A whole number, or empty for no limit."),
    COUNTS: _l("Whole numbers separated by commas, lowest first."),
    WORDS: _l("One entry per line."), SHARE: _l("A percentage, for example 50."),
    LADDER: _l("One line per tier, lowest first; on each line the steps separated by 、."),
    BY_URGENCY: _l("Three numbers of days: urgent, fairly urgent, routine; for example 2, 7, 30."),
    CHOICE: _l("One of the choices, typed as shown:"),
}


def hint(spec: RuleSpec) -> str:
    bounds = (_("From %(low)s to %(high)s.", low=spec.low, high=spec.high)
              if spec.kind in (COUNT, OPTIONAL_COUNT, COUNTS, BY_URGENCY) else "")
    if spec.kind == CHOICE:
        bounds = joined(str(label) for _code, label in spec.choices)
    return f"{HINTS[spec.kind]} {bounds}".strip()
