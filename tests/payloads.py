"""Script payloads in every free-text column, and a check that a response carries none as markup.

Every String/Text column is either free text (people type it, or it carries what they
typed) or listed in ``MACHINE`` with the reason it cannot hold a person's words; a new
column that is neither fails ``test_every_text_column_is_classified``, so it cannot escape
the stored-XSS walk. ``fill`` writes a numbered payload into every free-text column of every
row, so a page that shows one can be traced back to the column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from markupsafe import escape
from sqlalchemy import String, Text, select

from app.extensions import db

_CHOSEN = "one of a fixed list of values, chosen, never typed"
_FORMAT = "checked against a strict format on every write path"
_MADE = "made by the app (keys, hashes, numbers, paths, snapshots of settings)"

#: ``table.column`` → why it never holds text a person typed.
MACHINE: dict[str, str] = {
    **dict.fromkeys([
        "audit_entry.actor_roles", "audit_entry.action", "audit_entry.object_type",
        "audit_entry.object_id", "audit_entry.ip", "audit_entry.endpoint", "audit_entry.hash",
        "tenant.slug", "user.password_hash", "user.locale", "api_token.token_hash", "login_session.key_hash", "account_claim.code_hash", "area.path",
        "certificate.number", "certificate.digest", "certificate.signature", "certificate.base_url",
        "certificate.pdf_status", "export.kind", "export.fmt", "export.status", "export.file_name",
        "export.download_name", "ledger_account.account", "ledger_account.commodity",
        "ledger_outbox.kind", "ledger_outbox.txn_id", "ledger_outbox.source", "ledger_txn.txn_id",
        "ledger_txn.kind", "ledger_txn.source", "ledger_txn.approver", "ledger_txn.hash",
        "ledger_txn.prev_hash", "ledger_posting.account", "ledger_posting.commodity",
        "notification.link", "notification.kind", "notification.email_status",
        "organization.certificate_file",
        "organization.certificate_mime", "organization.status", "scan_run.trigger",
        "monthly_report.trigger",
        "scan_run.status", "spot_check.kind", "spot_check.seed", "spot_check.algorithm",
        "spot_check.population_digest", "spot_check.status", "finding.rule", "finding.subject_key",
        "finding.severity", "finding.status", "finding.resolution", "org_invitation.role",
        "org_invitation.status", "project.status", "project.search_text", "project.search_name",
        "role_grant.role",
        "spot_check_item.object_type", "spot_check_item.outcome",
        "volunteer_profile.consent_version", "call.status", "project_evidence.file_key",
        "project_evidence.mime", "tranche_evidence.file_key", "tranche_evidence.mime",
        "project.cover_key", "project.cover_mime", "application.status",
        "service_notice.kind",
        "service_record.method", "service_record.status", "service_record.checkin_ref",
        "service_record.checkout_ref", "shift_signup.status", "slot_booking.status",
        "award.status", "complaint.status", "hours_request.kind", "hours_request.status",
        "points_entry.kind", "contract.number", "contract.status", "contract_line.code",
        "evaluation.mode", "evaluation.tier", "evaluation.status", "tranche.status",
        "disbursement.status", "expenditure.method", "expenditure.status", "redemption.code",
        "redemption.status", "overseer_objection.resolution", "receipt.stored_name",
        "receipt.content_type", "receipt.sha256", "consent.document", "consent.version",
        "need.urgency", "need.status", "need.met_kind",
        "slot_attendance.source", "slot_attendance.code_ref", "return_visit_sample.seed",
        "return_visit_sample.algorithm", "return_visit_sample.population_digest",
        "need.urgency", "need.status", "need.met_kind", "rule_change.rule",
        "procurement_record.method", "step_file.step", "step_file.file_key", "step_file.mime",
        "expenditure.steps",
        "rule_change.status",
        "need.urgency", "need.status", "need.met_kind", "calendar_feed.token_hash",
        "import_batch.kind", "import_batch.status", "import_batch.file_key",
        "import_batch.sha256", "import_batch.annotated_key", "consultation.status",
        "time_entry.kind", "notification.sms_status", "team_member.status", "team_signup.status",
        "stored_file.area", "stored_file.key", "time_entry.memo", "service_record.source",
        "service_record.source_key",
        "organization.standing", "filing.sponsor_status", "filing.document_file",
        "filing.document_mime", "incubation.stage", "stage_move.from_stage", "stage_move.to_stage",
        "incubation_milestone.evidence_file", "incubation_milestone.evidence_mime",
    ], _MADE),
    # A rule's values are JSON the app writes from a value it has parsed and checked; the
    # words inside (budget lines, categories) are shown escaped like any text.
    **dict.fromkeys(["rule_change.old_value", "rule_change.new_value"], _MADE),
    # The names of the staff a step told, copied from their accounts (whose names carry
    # payloads of their own in this walk), joined by the app.
    "complaint_escalation.told_names": _MADE,
    **dict.fromkeys([
        "organization.kind", "merchant.kind", "project.category", "call.category",
        "service_record.category", "service_slot.target_group", "slot_booking.declared_group",
        "need.category", "need.target_group", "complaint.kind", "return_visit.method",
        "volunteer_profile.gender",
        "need.category", "need.target_group", "complaint.kind", "series.kind",
        "series.frequency", "series.target_group", "volunteer_profile.gender",
        "resident_profile.target_group", "consultation_tally.source",
        "resident_profile.consent_how",
        "community_notice.status", "notice_choice.consent_how", "notice_choice.how",
    ], _CHOSEN),
    **dict.fromkeys([
        "user.phone", "user.email", "organization.credit_code", "organization.contact_phone",
        "organization.contact_email", "org_invitation.phone", "org_invitation.email",
        "need.resident_phone",
        "volunteer_profile.id_number", "volunteer_profile.phone", "resident_profile.id_number",
        "resident_profile.contact_phone", "team_member.phone",
    ], _FORMAT),
}

SHAPES = (
    '<script>window.__xss={n}</script><img src=x onerror="window.__xss={n}">"\' '
    "autofocus onfocus=window.__xss={n} x='",
    "<img src=x onerror=window.__xss={n}>\"'",
    "<b onclick=__xss={n}>",
)


def text_columns() -> list[tuple[str, object]]:
    """(``table.column``, column) for every String/Text column of every table."""
    return [(f"{table.name}.{column.name}", column)
            for table in db.metadata.sorted_tables for column in table.columns
            if isinstance(column.type, String | Text)]


def free_text_columns() -> list[tuple[str, object]]:
    """The free-text columns, shortest first (the shortest payloads get the smallest numbers)."""
    columns = [(key, c) for key, c in text_columns() if key not in MACHINE]
    return sorted(columns, key=lambda kc: (kc[1].type.length or 10**6, kc[0]))


def payload(n: int, room: int | None) -> str:
    for shape in SHAPES:
        text = shape.format(n=n)
        if room is None or len(text) <= room:
            return text
    raise AssertionError(f"no payload fits in {room} characters")


@dataclass
class Filled:
    """What ``fill`` wrote: ``values[key]`` is the payload of column ``key``; ``rows[key]``
    how many rows got it."""

    values: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)

    def shown_in_html(self, body: str) -> set[str]:
        return {key for key, value in self.values.items() if str(escape(value)) in body}

    def shown_in_text(self, body: str) -> set[str]:
        return {key for key, value in self.values.items() if value in body}


def complete(world) -> None:
    """Rows of the kinds the isolation makers leave out, so every free-text table has one
    in ``world`` (a ``TenantWorld`` whose ``extra`` is populated)."""
    from datetime import date
    from decimal import Decimal

    from app.auth.services import issue_api_token
    from app.books.models import LedgerVerification
    from app.db import utcnow
    from app.evaluation.models import EvalStatus, Evaluation, EvaluationFeedback, Tier
    from app.service import honours, incentives
    from app.tenancy.services import add_area
    from tests.service.factories import profile

    tenant, org, users = world.tenant, world.orgs[0], world.users
    issue_api_token(users.officer, "统计系统")
    area = add_area(tenant, "幸福社区", "社区")
    profile(tenant, users.volunteer).area_id = area.id
    honours.add_training(org, users.admin, users.volunteer.id, name="急救培训", content="心肺复苏",
                         hours=Decimal(2), organizer="区红十字会", held_on=date(2026, 1, 5))
    honours.add_award(org, users.admin, users.volunteer.id, name="优秀志愿者",
                      awarded_on=date(2026, 2, 1), grantor="区民政局")
    incentives.credit_points(tenant, users.volunteer.id, org.id, 5, approver=users.coordinator,
                             source="import:1")
    evaluation = db.session.get(Evaluation, world.extra[0]["evaluation_id"])
    evaluation.status, evaluation.tier, evaluation.finalized_at = EvalStatus.FINAL, Tier.GOOD, utcnow()
    db.session.add(EvaluationFeedback(tenant_id=tenant.id, org_id=org.id,
                                      evaluation_id=evaluation.id, ratings={"process": 4},
                                      average_tenths=40, comment="评估过程清楚",
                                      submitted_by_id=users.admin.id))
    db.session.add(LedgerVerification(tenant_id=tenant.id, year=2025, ok=False, problems=1,
                                      message="余额不符"))
    _grassroots(world, area)
    _notice_choice(world)
    _show_notes(world)
    db.session.flush()


def _notice_choice(world) -> None:
    """The offline resident's choice about community notices, recorded by staff with who gave
    it: the resident's page shows it."""
    from app.db import utcnow
    from app.notices.models import NoticeChoice
    from app.residents.models import ResidentProfile

    resident = db.session.get(ResidentProfile, world.extra[0]["profile_id"])
    db.session.add(NoticeChoice(tenant_id=world.tenant.id, user_id=resident.user_id,
                                receives=False, how="staff", changed_at=utcnow(),
                                consent_how="spoken", consent_given_by="老人的女儿",
                                recorded_by_id=world.users.officer.id))


