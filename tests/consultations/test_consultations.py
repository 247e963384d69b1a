"""Residents' consultations (居民议事): opened by the bureau for a community on its unmet needs
and proposed projects; only residents on the roll in that community vote, once each (held by
the database too); paper and meeting votes entered with their source and who entered them;
published with counts and cited by a call; and the attacks across communities and tenants."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit.models import AuditEntry
from app.auth.models import Role
from app.consultations import services
from app.consultations.models import ConsultationStatus, ConsultationVote
from app.consultations.services import ConsultationError
from app.db import utcnow
from app.extensions import db
from app.needs import services as needs
from app.parsing import SHANGHAI, local_today
from app.residents.models import ResidentProfile
from tests.factories import AreaFactory, build_tenant_world, user_with


def _lives(tenant, user, area):
    db.session.add(ResidentProfile(tenant_id=tenant.id, user_id=user.id, area_id=area.id))
    db.session.flush()
    return user


@pytest.fixture
def w(db):
    """Tenant A with two communities (阳光社区 with a grid), residents on the roll in each,
    one not on the roll; and tenant B."""
    a, b = build_tenant_world("A"), build_tenant_world("B")
    street = AreaFactory(tenant=a.tenant, name="东街道", level="街道")
    community = AreaFactory(tenant=a.tenant, name="阳光社区", level="社区", parent=street)
    grid = AreaFactory(tenant=a.tenant, name="阳光社区第1网格", level="网格", parent=community)
    other = AreaFactory(tenant=a.tenant, name="月亮社区", level="社区", parent=street)
    users = a.users
    _lives(a.tenant, users.resident, grid)
    users.neighbour = _lives(a.tenant, user_with(a.tenant, Role.RESIDENT), community)
    users.stranger = _lives(a.tenant, user_with(a.tenant, Role.RESIDENT), other)
    users.unlisted = user_with(a.tenant, Role.RESIDENT)
    _lives(a.tenant, users.auditor, community)  # lives there, but reads only
    b_area = AreaFactory(tenant=b.tenant, name="B社区", level="社区")
    _lives(b.tenant, b.users.resident, b_area)
    return SimpleNamespace(a=a, b=b, tenant=a.tenant, users=users, community=community,
                           grid=grid, other=other, b_area=b_area)


def on_roll(w, n: int, area=None) -> None:
    """``n`` more residents on the roll in the community (each one vote, wherever cast)."""
    for _ in range(n):
        _lives(w.tenant, user_with(w.tenant, Role.RESIDENT), area or w.community)


def open_one(w, area=None, tenant=None, officer=None, **kw):
    now = utcnow()
    kw.setdefault("proposals", ["加装楼道扶手", "开设老年食堂", "修缮健身器材"])
    return services.open_consultation(
        tenant or w.tenant, officer or w.users.officer, area=area or w.community,
        title="2027年阳光社区先办哪件事", description="请选出最希望先办的一件",
        opens_at=kw.pop("opens_at", now - timedelta(hours=1)),
        closes_at=kw.pop("closes_at", now + timedelta(days=7)), **kw)


def test_the_bureau_opens_one_on_the_communitys_unmet_needs_and_proposals(w):
    need = needs.post(w.tenant, w.users.resident, what="楼道灯坏了需要维修", category="邻里互助",
                      target_group="社区居民", area=w.grid, urgency="routine", on_wall=False)
    elsewhere = needs.post(w.tenant, w.users.stranger, what="月亮社区的需求", category="邻里互助",
                           target_group="社区居民", area=w.other, urgency="routine", on_wall=False)
    assert [n.id for n in services.candidate_needs(w.community)] == [need.id]
    c = open_one(w, need_ids=[need.id], proposals=["开设老年食堂"])
    assert [(o.position, o.title, o.need_id) for o in c.options] == [
        (1, "楼道灯坏了需要维修", need.id), (2, "开设老年食堂", None)]
    assert c.status == ConsultationStatus.OPEN
    with pytest.raises(ConsultationError):
        open_one(w, need_ids=[elsewhere.id])  # not this community's
    with pytest.raises(ConsultationError):
        open_one(w, proposals=["只有一项"])  # nothing to choose between
    with pytest.raises(ConsultationError):
        open_one(w, closes_at=utcnow() - timedelta(hours=2))  # ends before it starts
    with pytest.raises(ConsultationError) as refused:
        open_one(w, area=w.b_area)  # another district's community
    assert refused.value.status == 404


def test_only_residents_on_the_roll_in_the_community_vote(w):
    c = open_one(w)
    users = w.users
    assert services.vote(c, users.resident, c.options[1].id).option_id == c.options[1].id  # a grid inside
    assert services.vote(c, users.neighbour, c.options[0].id)
    for outsider in (users.stranger, users.unlisted, users.auditor, users.officer,
                     w.b.users.resident):
        with pytest.raises(ConsultationError) as refused:
            services.vote(c, outsider, c.options[0].id)
        assert refused.value.status == 403
    assert services.turnout(c) == 2


def test_one_vote_each_in_the_service_and_in_the_database(w):
    c = open_one(w)
    services.vote(c, w.users.resident, c.options[0].id)
    with pytest.raises(ConsultationError) as refused:
        services.vote(c, w.users.resident, c.options[1].id)
    assert refused.value.status == 409
    assert services.my_vote(c, w.users.resident).option_id == c.options[0].id
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(ConsultationVote(tenant_id=w.tenant.id, consultation_id=c.id,
                                        option_id=c.options[2].id, user_id=w.users.resident.id,
                                        cast_at=utcnow()))
        db.session.flush()


def test_a_vote_names_an_option_of_its_own_consultation(w):
    c, other = open_one(w), open_one(w)
    with pytest.raises(ConsultationError):
        services.vote(c, w.users.resident, other.options[0].id)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(ConsultationVote(tenant_id=w.tenant.id, consultation_id=c.id,
                                        option_id=other.options[0].id,
                                        user_id=w.users.neighbour.id, cast_at=utcnow()))
        db.session.flush()


def test_votes_and_comments_only_while_voting_is_open(w):
    now = utcnow()
    later = open_one(w, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=3))
    with pytest.raises(ConsultationError):
        services.vote(later, w.users.resident, later.options[0].id)
    c = open_one(w)
    with pytest.raises(ConsultationError):
        services.vote(c, w.users.resident, c.options[0].id, now=c.closes_at)  # at the end
    services.comment(c, w.users.resident, "食堂最要紧，老人做饭不方便")
    services.close(c, w.users.officer)
    with pytest.raises(ConsultationError):
        services.vote(c, w.users.neighbour, c.options[0].id)
    with pytest.raises(ConsultationError):
        services.comment(c, w.users.neighbour, "还想说一句")
    assert [m.body for m in services.comments(c)] == ["食堂最要紧，老人做饭不方便"]


def test_paper_and_meeting_votes_are_entered_with_source_and_counted(w):
    on_roll(w, 20)
    c = open_one(w)
    first, second, third = c.options
    services.vote(c, w.users.resident, second.id)
    services.vote(c, w.users.neighbour, third.id)
    services.close(c, w.users.officer)
    today = local_today()
    tally = services.enter_tally(c, w.users.officer, option_id=third.id, source="paper",
                                 held_on=today, votes=12, note="3号楼纸质票箱")
    assert (tally.source, tally.entered_by_id, tally.votes) == ("paper", w.users.officer.id, 12)
    services.enter_tally(c, w.users.officer, option_id=second.id, source="meeting",
                         held_on=today, votes=5, note="居民议事会举手表决")
    with pytest.raises(ConsultationError) as twice:
        services.enter_tally(c, w.users.officer, option_id=third.id, source="paper",
                             held_on=today, votes=3)
    assert twice.value.status == 409
    for bad in ({"votes": 0}, {"source": "phone"}, {"held_on": today + timedelta(days=1)},
                {"option_id": 10**6}):
        with pytest.raises(ConsultationError):
            services.enter_tally(c, w.users.officer, **{"option_id": first.id,
                                                        "source": "paper", "held_on": today,
                                                        "votes": 2, **bad})
    counts = services.results(c)
    assert [(n.option.id, n.online, n.paper, n.meeting, n.total) for n in counts] == [
        (third.id, 1, 12, 0, 13), (second.id, 1, 0, 5, 6), (first.id, 0, 0, 0, 0)]
    services.publish(c, w.users.officer)
    with pytest.raises(ConsultationError):
        services.enter_tally(c, w.users.officer, option_id=first.id, source="paper",
                             held_on=today, votes=1)


def test_entered_votes_never_outnumber_the_residents_on_the_roll(w):
    """The community has 3 residents on the roll (one in the grid, a neighbour, an auditor)
    plus 4 more: 7 votes at most, online, on paper and at meetings together."""
    on_roll(w, 4)
    c = open_one(w)
    services.vote(c, w.users.resident, c.options[0].id)
    services.close(c, w.users.officer)
    today = local_today()
    with pytest.raises(ConsultationError) as too_many:
        services.enter_tally(c, w.users.officer, option_id=c.options[1].id, source="paper",
                             held_on=today, votes=7)
    assert too_many.value.status == 400
    assert str(too_many.value) == (
        "阳光社区登记在册居民共 7 人，已计 1 票（含网上投票、纸质投票和居民议事会），最多还能录入"
        " 6 票。每位居民只有一票，请核对票数后再录入。")
    services.enter_tally(c, w.users.officer, option_id=c.options[1].id, source="paper",
                         held_on=today, votes=4)
    with pytest.raises(ConsultationError, match="最多还能录入 2 票"):
        services.enter_tally(c, w.users.officer, option_id=c.options[2].id, source="meeting",
                             held_on=today, votes=3)
    services.enter_tally(c, w.users.officer, option_id=c.options[2].id, source="meeting",
                         held_on=today, votes=2)
    assert sum(n.total for n in services.results(c)) == services.eligible_count(c) == 7
    with pytest.raises(ConsultationError, match="最多还能录入 0 票"):
        services.enter_tally(c, w.users.officer, option_id=c.options[0].id, source="paper",
                             held_on=today, votes=1)


def test_the_page_and_the_api_refuse_more_votes_than_residents(client, login, w):
    c = open_one(w)
    services.close(c, w.users.officer)
    login(w.users.officer)
    page = client.post(f"/t/{w.tenant.slug}/consultations/{c.id}/tally", data={
        "option_id": c.options[0].id, "source": "paper", "held_on": local_today().isoformat(),
        "votes": "17"}, follow_redirects=True).get_data(as_text=True)
    assert "阳光社区登记在册居民共 3 人，已计 0 票" in page and "票数已录入" not in page
    api = client.post(f"/api/v1/t/{w.tenant.slug}/consultations/{c.id}/tallies", json={
        "option_id": c.options[0].id, "source": "meeting",
        "held_on": local_today().isoformat(), "votes": 4})
    assert api.status_code == 400
    body = api.get_json()
    assert (body["code"], body["status"]) == (400, "Bad Request")
    assert "最多还能录入 3 票" in body["message"]
    assert services.results(c)[0].total == 0


def test_the_vote_confirmation_names_the_option_chosen(client, login, w):
    c = open_one(w)
    url = f"/t/{w.tenant.slug}/consultations/{c.id}"
    login(w.users.resident)
    ballot = client.get(url).get_data(as_text=True)
    for option in c.options:  # the dialog's words, on each option's button
        assert f'value="{option.id}" required data-confirm="您要投给「{option.title}」。' in ballot
    asked = client.post(f"{url}/vote", data={"option_id": c.options[1].id})
    assert "您要投给「开设老年食堂」。每人只有一票，投出后不能更改。" in asked.get_data(as_text=True)
    assert services.turnout(c) == 0


def test_voting_ended_early_shows_when_it_ended(client, login, w):
    c = open_one(w)  # to run seven days more
    services.close(c, w.users.officer)
    ended, planned = (t.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
                      for t in (c.closed_at, c.closes_at))
    login(w.users.resident)
    page = client.get(f"/t/{w.tenant.slug}/consultations/{c.id}").get_data(as_text=True)
    assert f"至 {ended}" in page and page.count(f"至 {planned}") == 1  # only in the note:
    assert f"民政局已提前截止，原定至 {planned}" in page
    listed = client.get(f"/t/{w.tenant.slug}/consultations/").get_data(as_text=True)
    assert f"至 {ended[:10]}" in listed and f"至 {planned[:10]}" not in listed


def test_the_counts_name_each_source_as_the_entries_do(client, login, w):
    on_roll(w, 5)
    c = open_one(w)
    services.close(c, w.users.officer)
    services.enter_tally(c, w.users.officer, option_id=c.options[0].id, source="meeting",
                         held_on=local_today(), votes=3, note="三楼活动室")
    login(w.users.officer)
    page = client.get(f"/t/{w.tenant.slug}/consultations/{c.id}").get_data(as_text=True)
    assert '<th scope="col" class="num src">居民议事会</th>' in page
    assert "居民议事会 · 加装楼道扶手：3" in page
    assert ">会议<" not in page


def test_publish_only_after_the_voting_ends(w):
    c = open_one(w)
    with pytest.raises(ConsultationError):
        services.publish(c, w.users.officer)
    services.close(c, w.users.officer)
    services.publish(c, w.users.officer)
    assert c.published and c.published_by_id == w.users.officer.id


def test_a_vote_is_audited(w):
    c = open_one(w)
    vote = services.vote(c, w.users.resident, c.options[0].id)
    db.session.flush()
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.object_type == "consultation_vote", AuditEntry.object_id == str(vote.id)))
    assert entry is not None and entry.action == "create"


# --- pages -----------------------------------------------------------------------------------

def test_a_resident_votes_on_the_page_after_saying_yes(client, login, w):
    c = open_one(w)
    url = f"/t/{w.tenant.slug}/consultations/{c.id}"
    login(w.users.resident)
    listed = client.get(f"/t/{w.tenant.slug}/consultations/").get_data(as_text=True)
    assert c.title in listed
    page = client.get(url).get_data(as_text=True)
    assert "开设老年食堂" in page and 'name="option_id"' in page
    asked = client.post(f"{url}/vote", data={"option_id": c.options[1].id})
    assert asked.status_code == 200 and services.turnout(c) == 0  # asked, nothing done
    done = client.post(f"{url}/vote", data={"option_id": c.options[1].id, "confirmed": "yes"})
    assert done.status_code == 302
    assert services.my_vote(c, w.users.resident).option_id == c.options[1].id
    again = client.post(f"{url}/vote", data={"option_id": c.options[0].id, "confirmed": "yes"},
                        follow_redirects=True).get_data(as_text=True)
    assert "已经投过票" in again and services.turnout(c) == 1
    client.post(f"{url}/comment", data={"body": "希望食堂中午也能送餐上门"})
    assert "希望食堂中午也能送餐上门" in client.get(url).get_data(as_text=True)


def test_the_bureau_ends_enters_and_publishes_and_everyone_reads_the_result(client, login, w):
    on_roll(w, 10)
    c = open_one(w)
    services.vote(c, w.users.resident, c.options[2].id)
    base = f"/t/{w.tenant.slug}/consultations/{c.id}"
    assert client.get(f"{base}/result").status_code == 404  # not published yet
    login(w.users.officer)
    assert client.post(f"{base}/close", data={"confirmed": "yes"}).status_code == 302
    client.post(f"{base}/tally", data={"option_id": c.options[0].id, "source": "meeting",
                                       "held_on": local_today().isoformat(), "votes": "7",
                                       "note": "社区居民议事会"})
    client.post(f"{base}/publish", data={"confirmed": "yes"})
    assert c.status == ConsultationStatus.PUBLISHED
    client.post("/logout")
    result = client.get(f"{base}/result").get_data(as_text=True)
    assert "社区居民议事会" in result and "加装楼道扶手" in result
    counts = {n.option.title: n.total for n in services.results(c)}
    assert counts == {"加装楼道扶手": 7, "修缮健身器材": 1, "开设老年食堂": 0}


def test_other_communities_and_tenants_cannot_see_or_vote(client, login, w):
    c = open_one(w)
    url = f"/t/{w.tenant.slug}/consultations/{c.id}"
    api = f"/api/v1/t/{w.tenant.slug}/consultations/{c.id}"
    for outsider in (w.users.stranger, w.users.unlisted, w.users.admin2):
        login(outsider)
        assert client.get(url).status_code == 403
        assert client.post(f"{url}/vote", data={"option_id": c.options[0].id,
                                                "confirmed": "yes"}).status_code == 403
        assert client.post(f"{api}/vote", json={"option_id": c.options[0].id}).status_code == 403
        assert c.title not in client.get(f"/t/{w.tenant.slug}/consultations/").get_data(
            as_text=True)
    login(w.b.users.resident)  # another district's resident, naming tenant A's consultation
    assert client.get(f"/t/{w.b.tenant.slug}/consultations/{c.id}").status_code == 404
    assert client.post(f"/api/v1/t/{w.b.tenant.slug}/consultations/{c.id}/vote",
                       json={"option_id": c.options[0].id}).status_code == 404
    login(w.users.resident)
    assert client.post(f"{url}/close", data={"confirmed": "yes"}).status_code == 403
    assert client.post(f"{api}/tallies", json={
        "option_id": c.options[0].id, "source": "paper", "held_on": local_today().isoformat(),
        "votes": 50}).status_code == 403
    assert services.turnout(c) == 0 and services.tallies(c) == []


# --- API -------------------------------------------------------------------------------------

def test_the_api_opens_votes_once_and_hides_counts_until_voting_ends(client, login, w):
    base = f"/api/v1/t/{w.tenant.slug}/consultations"
    now = utcnow()
    login(w.users.officer)
    opened = client.post(base, json={
        "area_id": w.community.id, "title": "先办哪件事", "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=3)).isoformat(), "proposals": ["开设老年食堂", "加装扶手"]})
    assert opened.status_code == 201, opened.get_json()
    cid, options = opened.get_json()["id"], opened.get_json()["options"]
    login(w.users.neighbour)
    voted = client.post(f"{base}/{cid}/vote", json={"option_id": options[1]["id"]})
    assert voted.status_code == 200 and voted.get_json()["my_option_id"] == options[1]["id"]
    assert voted.get_json()["counts"] is None
    assert client.post(f"{base}/{cid}/vote",
                       json={"option_id": options[0]["id"]}).status_code == 409
    assert [c["id"] for c in client.get(base).get_json()] == [cid]
    login(w.users.stranger)
    assert client.get(base).get_json() == []
    login(w.users.officer)
    assert client.post(f"{base}/{cid}/close", json={}).status_code == 200
    published = client.post(f"{base}/{cid}/publish", json={}).get_json()
    assert [(n["title"], n["total"]) for n in published["counts"]] == [("加装扶手", 1),
                                                                       ("开设老年食堂", 0)]
    client.post("/logout")
    assert client.get(f"{base}/{cid}/result").get_json()["turnout"] == 1


# --- a call cites it -------------------------------------------------------------------------

def test_a_call_cites_a_published_consultation(client, login, w):
    from app.funding import funds
    from app.funding.services import FundingError
    c = open_one(w)
    fund = funds.create_fund(w.tenant, w.users.officer, fiscal_year=local_today().year,
                             name="社区服务专项", source="区级财政", amount_fen=50_000_000)
    kw = dict(title="社区老年食堂运营", category="助老服务", description="",
              ceiling_fen=5_000_000, deadline=local_today() + timedelta(days=20))
    with pytest.raises(FundingError):
        funds.publish_call(fund, w.users.officer, consultation=c, **kw)  # not published
    services.vote(c, w.users.neighbour, c.options[1].id)
    services.close(c, w.users.officer)
    services.publish(c, w.users.officer)
    b_c = open_one(w, area=w.b_area, tenant=w.b.tenant, officer=w.b.users.officer)
    services.close(b_c, w.b.users.officer)
    services.publish(b_c, w.b.users.officer)
    with pytest.raises(FundingError):
        funds.publish_call(fund, w.users.officer, consultation=b_c, **kw)  # another district's
    call = funds.publish_call(fund, w.users.officer, consultation=c, **kw)
    assert call.consultation_id == c.id
    page = client.get(f"/t/{w.tenant.slug}/funding/open-calls/{call.id}")
    assert page.status_code == 200, page.status_code
    cited = (f'<a href="/t/{w.tenant.slug}/consultations/{c.id}/result">开设老年食堂</a>\n'
             f'      <small class="muted">阳光社区居民议事「{c.title}」中得票最多</small>')
    assert cited in page.get_data(as_text=True)  # the link names what residents put first
    login(w.users.officer)
    desk = client.get(f"/t/{w.tenant.slug}/funding/calls/{call.id}/applications")
    assert cited in desk.get_data(as_text=True)
    result = client.get(f"/t/{w.tenant.slug}/consultations/{c.id}/result").get_data(as_text=True)
    assert "社区老年食堂运营" in result

