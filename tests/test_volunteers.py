"""Volunteer registration with the 67号令 fields, ID checks, consent, masking."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import Role
from app.volunteers.models import VolunteerProfile
from tests.factories import AreaFactory, TenantFactory, UserFactory, grant

GOOD = {"real_name": "王芳", "gender": "F", "birth_date": "1990-06-15",
        "id_number": "110105199006150020", "phone": "13800000002", "area_id": "0",
        "skills": "急救", "service_categories": ["助老服务"], "consent": "y"}


def setup(db, login):
    tenant = TenantFactory()
    user = grant(UserFactory(), tenant, Role.RESIDENT)
    AreaFactory(tenant=tenant)
    return tenant, user


def post(client, tenant, **changes):
    data = {**GOOD, **changes}
    return client.post(f"/t/{tenant.slug}/volunteer/register", data=data)


def count(db):
    return db.session.scalar(select(func.count(VolunteerProfile.id)))


def test_register_records_fields_consent_and_role(client, db, login):
    tenant, user = setup(db, login)
    login(user)
    assert post(client, tenant).status_code == 302
    profile = db.session.scalar(select(VolunteerProfile))
    assert (profile.real_name, profile.gender, profile.id_number) == ("王芳", "F", "110105199006150020")
    assert profile.consent_at is not None and profile.consent_version
    assert user.has_role(tenant.id, Role.VOLUNTEER)


def test_profile_page_masks_id_and_phone(client, db, login):
    tenant, user = setup(db, login)
    login(user)
    post(client, tenant)
    body = client.get(f"/t/{tenant.slug}/volunteer/profile").get_data(as_text=True)
    assert "110************020" in body and "138****0002" in body
    assert "110105199006150020" not in body and "13800000002" not in body


def test_bad_check_digit_is_refused(client, db, login):
    tenant, user = setup(db, login)
    login(user)
    body = post(client, tenant, id_number="110105199006150021").get_data(as_text=True)
    assert "身份证号码无效" in body
    assert count(db) == 0


def test_gender_and_birth_date_must_match_id(client, db, login):
    tenant, user = setup(db, login)
    login(user)
    assert "性别与身份证号码不符" in post(client, tenant, gender="M").get_data(as_text=True)
    assert "出生日期与身份证号码不符" in post(client, tenant, birth_date="1990-06-16").get_data(as_text=True)
    assert count(db) == 0


def test_consent_is_required(client, db, login):
    tenant, user = setup(db, login)
    login(user)
    data = {k: v for k, v in GOOD.items() if k != "consent"}
    body = client.post(f"/t/{tenant.slug}/volunteer/register", data=data).get_data(as_text=True)
    assert "同意" in body
    assert count(db) == 0


def test_same_id_number_twice_is_refused(client, db, login, app):
    tenant, user = setup(db, login)
    login(user)
    post(client, tenant)
    other = grant(UserFactory(), tenant, Role.RESIDENT)
    second = login(other, c=app.test_client())
    body = second.post(f"/t/{tenant.slug}/volunteer/register", data=GOOD).get_data(as_text=True)
    assert "已被登记" in body
    assert count(db) == 1


def test_export_gives_the_person_their_own_data(client, db, login):
    tenant, user = setup(db, login)
    login(user)
    post(client, tenant)
    data = client.get(f"/t/{tenant.slug}/volunteer/profile/export").get_json()
    assert data["id_number"] == "110105199006150020"
    assert data["service_categories"] == ["助老服务"]


def test_id_number_never_reaches_the_log(client, db, login, caplog):
    tenant, user = setup(db, login)
    login(user)
    import logging

    caplog.set_level("INFO")
    logging.getLogger("test").info("submitted 110105199006150020 from 13800000002")
    assert "submitted 110************020 from 138****0002" in caplog.text
    assert "110105199006150020" not in caplog.text
    assert "13800000002" not in caplog.text
