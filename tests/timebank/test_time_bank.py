"""The time bank: verified hours deposit credits once, the excess over the cap goes to the
community pool, credits are given to a relative and pay for another organization's service,
never below zero, and every movement is in the books, which pass bean-check and verify."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

import ledger
from app.books.models import LedgerAccount, OutboxEvent
from app.db_commit import commit
from app.projects import signups
from app.service import incentives
from app.service.services import make_token, scan
from app.timebank import services as bank_services
from app.timebank.models import TimeEntry
from app.timebank.services import TimeBankError
from tests.ledger.support import bean_check
from tests.service.factories import BASE, at, book, make_slot
from tests.timebank.conftest import district, shift_for


def serve(bank, shift, minutes):
    scan(shift, bank.volunteer, make_token(shift, "in", at(shift, 0)), at(shift, 0))
    return scan(shift, bank.volunteer, make_token(shift, "out", at(shift, minutes)),
                at(shift, minutes))[1]


def held(bank, user):
    return bank_services.balance(bank.tenant.id, user.id if user else None)


def kinds(bank, user):
    account = bank_services.account_for(bank.tenant.id, user.id if user else None)
    return [(e.kind, e.minutes) for e in reversed(bank_services.movements(account))]


def test_verified_hours_deposit_credits_not_points_in_time_bank_mode(zh):
    bank = district()
    record = serve(bank, shift_for(bank), 150)
    assert held(bank, bank.volunteer) == 150
    assert record.points == 0 and incentives.balance(bank.tenant.id, bank.volunteer.id) == 0
    [event] = zh.session.scalars(select(OutboxEvent)).all()
    assert event.payload["kind"] == "time-deposit"
    assert (event.payload["person"], event.payload["hours"], event.payload["donated"]) == (
        bank.volunteer.id, "2.50", "0.00")


def test_both_mode_gives_points_and_credits(zh):
    bank = district(mode="both")
    record = serve(bank, shift_for(bank), 120)
    assert record.points == 2 and held(bank, bank.volunteer) == 120


def test_points_mode_leaves_the_time_bank_alone(zh):
    bank = district(mode="points")
    serve(bank, shift_for(bank), 120)
    assert held(bank, bank.volunteer) == 0
    assert zh.session.scalar(select(TimeEntry)) is None


def test_a_deposit_happens_once_however_often_it_is_settled(zh):
    bank = district()
    record = serve(bank, shift_for(bank), 120)
    assert bank_services.record_time(record, approver=None, now=at(record.shift, 200)) == []
    assert kinds(bank, bank.volunteer) == [("deposit", 120)]
    assert len(zh.session.scalars(select(OutboxEvent)).all()) == 1


def test_hours_above_the_cap_go_to_the_pool_as_a_donation(zh):
    bank = district(cap=2)
    first = serve(bank, shift_for(bank), 90)
    second_shift = shift_for(bank, start=BASE + timedelta(days=1))
    serve(bank, second_shift, 120)
    assert held(bank, bank.volunteer) == 120 and held(bank, None) == 90
    assert kinds(bank, None) == [("donation", 90)]
    donation = zh.session.scalar(select(TimeEntry).where(TimeEntry.kind == "donation"))
    assert donation.counterpart_id == bank.volunteer.id and donation.record_id != first.id
    assert bank_services.donated_by(bank.tenant.id, bank.volunteer.id) == 90


def test_a_correction_takes_back_the_deposit_and_deposits_the_new_hours(zh):
    bank = district()
    record = serve(bank, shift_for(bank), 180)
    record.minutes = 120  # as an approved correction leaves it, before it settles again
    bank_services.record_time(record, approver=bank.coordinator, now=at(record.shift, 300))
    assert kinds(bank, bank.volunteer) == [("deposit", 180), ("reversal", -180),
                                           ("deposit", 120)]
    assert held(bank, bank.volunteer) == 120


def test_a_gift_to_a_daughter_moves_credits_and_never_below_zero(zh):
    bank = district()
    serve(bank, shift_for(bank), 120)
    bank_services.give(bank.tenant, bank.volunteer, bank.daughter, 60, by=bank.volunteer)
    assert (held(bank, bank.volunteer), held(bank, bank.daughter)) == (60, 60)
    with pytest.raises(TimeBankError, match="时间币不足：现有 1 小时，需要 2 小时"):
        bank_services.give(bank.tenant, bank.volunteer, bank.daughter, 120, by=bank.volunteer)
    with pytest.raises(TimeBankError):
        bank_services.give(bank.tenant, bank.volunteer, bank.volunteer, 15, by=bank.volunteer)
    for wrong in (0, 10, -15, True, 10**9):
        with pytest.raises(TimeBankError):
            bank_services.give(bank.tenant, bank.volunteer, bank.daughter, wrong,
                               by=bank.volunteer)
    assert (held(bank, bank.volunteer), held(bank, bank.daughter)) == (60, 60)


def test_a_gift_to_someone_of_another_district_is_refused(zh):
    bank, other = district(), district(prefix="139")
    serve(bank, shift_for(bank), 120)
    with pytest.raises(TimeBankError) as refused:
        bank_services.give(bank.tenant, bank.volunteer, other.daughter, 60, by=bank.volunteer)
    assert refused.value.status == 404
    assert bank_services.member_by_phone(bank.tenant, other.daughter.phone) is None


def test_credits_earned_at_one_organization_pay_for_anothers_service(zh):
    bank = district()
    serve(bank, shift_for(bank), 120)
    bank_services.give(bank.tenant, bank.volunteer, bank.daughter, 120, by=bank.volunteer)
    slot = make_slot(bank.project_b, starts_at=BASE + timedelta(days=5), hours=1.5)
    booking = book(slot, bank.daughter)
    with pytest.raises(TimeBankError) as refused:
        bank_services.pay(booking, bank.volunteer, now=BASE)
    assert refused.value.status == 403
    paid = bank_services.pay(booking, bank.daughter, now=BASE)
    assert (paid.kind, paid.minutes, paid.org_id) == ("payment", -90, bank.org_b.id)
    assert held(bank, bank.daughter) == 30
    with pytest.raises(TimeBankError, match="已用时间币支付"):
        bank_services.pay(booking, bank.daughter, now=BASE)
    dear = book(make_slot(bank.project_b, starts_at=BASE + timedelta(days=6)), bank.daughter)
    with pytest.raises(TimeBankError, match="时间币不足"):
        bank_services.pay(dear, bank.daughter, now=BASE)
    assert held(bank, bank.daughter) == 30


def test_cancelling_a_paid_booking_gives_the_credits_back(zh, monkeypatch):
    bank = district()
    serve(bank, shift_for(bank), 120)
    slot = make_slot(bank.project_b, starts_at=BASE + timedelta(days=5), hours=1)
    booking = book(slot, bank.volunteer)
    bank_services.pay(booking, bank.volunteer, now=BASE)
    monkeypatch.setattr(signups, "utcnow", lambda: BASE)
    signups.withdraw(booking)
    assert held(bank, bank.volunteer) == 120
    assert kinds(bank, bank.volunteer)[-2:] == [("payment", -60), ("refund", 60)]
    assert bank_services.payment_of(booking) is None


def test_the_organization_cancelling_a_paid_slot_gives_the_credits_back(zh, app, books_dir):
    """The slot is cancelled by its organization, not withdrawn by the person: the credits
    still go back, in the books as a reversal the organization caused."""
    from app.projects import places

    bank = district()
    serve(bank, shift_for(bank), 120)
    slot = make_slot(bank.project_b, starts_at=BASE + timedelta(days=5), hours=1)
    booking = book(slot, bank.volunteer)
    bank_services.pay(booking, bank.volunteer, now=BASE)
    assert held(bank, bank.volunteer) == 60
    places.cancel_place(slot, "场地临时不能用")
    assert held(bank, bank.volunteer) == 120
    assert kinds(bank, bank.volunteer)[-2:] == [("payment", -60), ("refund", 60)]
    assert bank_services.payment_of(booking) is None
    commit()
    result = app.test_cli_runner().invoke(args=["ledger", "verify", "--tenant",
                                                bank.tenant.slug])
    assert result.exit_code == 0, result.output
    checked = bean_check(ledger.main_path(books_dir, bank.tenant.slug))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    journal = "".join(p.read_text(encoding="utf-8")
                      for p in ledger.main_path(books_dir, bank.tenant.slug).parent.rglob("*.beancount"))
    assert f'approver: "org:{bank.org_b.id}"' in journal and "预约取消，时间币退回" in journal


def test_every_movement_is_in_the_books_and_they_verify(zh, app, books_dir):
    bank = district(cap=2)
    serve(bank, shift_for(bank), 180)  # 2 h kept, 1 h donated
    bank_services.give(bank.tenant, bank.volunteer, bank.daughter, 60, by=bank.volunteer)
    bank_services.give(bank.tenant, None, bank.neighbour, 45, by=bank.officer)
    slot = make_slot(bank.project_b, starts_at=BASE + timedelta(days=5), hours=0.75)
    bank_services.pay(book(slot, bank.neighbour), bank.neighbour, now=BASE)
    commit()
    result = app.test_cli_runner().invoke(args=["ledger", "verify", "--tenant",
                                                bank.tenant.slug])
    assert result.exit_code == 0, result.output
    checked = bean_check(ledger.main_path(books_dir, bank.tenant.slug))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    balances = {(a.account.split(":", 2)[2], a.balance) for a in zh.session.scalars(
        select(LedgerAccount).where(LedgerAccount.tenant_id == bank.tenant.id,
                                    LedgerAccount.commodity == "HOUR"))}
    assert balances == {
        (f"TimeBank:P{bank.volunteer.id}", -100), (f"TimeBank:P{bank.daughter.id}", -100),
        ("TimeBank:Pool", -25), (f"TimeBank:P{bank.neighbour.id}", 0),
        (f"TimeBank:Deposited:O{bank.org_a.id}", 300),
        (f"TimeBank:Received:O{bank.org_b.id}", -75)}


def test_the_bureau_switches_to_the_time_bank_with_a_second_officer(zh):
    from app.auth.models import Role
    from app.parsing import local_today
    from app.rules import services as rules
    from app.rules.catalogue import CATALOGUE, RuleError, parse, typed, words
    from tests.factories import user_with

    bank = district(mode="points")
    second = user_with(bank.tenant, Role.BUREAU_OFFICER, name="李主任")
    change = rules.propose(bank.tenant, bank.officer, "incentive_mode", "只用时间银行",
                           local_today())
    assert bank.tenant.setting("incentive_mode") == "points"  # a money rule: waits
    rules.approve(change, second)
    assert bank.tenant.setting("incentive_mode") == "time_bank"
    spec = CATALOGUE["incentive_mode"]
    assert parse(spec, "both") == "both" and words(spec, "both") == "积分和时间银行并行"
    assert parse(spec, typed(spec, "points")) == "points"
    with pytest.raises(RuleError, match="只用积分"):
        parse(spec, "wages")
