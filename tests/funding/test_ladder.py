"""The whole approval ladder: each tier lists its steps (the organization's approval, the
bureau's, a residents' assembly decision, a procurement record, a second officer's), and an
expenditure is final only once every step of its tier is done. One test per step kind."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from app.funding import ladder, spending, steps
from app.funding.models_spending import ExpenditureStatus
from app.funding.samples import receipt_png
from app.funding.services import FundingError, today
from app.orgs import uploads
from app.tenancy.models import DEFAULT_SETTINGS
from tests.funding.factories import funded_contract, outbox, spend

PAPER = uploads.Upload(receipt_png(), "png", "纪要.png")


def ladder_of(fw, *rungs):
    fw.tenant.settings = {**fw.tenant.settings, "approval_steps": [list(r) for r in rungs]}


def both_approve(fw, expense):
    spending.approve(expense, fw.admin, as_bureau=False)
    if expense.needs_bureau:
        spending.approve(expense, fw.officer, as_bureau=True)


def assembly(expense, by, **changes):
    values = dict(held_on=today() - timedelta(days=1), attendance=30, votes_for=20,
                  votes_against=6, votes_abstain=4, minutes=[PAPER])
    return steps.record_assembly(expense, by, **{**values, **changes})


def test_the_default_ladder_follows_the_village_charter(fw):
    fw.tenant.settings = {}
    steps_of = [spending.approval_plan(fw.tenant, yuan * 100).steps
                for yuan in (9_999, 10_000, 50_000, 100_000, 500_000)]
    assert steps_of == [("org",), ("org", "bureau", "assembly"),
                        ("org", "bureau", "assembly", "procurement"),
                        ("org", "bureau", "assembly", "procurement", "leader"),
                        ("org", "bureau", "assembly", "procurement", "leader")]
    assert DEFAULT_SETTINGS["approval_steps"][0] == ["org"]


def test_the_organization_alone_decides_below_the_first_tier(fw):
    expense = spend(fw, funded_contract(fw), 90_000)
    assert expense.step_list == ["org"]
    spending.approve(expense, fw.admin, as_bureau=False)
    assert expense.status == ExpenditureStatus.FINAL and len(outbox("expenditure")) == 1


def test_the_bureau_step_holds_until_a_bureau_officer_approves(fw):
    ladder_of(fw, ["org"], ["org", "bureau"])
    expense = spend(fw, funded_contract(fw), 1_200_000, line="物资")
    spending.approve(expense, fw.admin, as_bureau=False)
    assert expense.status == ExpenditureStatus.PENDING and ladder.missing(expense) == ["bureau"]
    spending.approve(expense, fw.officer, as_bureau=True)
    assert expense.status == ExpenditureStatus.WINDOW


def test_an_assembly_decision_with_a_majority_and_minutes_completes_its_tier(fw):
    fw.tenant.settings = {}  # the default ladder: from ¥10,000 the residents' assembly too
    expense = spend(fw, funded_contract(fw), 1_200_000, line="物资")
    both_approve(fw, expense)
    assert expense.status == ExpenditureStatus.PENDING
    assert ladder.missing(expense) == ["assembly"]
    with pytest.raises(FundingError):
        spending.finalize(expense)
    for refused in ({"votes_for": 15}, {"minutes": []}, {"held_on": today() + timedelta(days=1)},
                    {"votes_against": 20}):
        with pytest.raises(FundingError):
            assembly(expense, fw.bookkeeper, **refused)
    decision = assembly(expense, fw.bookkeeper)
    assert decision.files[0].step == "assembly" and decision.files[0].size > 0
    assert expense.status == ExpenditureStatus.WINDOW  # then the overseers, as before
    with pytest.raises(FundingError):
        assembly(expense, fw.bookkeeper)


def test_a_procurement_needs_three_quotes_or_a_tender(fw):
    ladder_of(fw, ["org"], ["org", "procurement"])
    expense = spend(fw, funded_contract(fw), 1_200_000, line="物资")
    spending.approve(expense, fw.admin, as_bureau=False)
    assert ladder.missing(expense) == ["procurement"]
    with pytest.raises(FundingError):
        steps.record_procurement(expense, fw.bookkeeper, method="quotes", supplier="东湖百货",
                                 note="", documents=[PAPER, PAPER])
    with pytest.raises(FundingError):
        steps.record_procurement(expense, fw.bookkeeper, method="quotes", supplier=" ",
                                 note="", documents=[PAPER] * 3)
    record = steps.record_procurement(expense, fw.bookkeeper, method="quotes",
                                      supplier="东湖百货", note="三家报价取最低", documents=[PAPER] * 3)
    assert len(record.files) == 3 and expense.status == ExpenditureStatus.WINDOW


def test_a_second_officer_approves_after_the_first_and_is_someone_else(fw):
    ladder_of(fw, ["org"], ["org", "bureau", "leader"])
    expense = spend(fw, funded_contract(fw), 1_200_000, line="物资")
    with pytest.raises(FundingError):  # the bureau approves first
        steps.approve_as_leader(expense, fw.officer2)
    both_approve(fw, expense)
    assert ladder.missing(expense) == ["leader"]
    with pytest.raises(FundingError):
        steps.approve_as_leader(expense, fw.officer)
    steps.approve_as_leader(expense, fw.officer2)
    assert expense.leader_approved_by_id == fw.officer2.id
    assert expense.status == ExpenditureStatus.WINDOW


def test_an_expenditure_keeps_the_steps_of_the_day_it_was_recorded(fw):
    ladder_of(fw, ["org"], ["org", "bureau"])
    expense = spend(fw, funded_contract(fw), 1_200_000, line="物资")
    ladder_of(fw, ["org"], ["org", "bureau", "assembly", "leader"])
    both_approve(fw, expense)
    assert expense.step_list == ["org", "bureau"]
    assert expense.status == ExpenditureStatus.WINDOW


def test_the_organization_records_the_assembly_on_the_page(app, fw, login):
    fw.tenant.settings = {}
    expense = spend(fw, funded_contract(fw), 1_200_000, line="物资")
    client = login(fw.bookkeeper, c=app.test_client())
    page = client.get(f"/t/{fw.tenant.slug}/funding/expenditures/{expense.id}").get_data(
        as_text=True)
    assert "居民会议决议" in page and "记录居民会议决议" in page
    response = client.post(
        f"/t/{fw.tenant.slug}/funding/expenditures/{expense.id}/assembly",
        data={"held_on": today().isoformat(), "attendance": "30", "votes_for": "20",
              "votes_against": "5", "votes_abstain": "5",
              "minutes": (io.BytesIO(receipt_png()), "纪要.png")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(f"/t/{fw.tenant.slug}/funding/expenditures/{expense.id}").get_data(
        as_text=True)
    assert "30 人到会" in page and "纪要.png" in page
    outsider = login(fw.admin2, c=app.test_client())
    assert outsider.post(f"/t/{fw.tenant.slug}/funding/expenditures/{expense.id}/procurement",
                         data={"method": "tender", "supplier": "x"}).status_code == 403


def test_the_api_records_the_steps_and_says_which_are_left(app, fw, login):
    ladder_of(fw, ["org"], ["org", "bureau", "assembly", "procurement", "leader"])
    expense = spend(fw, funded_contract(fw), 1_200_000, line="物资")
    api = f"/api/v1/t/{fw.tenant.slug}/funding/expenditures/{expense.id}"
    books = login(fw.bookkeeper, c=app.test_client())
    assert books.get(api).get_json()["steps_missing"] == [
        "org", "bureau", "assembly", "procurement", "leader"]
    r = books.post(f"{api}/assembly", content_type="multipart/form-data", data={
        "held_on": today().isoformat(), "attendance": "9", "votes_for": "4",
        "votes_against": "0", "votes_abstain": "0", "minutes": (io.BytesIO(receipt_png()), "m.png")})
    assert r.status_code == 422  # not a majority
    r = books.post(f"{api}/procurement", content_type="multipart/form-data", data={
        "method": "tender", "supplier": "东湖百货", "documents": (io.BytesIO(receipt_png()), "t.png")})
    assert r.status_code == 201 and "procurement" not in r.get_json()["steps_missing"]
    both_approve(fw, expense)
    officer = login(fw.officer, c=app.test_client())
    assert officer.post(f"{api}/approve", json={"as": "leader"}).status_code == 422
    second = login(fw.officer2, c=app.test_client())
    done = second.post(f"{api}/approve", json={"as": "leader"}).get_json()
    assert done["steps_missing"] == ["assembly"] and done["status"] == "pending"


def test_whoever_must_take_the_next_step_is_told_once(app, fw, login):
    """The bookkeeper hears that the assembly decision and the procurement record are wanted
    once the organization approved; the other bureau officer, not the one who approved, hears
    that a second officer's approval is wanted; each once, and the inbox then says it is done."""
    from sqlalchemy import select

    from app.extensions import db
    from app.notifications.models import Notification

    def told(kind):
        return sorted(db.session.scalars(select(Notification.user_id).where(
            Notification.kind == kind, Notification.subject_id == expense.id)))

    ladder_of(fw, ["org"], ["org", "bureau", "assembly", "procurement", "leader"])
    expense = spend(fw, funded_contract(fw), 1_200_000, line="物资")
    assert told("expenditure.step_record") == told("expenditure.leader_approval") == []
    spending.approve(expense, fw.admin, as_bureau=False)
    assert fw.bookkeeper.id in told("expenditure.step_record")
    assert told("expenditure.leader_approval") == []  # the bureau has not approved yet
    spending.approve(expense, fw.officer, as_bureau=True)
    assert told("expenditure.leader_approval") == [fw.officer2.id]
    assembly(expense, fw.bookkeeper)   # procurement and the leader still wanted: no second word
    assert told("expenditure.step_record").count(fw.bookkeeper.id) == 1
    assert told("expenditure.leader_approval") == [fw.officer2.id]
    client = login(fw.officer2, c=app.test_client())
    page = client.get("/inbox", follow_redirects=True).get_data(as_text=True)
    assert "等待第二位民政局工作人员审批" in page
    steps.approve_as_leader(expense, fw.officer2)
    db.session.commit()
    page = client.get("/inbox", follow_redirects=True).get_data(as_text=True)
    # The viewer's own approval reads as theirs.
    assert page.count("已由您审批") == 1
