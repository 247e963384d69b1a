"""Benchmark: 10,000 service records round-trip through the national volunteer system's
layout: exported as the national template (a job), the records deleted, the file imported
back (checked, confirmed, written), then imported once more (every row already recorded).

Checks as it goes that nothing is lost or doubled: the records' 67号令 fields counted before
and after are equal, every record is tagged with the national system and its own number, the
volunteers' verified minutes are unchanged. Prints ``name: value unit`` lines.

    python bench/national_round_trip.py [--records 10000] [--volunteers 500]
                                        [--backend sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from _setup import ROOT, make_app, throwaway_database

sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--volunteers", type=int, default=500)
    parser.add_argument("--backend", default="sqlite", choices=("postgresql", "sqlite"))
    args = parser.parse_args()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine_load_average_1_5_15_before: {load} runnable")
    with throwaway_database(args.backend) as (url, tmp):
        app = make_app(url, tmp)
        with app.test_request_context("/"):
            _round_trip(args.records, args.volunteers)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine_load_average_1_5_15_after: {load} runnable")


def _round_trip(count: int, people: int) -> None:
    from sqlalchemy import delete, func, select

    from app import storage
    from app.auth.models import Role, RoleGrant, User
    from app.db_commit import commit
    from app.exports import services as exports
    from app.extensions import db
    from app.imports import services as imports
    from app.orgs.models import Organization, OrgStatus
    from app.service.models import ServiceRecord, VolunteerStanding
    from app.service.standing import recompute_stars
    from app.tenancy.scoping import bind_tenant_for_job
    from app.tenancy.services import create_tenant
    from tests.national import generate

    tenant = create_tenant("bench", "基准区民政局")
    bind_tenant_for_job(tenant)
    officer = User(phone="13700000000", name="导出员", password_hash="!")
    db.session.add(officer)
    db.session.flush()
    db.session.add(RoleGrant(user_id=officer.id, tenant_id=tenant.id,
                             role=Role.BUREAU_OFFICER.value))
    org = Organization(tenant_id=tenant.id, name="阳光服务中心", credit_code="91350100M000100Y43",
                       kind="群众生活类", status=OrgStatus.VERIFIED, contact_name="王",
                       contact_phone="13700000001")
    db.session.add(org)
    db.session.flush()
    begin = time.perf_counter()
    users = generate.volunteers(tenant, people)
    generate.records(tenant, org, users, count, officer.id)
    commit()
    print(f"national_generate_time: {time.perf_counter() - begin:.1f} s")
    before = generate.snapshot(tenant)
    recompute_stars(tenant)
    commit()

    def minutes() -> dict:
        return dict(db.session.execute(select(VolunteerStanding.user_id,
                                              VolunteerStanding.verified_minutes)
                                       .where(VolunteerStanding.tenant_id == tenant.id)).all())

    totals = minutes()
    begin = time.perf_counter()
    export = exports.request_export(tenant, officer, "national_records", "xlsx", {})
    commit()  # the job runs inline, right after the commit
    print(f"national_export_time: {time.perf_counter() - begin:.1f} s")
    assert export.status == "ready", export.error
    with storage.area(storage.EXPORTS).open(export.file_name, exports.under(export)) as f:
        data = f.read()
    print(f"national_export_rows: {export.rows} rows")
    print(f"national_export_size: {len(data) / 1024 / 1024:.2f} MiB")

    db.session.execute(delete(ServiceRecord).where(ServiceRecord.tenant_id == tenant.id))
    commit()
    import io

    begin = time.perf_counter()
    batch = imports.upload(tenant, officer, "national_records", None, io.BytesIO(data), "n.xlsx")
    commit()
    checked = time.perf_counter() - begin
    assert batch.status == "ready", batch.error
    begin = time.perf_counter()
    imports.confirm(batch, officer)
    commit()
    written = time.perf_counter() - begin
    print(f"national_import_check_time: {checked:.1f} s")
    print(f"national_import_write_time: {written:.1f} s")
    print(f"national_import_rows_per_second: {count / (checked + written):.0f} rows/s")
    after = generate.snapshot(tenant)
    lost = sum((before - after).values())
    doubled = sum((after - before).values())
    tagged = db.session.scalar(select(func.count(func.distinct(ServiceRecord.source_key))).where(
        ServiceRecord.tenant_id == tenant.id, ServiceRecord.source == "national"))
    print(f"national_records_lost: {lost} records")
    print(f"national_records_doubled: {doubled} records")
    print(f"national_records_tagged: {tagged} records")
    print(f"national_volunteer_totals_changed: "
          f"{sum(1 for u, m in minutes().items() if totals.get(u) != m)} volunteers")

    begin = time.perf_counter()
    again = imports.upload(tenant, officer, "national_records", None, io.BytesIO(data), "n.xlsx")
    commit()
    print(f"national_import_again_check_time: {time.perf_counter() - begin:.1f} s")
    print(f"national_import_again_new: {again.valid_rows} rows")
    print(f"national_import_again_already_recorded: {again.existing_rows} rows")
    ok = (lost, doubled, tagged, again.valid_rows, again.existing_rows) == (0, 0, count, 0, count)
    print(f"national_round_trip_ok: {int(ok)} bool")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
