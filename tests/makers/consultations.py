"""Isolation makers for consultations; the published results are public."""

from __future__ import annotations

from tests.isolation import PUBLIC_ENDPOINTS, maker


@maker("consultation_id")
def _consultation(world, org):
    """An open consultation of a community where the world's resident lives (on the roll),
    with the resident's vote and comment in it."""
    from datetime import timedelta

    from app.consultations import services
    from app.db import utcnow
    from app.extensions import db
    from app.residents.models import ResidentProfile
    from tests.factories import AreaFactory

    area = AreaFactory(tenant=world.tenant, name=f"{org.name}议事社区", level="社区")
    resident = world.users.resident
    profile = db.session.scalar(db.select(ResidentProfile).where(
        ResidentProfile.tenant_id == world.tenant.id, ResidentProfile.user_id == resident.id))
    if profile is None:
        db.session.add(ResidentProfile(tenant_id=world.tenant.id, user_id=resident.id,
                                       area_id=area.id))
        db.session.flush()
    now = utcnow()
    consultation = services.open_consultation(
        world.tenant, world.users.officer, area=area, title=f"{org.name}的机密议事",
        description="先办哪一件", opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7), proposals=["加装楼道扶手", "开设老年食堂"])
    if profile is None:
        services.vote(consultation, resident, consultation.options[0].id)
        services.comment(consultation, resident, f"{org.name}的意见")
    from app.auth.models import Role
    from app.parsing import local_today
    from tests.factories import user_with

    for _ in range(3):  # the paper ballots' voters, on the roll too: one vote each
        db.session.add(ResidentProfile(tenant_id=world.tenant.id, area_id=area.id,
                                       user_id=user_with(world.tenant, Role.RESIDENT).id))
    db.session.flush()
    services.enter_tally(consultation, world.users.officer, option_id=consultation.options[1].id,
                         source="paper", held_on=local_today(), votes=3,
                         note=f"{org.name}的纸质票箱")
    return consultation.id


PUBLIC_ENDPOINTS.update({"consultations.results", "consultations.result",
                         "api_consultations.Result"})