def _grassroots(world, area) -> None:
    """Org 0's incubation (made by the milestone maker) with a filing record, a move, its
    milestone done and a leader's training, so its page shows each of their texts."""
    from datetime import date

    from app.grassroots.models import Filing, Incubation, LeaderTraining, Milestone, StageMove

    tenant_id, org_id = world.tenant.id, world.orgs[0].id
    incubation = db.session.scalar(select(Incubation).where(Incubation.org_id == org_id))
    db.session.add_all([
        Filing(tenant_id=tenant_id, org_id=org_id, number="东湖社备〔2026〕001号",
               filed_with_id=area.id, filed_on=date(2026, 1, 2), sponsor_status="declined",
               sponsor_note="名额已满"),
        StageMove(tenant_id=tenant_id, org_id=org_id, incubation_id=incubation.id,
                  from_stage="admitted", to_stage="nurturing", moved_on=date(2026, 2, 1),
                  note="进入培育"),
        LeaderTraining(tenant_id=tenant_id, org_id=org_id, person="周玉梅", course="骨干培训班",
                       minutes=120, trained_on=date(2026, 3, 1))])
    milestone = db.session.scalar(select(Milestone).where(Milestone.org_id == org_id))
    milestone.done_on, milestone.evidence_note = date(2026, 3, 2), "演出照片"


