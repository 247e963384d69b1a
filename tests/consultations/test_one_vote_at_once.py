"""One resident voting several times at once (two phones, a double tap): one vote is counted,
the others are refused in words, never with a database error. Real commits (``committed``)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.consultations import services
from app.consultations.models import Consultation, ConsultationVote
from app.consultations.services import ConsultationError
from app.db import utcnow
from app.extensions import db
from app.residents.models import ResidentProfile
from tests.concurrency import run_together
from tests.factories import AreaFactory, TenantFactory, user_with

TIMES = 6


def test_a_resident_voting_at_once_is_one_vote(app, committed):
    tenant = TenantFactory()
    area = AreaFactory(tenant=tenant, name="阳光社区", level="社区")
    officer, resident = user_with(tenant, Role.BUREAU_OFFICER), user_with(tenant, Role.RESIDENT)
    db.session.add(ResidentProfile(tenant_id=tenant.id, user_id=resident.id, area_id=area.id))
    now = utcnow()
    c = services.open_consultation(tenant, officer, area=area, title="先办哪件事", description="",
                                   opens_at=now - timedelta(hours=1),
                                   closes_at=now + timedelta(days=3),
                                   proposals=["开设老年食堂", "加装楼道扶手"])
    ids = (c.id, [o.id for o in c.options], resident.id)
    committed.session.commit()

    def vote(option_index):
        def job():
            return services.vote(db.session.get(Consultation, ids[0]),
                                 db.session.get(User, ids[2]), ids[1][option_index]).id
        return job

    results = run_together(app, [vote(i % 2) for i in range(TIMES)])
    with current_app.test_request_context():
        said = sorted("ok" if not isinstance(r, Exception) else str(r)
                      if isinstance(r, ConsultationError) else f"{type(r).__name__}: {r}"
                      for r in results)
    assert said == ["ok"] + ["您已经投过票了，每人只能投一票。"] * (TIMES - 1)
    committed.session.expire_all()
    assert committed.session.scalar(select(func.count()).select_from(ConsultationVote)) == 1
