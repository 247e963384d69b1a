"""The marketplace search finds exactly the published projects whose name, theme, highlights
or content contain every word of the query, in the same order on both backends: checked
against a plain substring scan in Python over a generated corpus and over the demo tenant."""

from __future__ import annotations

import random
import re

from sqlalchemy import select

from app.db import utcnow
from app.marketplace import services
from app.marketplace.services import COUNT_CAP, PER_PAGE, Filters
from app.projects.models import Project, ProjectStatus
from app.tenancy.models import Area, Tenant
from tests.factories import AreaFactory, OrgFactory, TenantFactory
from tests.marketplace import corpus

SEED = 2026


def found(tenant, f: Filters, pages: int | None = None) -> tuple[list[int], int, bool]:
    """The ids the search shows, page after page (all pages, or the first ``pages``)."""
    first = services.search(tenant, f)
    ids = [c.id for c in first.cards]
    last = first.pages if pages is None else min(pages, first.pages)
    for page in range(2, last + 1):
        ids += [c.id for c in services.search(tenant, Filters(**{**f.__dict__, "page": page})).cards]
    return ids, first.total, first.capped


def check(tenant, rows, q: str, *, category: str = "", group: str = "",
          org_id: int | None = None, area_id: int | None = None,
          area_ids: set[int] | None = None) -> None:
    """The search for ``q`` (and filters) shows what the scan finds, in the scan's order."""
    want, total, capped = corpus.expected(rows, tenant.id, q, COUNT_CAP, category=category,
                                          group=group, org_id=org_id, area_ids=area_ids)
    f = Filters(q=q, category=category, group=group, org_id=org_id, area_id=area_id)
    pages = None if total <= 10 * PER_PAGE else 2
    got, got_total, got_capped = found(tenant, f, pages)
    where = (q, category, group, org_id, area_id)
    assert (got_total, got_capped) == (total, capped), where
    assert got == want[:len(got)], where
    # Every match up to the cap, page after page (or the first ``pages`` of them).
    assert len(got) == min(len(want), COUNT_CAP, (pages or COUNT_CAP) * PER_PAGE), where


def queries(rng: random.Random, rows) -> list[str]:
    """1, 2, 3 and more characters cut from the texts; whole words; Latin in any case and
    width; mixed; several words; characters found nowhere; LIKE's own wildcards."""
    texts = [t for r in rows for t in (r.name, r.theme, r.highlights, r.content) if t.strip()]

    def cut(length: int) -> str:
        text = rng.choice([t for t in texts if len(t) >= length])
        start = rng.randrange(len(text) - length + 1)
        return text[start:start + length].strip() or cut(length)

    picked = [cut(n) for n in (1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 5, 7, 12)]
    picked += rng.sample(corpus.WORDS, 8) + rng.sample(corpus.SERVICES, 4)
    picked += ["app", "APP", "App", "ａｐｐ", "wi-fi", "WI-FI", "aed", "ＡＥＤ", "Aed", "diy手工",
               "5g", "5Ｇ", "qq群", "python", "o2o", "no.1", "3d打印", "k歌", "plus", "2.0", "i", "t"]
    picked += ["（演示）", "(演示)", "演示", "(试点", "“暖心”", "100%", "1_2", "%", "_", "\\", "'",
               "老%人", "，", "。", "社", "区", "老", "龘", "不存在的词", "陪伴老人"]
    picked += [f"{cut(2)} {cut(1)}", f"{cut(2)} {cut(3)}", f"{rng.choice(corpus.WORDS)}  {cut(2)}",
               f"{cut(1)} {cut(1)} {cut(2)}", "老人 陪伴", "助老 理发", "儿童 阅读 周末",
               "APP 课堂", "社区 社区", "助 助老", "a b c d e f g"]
    return picked


def test_search_finds_what_a_substring_scan_finds_in_a_generated_corpus(db):
    rng = random.Random(SEED)
    now = utcnow().replace(microsecond=0)
    tenant, other = TenantFactory(), TenantFactory()
    orgs = [OrgFactory(tenant_id=tenant.id, name=f"第{i}社工服务中心").id for i in range(6)]
    street = AreaFactory(tenant=tenant, name="东湖街道", level="街道")
    communities = [AreaFactory(tenant=tenant, name=f"{p}社区", parent=street) for p in corpus.PLACES[:4]]
    grids = [AreaFactory(tenant=tenant, name=f"{c.name}第1网格", level="网格", parent=c)
             for c in communities]
    areas = [c.id for c in communities] + [g.id for g in grids]
    rows = corpus.build(rng, tenant.id, orgs, areas, 2500, now)
    rows += corpus.build(rng, other.id, [OrgFactory(tenant_id=other.id).id], [], 300, now)

    for q in queries(rng, rows):
        check(tenant, rows, q)
    for q in ["", "社区", "老人", "课", "APP", "助老 理发"]:
        for category in rng.sample(corpus.CATEGORIES, 2):
            check(tenant, rows, q, category=category)
        check(tenant, rows, q, group=rng.choice(corpus.GROUPS))
        check(tenant, rows, q, org_id=rng.choice(orgs))
        community = rng.randrange(len(communities))
        check(tenant, rows, q, area_id=communities[community].id,
              area_ids={communities[community].id, grids[community].id})
        check(tenant, rows, q, area_id=grids[community].id, area_ids={grids[community].id})
    check(tenant, rows, "老人", category="助老服务", group="独居老人", org_id=orgs[0])


def test_search_finds_what_a_substring_scan_finds_in_the_demo(app, client, db, demo):
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "demo"))
    rows = [corpus.Row(id=p.id, tenant_id=p.tenant_id, org_id=p.org_id, area_id=p.area_id,
                       name=p.name, theme=p.theme, highlights=p.highlights, content=p.content,
                       category=p.category, groups=p.target_groups, status=p.status,
                       published_at=p.published_at)
            for p in db.session.scalars(select(Project).where(Project.tenant_id == tenant.id))]
    assert sum(r.status == ProjectStatus.PUBLISHED for r in rows) >= 4
    queries = set()
    for r in rows:
        for text in (r.name, r.theme, r.highlights, r.content):
            for length in (1, 2, 3, 5):
                queries |= {text[i:i + length] for i in range(0, len(text) - length + 1, length)}
    for q in sorted(q for q in queries if q.strip()):
        check(tenant, rows, q)
    areas = {a.name: a.id for a in db.session.scalars(select(Area).where(Area.tenant_id == tenant.id))}
    check(tenant, rows, "老人", category="助老服务")
    check(tenant, rows, "社区", area_id=areas["幸福社区"],
          area_ids={areas["幸福社区"], areas["幸福社区第1网格"], areas["幸福社区第2网格"]})

    def shown(q: str) -> list[str]:
        body = client.get(f"/t/demo/projects?q={q}").get_data(as_text=True)
        return re.findall(r'<h2><a href="/t/demo/projects/\d+">([^<]+)</a></h2>', body)

    assert "邻里助老送餐（演示）" in shown("助老") and "邻里助老送餐（演示）" in shown("老人")
    assert shown("（演示）") == shown("(演示)") == ["邻里助老送餐（演示）"]
    assert "邻里助老送餐（演示）" in shown("助老&category=助老服务")