def _show_notes(world) -> None:
    """Bring org 0's objects to the states whose pages show their notes and reasons."""
    from app.funding import spending
    from app.funding.models_contracts import Disbursement, DisbursementStatus, Tranche
    from app.funding.models_spending import OverseerObjection
    from app.oversight import services as oversight
    from app.oversight.models import Finding
    from app.spotchecks.models import SpotCheck, SpotCheckItem

    ids, officer = world.extra[0], world.users.officer
    oversight.resolve(db.session.get(Finding, ids["finding_id"]), officer, "confirmed", "已核实整改")
    spending.resolve(db.session.get(OverseerObjection, ids["oversight_objection_id"]), officer,
                     uphold=False, note="价格合理")
    from tests.funding.factories import request_tranche

    request_tranche(db.session.get(Tranche, ids["tranche_id"]), officer)
    payment = db.session.get(Disbursement, ids["disbursement_id"])
    payment.status, payment.reversal_reason = DisbursementStatus.REVERSED, "账号有误"
    check, item = db.session.get(SpotCheck, ids["spot_check_id"]), \
        db.session.get(SpotCheckItem, ids["spot_item_id"])
    check.supersedes_id, check.redraw_reason = item.spot_check_id, "样本有误"
    item.spot_check_id, item.note = check.id, "已核对"


