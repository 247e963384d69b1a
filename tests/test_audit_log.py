"""The audit log records every change with its actor, masks personal numbers,
and its hash chain catches edits and deletions."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from app.audit import chain
from app.audit.models import AuditEntry
from app.auth.models import Role, User
from tests.factories import TenantFactory, UserFactory, grant

GOOD = {"real_name": "王芳", "gender": "F", "birth_date": "1990-06-15",
        "id_number": "110105199006150020", "phone": "13800000002", "area_id": "0",
        "service_categories": ["助老服务"], "consent": "y"}


def entries(db, **where):
    stmt = select(AuditEntry).order_by(AuditEntry.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditEntry, key) == value)
    return db.session.scalars(stmt).all()


def test_a_page_action_is_logged_with_actor_role_and_masked_numbers(client, db, login):
    tenant = TenantFactory()
    user = grant(UserFactory(), tenant, Role.RESIDENT)
    login(user)
    client.post(f"/t/{tenant.slug}/volunteer/register", data=GOOD)
    [entry] = entries(db, object_type="volunteer_profile")
    assert (entry.action, entry.actor_id, entry.tenant_id) == ("create", user.id, tenant.id)
    assert entry.actor_roles == "resident"
    assert entry.endpoint == "volunteers.register"
    assert entry.changes["id_number"] == [None, "110************020"]
    assert entry.changes["phone"] == [None, "138****0002"]


def test_updates_record_before_and_after(client, db, login):
    tenant = TenantFactory()
    user = grant(UserFactory(), tenant, Role.RESIDENT)
    login(user)
    client.post(f"/t/{tenant.slug}/volunteer/register", data=GOOD)
    client.post(f"/t/{tenant.slug}/volunteer/profile", data={**GOOD, "id_number": "", "phone": "",
                                                             "real_name": "王芳芳"})
    [entry] = entries(db, object_type="volunteer_profile", action="update")
    assert entry.changes == {"real_name": ["王芳", "王芳芳"]}


def test_passwords_never_enter_the_log(client, db, login):
    tenant = TenantFactory()
    client.post(f"/t/{tenant.slug}/register", data={"name": "张三", "account": "13911112222",
                                                    "password": "abc12345", "confirm": "abc12345", "agree": "y"})
    [entry] = entries(db, object_type="user")
    assert entry.changes["password_hash"] == [None, "***"]


def test_every_entry_is_sealed_after_commit_and_the_chain_verifies(client, db):
    tenant = TenantFactory()
    client.post(f"/t/{tenant.slug}/register", data={"name": "张三", "account": "13911112222",
                                                    "password": "abc12345", "confirm": "abc12345", "agree": "y"})
    logged = entries(db)
    assert logged and all(e.seq is not None for e in logged)
    report = chain.verify()
    assert report.ok and report.checked == len(logged) + 0 * report.unsealed


def _seeded_chain(db):
    for n in range(3):
        db.session.add(User(phone=f"1391111000{n}", name=f"u{n}", password_hash="x"))
        db.session.flush()
    chain.seal()
    return entries(db)


def test_an_edited_entry_breaks_the_chain(db):
    logged = _seeded_chain(db)
    db.session.execute(update(AuditEntry).where(AuditEntry.id == logged[1].id)
                       .values(actor_id=999))
    report = chain.verify()
    assert not report.ok
    assert report.first_break == logged[1].seq
    assert "was changed" in report.message


def test_a_deleted_entry_breaks_the_chain(db):
    logged = _seeded_chain(db)
    db.session.execute(delete(AuditEntry).where(AuditEntry.id == logged[1].id))
    report = chain.verify()
    assert not report.ok and f"#{logged[1].seq} is missing" in report.message


def test_cli_verify_exit_codes(app, db):
    logged = _seeded_chain(db)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    db.session.execute(update(AuditEntry).where(AuditEntry.id == logged[0].id).values(action="delete"))
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "was changed" in result.output


def test_a_created_row_is_logged_under_its_own_number(client, db):
    """"新增 用户账号 #" with the number missing told nobody which row was made."""
    tenant = TenantFactory()
    client.post(f"/t/{tenant.slug}/register", data={"name": "张三", "account": "13911112222",
                                                    "password": "abc12345", "confirm": "abc12345", "agree": "y"})
    user = db.session.scalar(select(User).where(User.phone == "13911112222"))
    [entry] = entries(db, object_type="user")
    assert entry.object_id == str(user.id)
    [grant_entry] = entries(db, object_type="role_grant")
    assert grant_entry.object_id == str(user.grants[0].id)
