"""Benchmark: a bureau imports 100,000 volunteers from one spreadsheet.

Makes a throwaway database migrated to head (PostgreSQL by default) with a district of 20
communities, writes a 100,000-row volunteer .xlsx (valid ID numbers, check digits computed),
written as Excel and WPS save a filled-in template (shared strings), then, each in a fresh
process so its peak memory (max RSS) is its own:

- ``baseline``: only reading the file with openpyxl in read-only mode (the floor);
- ``import``: the upload checked row by row (the job after an upload), then confirmed and
  written (the job after the yes), as the page does it with inline jobs;
- ``again``: the same file uploaded again and checked (every row already recorded).

Targets: 100,000 volunteers imported in ≤ 60 s, peak memory ≤ 1 GiB. Prints
``name: value unit`` lines, with the machine's load average (the figures depend on it).

    python bench/import_volunteers.py [--rows 100000] [--backend postgresql|sqlite]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from _setup import ROOT, make_app, throwaway_database

COMMUNITIES = 20
HEADERS = ["真实姓名*", "身份证号码*", "性别", "出生日期", "手机号*", "居住区域", "专业技能",
           "服务类别", "同意记录个人信息*"]


def volunteer_rows(count: int):
    """Distinct people: birth dates over 55 years, three-digit sequence numbers, their check
    digits computed; gender and date of birth agree with the number."""
    from stdnum.cn import ric

    first = date(1950, 1, 1)
    for i in range(count):
        birth = first + timedelta(days=i % 20_000)
        body = f"110101{birth:%Y%m%d}{i // 20_000:03d}"
        number = body + ric.calc_check_digit(body + "0")
        yield [f"志愿者{i}", number, "男" if int(body[16]) % 2 else "女", birth.isoformat(),
               f"139{i:08d}", f"东街道/社区{i % COMMUNITIES}", "", "助老服务", "是"]


_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _column(index: int) -> str:
    return chr(ord("A") + index)


def write_file(path: Path, count: int) -> float:
    """The file as Excel or WPS saves a filled-in template: text in the shared-strings table
    and the sheet's size at its top (openpyxl's own writer keeps text inline and leaves the
    size out, which makes every reader scan the sheet once more)."""
    import zipfile
    from xml.sax.saxutils import escape

    begin = time.perf_counter()
    strings: dict[str, int] = {}
    body = []
    for r, row in enumerate([HEADERS, *volunteer_rows(count)], start=1):
        cells = "".join(f'<c r="{_column(c)}{r}" t="s"><v>{strings.setdefault(v, len(strings))}'
                        f"</v></c>" for c, v in enumerate(row) if v)
        body.append(f'<row r="{r}">{cells}</row>')
    parts = {
        "[Content_Types].xml":
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
                       f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {_NS} xmlns:r="{_REL}"><sheets><sheet name="志愿者" '
                           'sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/worksheet" '
            f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{_REL}/sharedStrings"'
            f' Target="sharedStrings.xml"/><Relationship Id="rId3" Type="{_REL}/styles" '
            'Target="styles.xml"/></Relationships>',
        "xl/styles.xml": f'<styleSheet {_NS}><fonts count="1"><font/></fonts><fills count="1">'
                         '<fill><patternFill patternType="none"/></fill></fills><borders '
                         'count="1"><border/></borders><cellStyleXfs count="1"><xf/>'
                         '</cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" '
                         'fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1">'
                         '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                         '</styleSheet>',
        "xl/sharedStrings.xml": f'<sst {_NS} count="{len(strings)}" uniqueCount="{len(strings)}">'
                                + "".join(f"<si><t>{escape(t)}</t></si>" for t in strings)
                                + "</sst>",
        "xl/worksheets/sheet1.xml": f'<worksheet {_NS}><dimension ref="A1:{_column(len(HEADERS) - 1)}'
                                    f'{count + 1}"/><sheetData>{"".join(body)}</sheetData>'
                                    "</worksheet>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                             + text)
    return time.perf_counter() - begin


def prepare(url: str, tmp: Path) -> dict:
    app = make_app(url, tmp)
    with app.app_context():
        from app.auth.models import Role, RoleGrant, User
        from app.db_commit import commit
        from app.extensions import db
        from app.tenancy.services import add_area, create_tenant

        tenant = create_tenant("bench", "基准区民政局")
        street = add_area(tenant, "东街道", "街道")
        for n in range(COMMUNITIES):
            add_area(tenant, f"社区{n}", "社区", street)
        officer = User(phone="13700000000", name="导入员", password_hash="!")
        db.session.add(officer)
        db.session.flush()
        db.session.add(RoleGrant(user_id=officer.id, tenant_id=tenant.id,
                                 role=Role.BUREAU_OFFICER.value))
        commit()
        found = {"tenant_id": tenant.id, "officer_id": officer.id}
        db.engine.dispose()
    return found


def _peak_kib() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def baseline(path: str) -> dict:
    from openpyxl import load_workbook

    begin = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _ in book["志愿者"].iter_rows(values_only=True))
    book.close()
    return {"seconds": time.perf_counter() - begin, "rows": rows, "peak_kib": _peak_kib()}


def importing(url: str, tmp: str, path: str, tenant_id: int, officer_id: int,
              confirm: bool) -> dict:
    """Upload and check (the first job), then confirm and write (the second), timed apart."""
    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "REDIS_URL": None,
                      "JOBS_INLINE": True, "JOBS_INLINE_RAISE": True, "UPLOAD_DIR": tmp,
                      "EXPORT_DIR": tmp, "IMPORT_MAX_BYTES": 100 * 1024 * 1024})
    with app.test_request_context("/"):
        from app.auth.models import User
        from app.db_commit import commit
        from app.extensions import db
        from app.imports import services
        from app.tenancy.models import Tenant
        from app.tenancy.scoping import bind_tenant_for_job

        tenant = db.session.get(Tenant, tenant_id)
        bind_tenant_for_job(tenant)
        officer = db.session.get(User, officer_id)
        idle = _peak_kib()
        begin = time.perf_counter()
        with open(path, "rb") as stream:
            batch = services.upload(tenant, officer, "volunteers", None, stream, "志愿者.xlsx")
        commit()  # the check runs inline, right after the commit
        checked = time.perf_counter() - begin
        out = {"check_seconds": checked, "status": batch.status, "valid": batch.valid_rows,
               "existing": batch.existing_rows, "errors": batch.error_rows, "idle_kib": idle}
        if confirm:
            begin = time.perf_counter()
            services.confirm(batch, officer)
            commit()
            out["write_seconds"] = time.perf_counter() - begin
            out["imported"] = batch.imported_rows
            out["status"] = batch.status
            out["profiles"] = db.session.scalar(db.text(
                "SELECT count(*) FROM volunteer_profile WHERE tenant_id = :t"), {"t": tenant_id})
    out["peak_kib"] = _peak_kib()
    return out


def run(step: str, *args) -> dict:
    command = [sys.executable, __file__, "--step", step, *map(str, args)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"step {step} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--backend", default="postgresql", choices=("postgresql", "sqlite"))
    parser.add_argument("--step")
    parser.add_argument("rest", nargs="*")
    args = parser.parse_args()
    if args.step == "prepare":
        print(json.dumps(prepare(args.rest[0], Path(args.rest[1]))))
        return
    if args.step == "write":
        print(json.dumps({"seconds": write_file(Path(args.rest[0]), int(args.rest[1]))}))
        return
    if args.step == "baseline":
        print(json.dumps(baseline(args.rest[0])))
        return
    if args.step == "import":
        url, tmp, path, tenant_id, officer_id, confirm = args.rest
        print(json.dumps(importing(url, tmp, path, int(tenant_id), int(officer_id),
                                   confirm == "yes")))
        return
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine_cpus: {os.cpu_count()} cores")
    print(f"machine_load_average_1_5_15_before: {load} runnable")
    with throwaway_database(args.backend) as (url, tmp):
        # Every step in a process of its own, started from this small one: a child's peak
        # memory starts from its parent's (it survives fork and exec).
        found = run("prepare", url, tmp)
        path = tmp / "volunteers.xlsx"
        print(f"import_file_written_time: {run('write', path, args.rows)['seconds']:.1f} s")
        print(f"import_file_rows: {args.rows} rows")
        print(f"import_file_size: {path.stat().st_size / 1024 / 1024:.1f} MiB")
        floor = run("baseline", path)
        print(f"import_baseline_read_only_time: {floor['seconds']:.1f} s")
        print(f"import_baseline_read_only_peak_memory: {floor['peak_kib'] / 1024:.0f} MiB")
        first = run("import", url, tmp, path, found["tenant_id"], found["officer_id"], "yes")
        assert first["status"] == "done" and first["profiles"] == args.rows, first
        total = first["check_seconds"] + first["write_seconds"]
        print(f"import_check_time: {first['check_seconds']:.1f} s")
        print(f"import_write_time: {first['write_seconds']:.1f} s")
        print(f"import_total_time: {total:.1f} s")
        print(f"import_volunteers_written: {first['imported']} volunteers")
        print(f"import_rows_per_second: {args.rows / total:.0f} rows/s")
        print(f"import_app_idle_peak_memory: {first['idle_kib'] / 1024:.0f} MiB")
        print(f"import_peak_memory: {first['peak_kib'] / 1024:.0f} MiB")
        again = run("import", url, tmp, path, found["tenant_id"], found["officer_id"], "no")
        print(f"import_again_check_time: {again['check_seconds']:.1f} s")
        print(f"import_again_already_recorded: {again['existing']} rows")
        print(f"import_again_new: {again['valid']} rows")
        print(f"import_again_peak_memory: {again['peak_kib'] / 1024:.0f} MiB")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine_load_average_1_5_15_after: {load} runnable")


if __name__ == "__main__":
    main()
