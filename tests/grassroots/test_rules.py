"""What a filed group may do is the district's rule: publishing projects, and small grants up
to a cap, paid through its sponsor. Each rule is tested both ways."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.funding import contracts
from app.funding.services import FundingError
from app.grassroots import filing
from app.orgs import services as orgs
from app.parsing import local_today
from app.projects import places
from app.projects import services as projects
from app.projects.services import ProjectError
from app.rules.catalogue import CATALOGUE, MONEY_RULES, PUBLIC_RULES, parse, words
from app.tenancy.services import add_area
from tests.funding.factories import (
    funding_world,
    make_application,
    make_award,
    make_call,
    make_contract,
    outbox,
)
from tests.grassroots.factories import document, group_data, group_world, verified_group

SMALL = [("物资", 1_500_000)]  # ¥15,000, under the default cap of ¥20,000


def _filed_group(w):
    """A filed group of the funding world, sponsored by its second organization (a hub)."""
    w.org2.is_incubator = True
    street = add_area(w.tenant, "东湖街道", "街道")
    community = add_area(w.tenant, "幸福社区", "社区", street)
    leader = w.admin
    data = filing.FilingData(number="东湖社备〔2026〕012号", filed_with_id=community.id,
                             filed_on=local_today(),
                             sponsor_id=w.org2.id)
    group = filing.register_group(w.tenant, leader, group_data(), data, document())
    filing.answer_sponsorship(group, w.admin2, accept=True)
    orgs.approve(group, w.officer)
    return group


def _set(tenant, **rules):
    tenant.settings = {**(tenant.settings or {}), **rules}
    db.session.flush()


def _draft(w, org):
    project = projects.create(org, w.tenant, w.hub_admin, projects.ProjectData(
        name="重阳节社区演出", category="文体活动", theme="为社区老人唱一台戏"))
    places.add_shift(project, places.PlaceData(*_times(), "幸福社区活动室", 6))
    return project


def _times():
    from datetime import timedelta

    from app.db import utcnow

    start = (utcnow() + timedelta(days=10)).replace(minute=0, second=0, microsecond=0)
    return start, start + timedelta(hours=2)


def test_the_rules_page_knows_the_three_rules_and_money_ones_need_a_second_officer():
    assert {"filed_group_projects", "filed_group_grants", "filed_group_grant_cap_fen"} <= set(
        CATALOGUE) & set(PUBLIC_RULES)
    assert {"filed_group_grants", "filed_group_grant_cap_fen"} <= MONEY_RULES
    assert "filed_group_projects" not in MONEY_RULES
    spec = CATALOGUE["filed_group_grant_cap_fen"]
    assert parse(spec, "30000") == 3_000_000 and words(spec, 3_000_000) == "¥30,000.00"
    assert parse(CATALOGUE["filed_group_projects"], "no") == "no"


def test_a_filed_group_publishes_projects_when_the_rules_allow_it(db):
    w = group_world()
    group, _leader = verified_group(w)
    project = _draft(w, group)
    projects.publish(project)
    assert project.status == "published"


def test_a_filed_group_cannot_publish_when_the_rules_say_only_registered_ones_do(db):
    w = group_world(filed_group_projects="no")
    group, _leader = verified_group(w)
    project = _draft(w, group)
    with pytest.raises(ProjectError, match="只有登记的社会组织可以发布项目"):
        projects.publish(project)
    assert project.status == "draft"
    registered = _draft(w, w.hub)  # a registered organization is not concerned
    projects.publish(registered)
    assert registered.status == "published"


def test_a_small_grant_to_a_filed_group_is_paid_through_its_sponsor(db):
    w = funding_world()
    group = _filed_group(w)
    application = make_application(w, org=group, lines=SMALL)
    award = make_award(w, application)
    contract = make_contract(w, award)
    assert contract.status == "signed" and contract.org_id == group.id
    commitment = outbox("commitment")[-1]
    assert commitment["payee"] == "彩虹文体协会（代幸福社区银龄合唱队）"
    assert commitment["org_id"] == group.id


def test_a_grant_above_the_cap_to_a_filed_group_is_refused_with_the_cap_and_the_sponsor(db):
    w = funding_world()
    group = _filed_group(w)
    call = make_call(w)
    with pytest.raises(FundingError) as refused:
        make_application(w, call=call, org=group)  # ¥60,000
    message = str(refused.value)
    assert "¥60,000.00" in message and "¥20,000.00" in message and "彩虹文体协会" in message
    _set(w.tenant, filed_group_grant_cap_fen=10_000_000)
    application = make_application(w, call=call, org=group)
    assert application.total_fen == 6_000_000
    # The rule is asked again when the award is proposed and when the contract is signed.
    _set(w.tenant, filed_group_grant_cap_fen=5_000_000)
    with pytest.raises(FundingError, match="¥50,000.00"):
        make_award(w, application)
    _set(w.tenant, filed_group_grant_cap_fen=10_000_000)
    award = make_award(w, application)
    draft = make_contract(w, award, signed=False)
    _set(w.tenant, filed_group_grant_cap_fen=5_000_000)
    with pytest.raises(FundingError, match="¥50,000.00"):
        contracts.sign_contract(draft, w.officer)
    assert draft.status == "draft" and outbox("commitment") == []


def test_no_grants_to_filed_groups_when_the_rules_say_none(db):
    w = funding_world()
    group = _filed_group(w)
    call = make_call(w)
    _set(w.tenant, filed_group_grants="none")
    with pytest.raises(FundingError, match="不向备案社区社会组织提供资助"):
        make_application(w, call=call, org=group, lines=SMALL)
    # A registered organization applies as before, above the filed groups' cap too.
    assert make_application(w, call=call, org=w.org).total_fen == 6_000_000
