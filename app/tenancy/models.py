"""Tenants (one district civil affairs bureau each) and their area trees (街道 → 社区 → 网格)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import TenantScoped, Timestamped
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User

#: Tenant settings and their defaults (domain.md). A tenant overrides any of them.
DEFAULT_SETTINGS: dict[str, Any] = {
    "star_thresholds": [100, 300, 600, 1000, 1500],
    "points_per_hour": 1,
    "points_cap_per_activity": None,
    # How verified hours are thanked: "points", "time_bank" (时间银行) or "both"; and the
    # most time credits one person keeps, the rest going to the community pool (domain.md).
    "incentive_mode": "points",
    "time_bank_cap_hours": 1500,
    "notice_days": 7,
    "record_deadline_working_days": 10,
    "org_kinds": ["群众生活类", "文体活动类", "公益慈善类", "居民互助类"],
    "service_categories": ["助老服务", "助残服务", "儿童关爱", "社区教育", "文体活动",
                           "环境保护", "法律咨询", "心理关怀", "邻里互助"],
    "target_groups": ["独居老人", "留守儿童", "残疾人", "低收入家庭", "社区居民"],
    # Approval tiers in fen: below the first bound the org decides; above, more approvers.
    "approval_tiers_fen": [1_000_000, 5_000_000, 10_000_000, 50_000_000],
    # What each tier takes before an expenditure is final (app/funding/ladder.py), domain.md's
    # example ladder: below ¥10,000 the organization decides; from ¥10,000 a residents'
    # assembly (and the bureau); from ¥50,000 a tender or three quotes; from ¥100,000 (a major
    # matter) a second bureau officer too.
    "approval_steps": [["org"], ["org", "bureau", "assembly"],
                       ["org", "bureau", "assembly", "procurement"],
                       ["org", "bureau", "assembly", "procurement", "leader"],
                       ["org", "bureau", "assembly", "procurement", "leader"]],
    "petty_cash_cap_fen": 100_000,
    # What the resident overseers (居务监督委员会) review: "all" — every expenditure, as they
    # sign every reimbursement in practice (domain.md) — or "threshold": only from
    # overseer_threshold_fen up.
    "overseer_scope": "all",
    "overseer_window_days": 5,
    "overseer_threshold_fen": 1_000_000,
    "contract_max_term_days": 366,
    # The books of a month close (month-end balance assertions) once this many days
    # of the next month have passed, so late vouchers still land in their month.
    "ledger_month_close_grace_days": 5,
    # Budget lines of funding applications and contracts (domain.md project template).
    "budget_lines": ["交通", "物资", "印刷", "保险", "激励", "人员", "其他"],
    # What one incentive point is worth when redeemed at a partner merchant.
    "point_value_fen": 100,
    # Anomaly rules (audit): how far outside a shift a check-in may be; what share of an
    # organization's hours may be typed in by staff; the window in which purchases from one
    # payee are added up against the approval threshold; what counts as an implausible jump.
    "anomaly_checkin_tolerance_minutes": 60,
    "anomaly_staff_share": 0.5,
    "anomaly_min_hours": 20,
    "anomaly_split_window_days": 7,
    "anomaly_jump_factor": 3,
    # A service slot is flagged when, among the residents reached on return visits (回访),
    # more than this share say they were not served (0: any one denial).
    "anomaly_visit_denial_share": 0,
    # Days a resident's need may wait, by urgency (紧急 / 较急 / 常规), before it is overdue
    # (超期) and escalated to the bureau.
    "need_deadline_days": {"urgent": 2, "soon": 7, "routine": 30},
    # A reminder goes to whoever holds an unmet need once only this share of its time is
    # left (0.25: with a quarter of the time to go).
    "need_reminder_share": 0.25,
    # A need past its deadline goes first to the staff of the community above it, then, after
    # this many more days each, to the street's, then to the bureau (小事不出社区).
    "need_escalation_step_days": 2,
    # Working days (official calendar, with 调休) an organization or the bureau has to answer
    # a complaint, from the day it is filed or reopened; then it is escalated, as a late need
    # is: to the staff of its community, after this many days each the street's, the bureau.
    "complaint_answer_days": 5,
    "complaint_escalation_step_days": 2,
    # Days after a service slot ends in which a resident may still confirm, from their
    # bookings, that they received the service (我已接受服务).
    "attendance_confirm_days": 3,
    # At most this many notices a day to a volunteer who asked to be told when a shift that
    # suits them opens (适合您的志愿岗位), so that a busy week is not a flood.
    "shift_notices_per_day": 2,
    # At most this many community notices (社区通知) to one area in a day, so that residents
    # are not flooded and stop listening.
    "community_notices_per_area_per_day": 3,
    # Community groups filed (备案) with the street, without a credit code: whether they may
    # publish projects, and whether they may receive small grants, paid through their
    # sponsoring hub or incubator, up to a cap (¥20,000, a typical 微创投 grant).
    "filed_group_projects": "yes",
    "filed_group_grants": "through_sponsor",
    "filed_group_grant_cap_fen": 2_000_000,
}


class Tenant(Timestamped, db.Model):
    """A jurisdiction running its own program: one district's civil affairs bureau (民政局)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    #: The approved rule changes, {key: [[first day (ISO), value], …]} in the order they take
    #: effect: written from the changes themselves (``app.rules.services``), read here so
    #: that asking for a rule costs no query.
    rule_timeline: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))

    def setting(self, key: str, on: date | None = None) -> Any:
        """The rule ``key`` in force on ``on`` (default: today, Beijing time): the last
        approved change that took effect by then, else the tenant's own value, else the
        default."""
        changes = (self.rule_timeline or {}).get(key)
        if changes:
            from app.parsing import local_today

            day = (on or local_today()).isoformat()
            for starts, value in reversed(changes):
                if starts <= day:
                    return value
        return (self.settings or {}).get(key, DEFAULT_SETTINGS[key])

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"


class Area(TenantScoped, Timestamped, db.Model):
    """A node of the tenant's area tree, any depth. ``path`` ("/1/4/9/") makes subtree queries cheap."""

    __table_args__ = (UniqueConstraint("tenant_id", "parent_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    level: Mapped[str] = mapped_column(String(20))  # 街道 / 社区 / 网格 / 楼栋 …
    path: Mapped[str] = mapped_column(String(400), index=True, default="")

    parent: Mapped[Area | None] = relationship(remote_side="Area.id")

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def __repr__(self) -> str:
        return f"<Area {self.name}>"


class AreaStaff(TenantScoped, Timestamped, db.Model):
    """A bureau officer in charge of an area (社区 / 街道 staff, a grid worker): told when a
    need in it is late, before the bureau as a whole."""

    __table_args__ = (UniqueConstraint("area_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)

    area: Mapped[Area] = relationship()
    user: Mapped[User] = relationship()