def _unique(value: str, index: int, room: int | None) -> str:
    """``value`` with the row's index after it where it fits (names unique per tenant)."""
    marked = f"{value}{index}" if index else value
    return marked if room is None or len(marked) <= room else value


def _rows(model, tenant_id: int | None):
    """Every row of ``model``, or only those belonging to tenant ``tenant_id`` (its own row,
    its rows, its people and what they own)."""
    from app.auth.models import RoleGrant, User
    from app.tenancy.models import Tenant

    query = select(model).execution_options(all_tenants=True)
    if tenant_id is None:
        return db.session.scalars(query).all()
    people = select(RoleGrant.user_id).where(RoleGrant.tenant_id == tenant_id)
    if "tenant_id" in model.__table__.columns:
        query = query.where(model.tenant_id == tenant_id)
    elif model is Tenant:
        query = query.where(Tenant.id == tenant_id)
    elif model is User:
        query = query.where(User.id.in_(people))
    elif "user_id" in model.__table__.columns:
        query = query.where(model.user_id.in_(people))
    else:
        return []
    return db.session.scalars(query).all()


def fill(tenant_id: int | None = None) -> Filled:
    """Write a numbered payload into every free-text column of every row (or of every row
    of one tenant), through the ORM (so the audit log records the change too, and shows it)."""
    filled = Filled()
    wanted = dict(free_text_columns())
    for n, key in enumerate(wanted, start=1):
        filled.values[key] = payload(n, wanted[key].type.length)
    for mapper in db.Model.registry.mappers:
        table = mapper.local_table
        attrs = {prop.key: f"{table.name}.{prop.columns[0].name}" for prop in mapper.column_attrs
                 if f"{table.name}.{prop.columns[0].name}" in filled.values}
        if not attrs:
            continue
        for index, row in enumerate(_rows(mapper.class_, tenant_id)):
            for attr, key in attrs.items():
                setattr(row, attr, _unique(filled.values[key], index, wanted[key].type.length))
                filled.rows[key] = filled.rows.get(key, 0) + 1
    db.session.flush()
    return filled


class _Markup(HTMLParser):
    """Collects every place where a payload became markup (``problems``: a script element or
    event handler carrying it, an ``<img src=x>``, a ``javascript:`` address), and everything
    the Content-Security-Policy would block (``blocked``: inline script, style or handler,
    a resource from elsewhere)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.blocked: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        given = dict(attrs)
        if tag == "style" or "style" in given or (tag == "script" and not given.get("src")):
            self.blocked.append(f"inline <{tag}>")
        for name in ("src", "href"):
            value = (given.get(name) or "").strip().lower()
            if tag in ("script", "img", "link", "iframe") and value.startswith(
                    ("http:", "https:", "//", "data:")):
                self.blocked.append(f"<{tag} {name}={value[:40]}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.blocked.append(f"<{tag} {name}>")
            value = value or ""
            if name.startswith("on") and "__xss" in value:
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction") and \
                    value.strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "autofocus" and tag not in ("input", "select", "textarea", "button"):
                self.problems.append(f"<{tag} autofocus>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.problems.append("<img src=x>")
        self._in_script = tag == "script"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and "__xss" in data:
            self.problems.append(f"<script>{data[:60]}")


def markup_problems(body: str) -> tuple[list[str], list[str]]:
    """(every payload that became markup, everything the Content-Security-Policy would
    block) in an HTML body; both empty when all is well."""
    problems = [raw for raw in ("<script>window.__xss", "<img src=x onerror", "<b onclick=__xss")
                if raw in body]
    parser = _Markup()
    parser.feed(body)
    parser.close()
    return problems + parser.problems, parser.blocked
