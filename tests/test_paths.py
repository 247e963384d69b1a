"""Path traversal, tested as an attack on every route that serves a file.

``FILE_ROUTES`` lists every endpoint whose view sends a file from disk; a new one fails
``test_every_file_route_is_attacked`` until it is added. Each is attacked three ways: through
its URL (``../``, encoded, absolute, backslashes, NUL), through the name it stored (as if a
row had been tampered with: climbing out, absolute, another tenant's file) and through
symbolic links planted where its file lives. A secret file outside the app's folders must
never come back, nor anything else outside the file's own folder. Uploads are attacked with
such names too: the stored name is always the app's own.

Each attack runs on both storage backends: files in folders (``local``) and files in the
database (``database``), where a tampered name is also planted as a stored file of its own
(a database holds no symbolic links, so those attacks are the folders' alone).
"""

from __future__ import annotations

import inspect
import io
import os
import re
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import select

from app import storage
from app.extensions import db as _db
from app.storage.models import StoredChunk, StoredFile
from tests.orgs.files import PDF, png

SECRET = "never-serve-this-file"
REFUSED = {400, 403, 404}
#: Every endpoint that sends a file from disk, with who may read it.
FILE_ROUTES = {
    "orgs.certificate": "admin", "projects.evidence": "admin", "funding.receipt": "admin",
    "exports.download": "auditor", "service.certificate_pdf": "volunteer",
    "books.journal": "auditor", "marketplace.cover": None, "static": None,
    "funding.tranche_evidence": "auditor", "imports.annotated": "admin",
    "funding.step_file": "admin", "grassroots.filing_document": "admin",
    "grassroots.milestone_evidence": "admin",
}
#: Views that send a file they make in memory, never one named by a request or a row.
IN_MEMORY = {"funding.notice_qr": "the notice's QR code, drawn for its own address",
             "imports.template": "the import template, made for the district's own lists",
             "monthly.download_xlsx": "a published monthly report's workbook, made from its snapshot",
             "monthly.download_pdf": "a published monthly report's PDF, made from its snapshot",
             "disclosure.places_xlsx": "the public figures by place, made from the figures"}
#: Names given in URLs and uploads.
TRAVERSALS = [
    "../../../../../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fetc/passwd",
    "%252e%252e%252fetc%252fpasswd", "..\\..\\..\\etc\\passwd", "/etc/passwd", "//etc/passwd",
    "....//....//etc/passwd", "..;/..;/etc/passwd", "css/../../app/config.py",
    "css/%2e%2e/%2e%2e/app/config.py", "css%2f..%2f..%2fapp%2fconfig.py", "app.css%00.png",
    "css/app.css\x00../../app/config.py",
]


def sends_files(view) -> bool:
    source = inspect.getsource(inspect.unwrap(view))
    return any(call in source for call in ("send_file(", "send_from_directory(", "uploads.send(",
                                           "storage.send("))


def test_every_file_route_is_attacked(app):
    endpoints = {e for e, view in app.view_functions.items() if e == "static" or sends_files(view)}
    assert endpoints == set(FILE_ROUTES) | set(IN_MEMORY), \
        f"add to FILE_ROUTES: {sorted(endpoints - set(FILE_ROUTES) - set(IN_MEMORY))}"


@pytest.fixture(params=storage.BACKENDS)
def folders(app, monkeypatch, tmp_path, request):
    """The app's file folders under ``tmp_path``, and a secret beside them; files kept in
    them or in the database, by the test's parameter."""
    monkeypatch.setitem(app.config, "STORAGE", request.param)
    for key in ("UPLOAD_DIR", "EXPORT_DIR", "LEDGER_DIR"):
        monkeypatch.setitem(app.config, key, str(tmp_path / key.lower()))
        (tmp_path / key.lower()).mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    for name in ("secret.txt", "secret.pdf", "secret.png", "2099.beancount"):
        (outside / name).write_text(SECRET)
    return tmp_path


@pytest.fixture
def scene(app, folders, world):
    """A real file behind every file route of tenant A (and one of tenant B to aim at)."""
    from app.exports.models import Export
    from app.funding.models_contracts import TrancheEvidence
    from app.funding.models_spending import Receipt
    from app.funding.models_steps import StepFile
    from app.grassroots.models import Filing, Milestone
    from app.imports.models import ImportBatch
    from app.orgs import uploads
    from app.parsing import local_today
    from app.projects import covers
    from app.projects.models import Project, ProjectEvidence
    from app.service.certificates import store_pdf
    from app.service.models import Certificate
    from tests.factories import AreaFactory

    files = {}
    for w in (world.a, world.b):
        org, ids = w.orgs[0], w.extra[0]
        org.certificate_file = uploads.store(uploads.Upload(PDF, "pdf", "c.pdf"), org.tenant_id,
                                             f"orgs/{org.id}")
        org.certificate_mime = "application/pdf"
        kept = storage.area(storage.UPLOADS)
        photo = _db.session.get(ProjectEvidence, ids["evidence_id"])
        kept.put(photo.file_key, png())
        step_file = _db.session.get(StepFile, ids["step_file_id"])
        kept.put(step_file.file_key, png())
        milestone = _db.session.get(TrancheEvidence, ids["tranche_evidence_id"])
        kept.put(milestone.file_key, PDF if milestone.mime == "application/pdf" else png())
        export = _db.session.get(Export, ids["export_id"])
        export.file_name, export.status = f"{w.tenant.id}/{export.id}-audit_log.xlsx", "ready"
        storage.area(storage.EXPORTS).put(export.file_name, b"PK-a-workbook")
        certificate = _db.session.get(Certificate, ids["certificate_id"])
        with app.test_request_context("/"):
            store_pdf(certificate)
        project = _db.session.get(Project, ids["project_id"])  # published: anyone sees it
        project.cover_key = uploads.store(uploads.Upload(png(), "png", "c.png"), w.tenant.id,
                                          covers.folder(project))
        project.cover_mime = "image/png"
        batch = _db.session.get(ImportBatch, ids["import_id"])
        batch.annotated_key = uploads.store(uploads.Upload(b"PK-annotated", "xlsx", "e.xlsx"),
                                            w.tenant.id, "imports")
        # The organization as a group filed with a community, its filing document kept; the
        # milestone of its incubation with the file that shows it done.
        record = Filing(tenant_id=w.tenant.id, org_id=org.id, number=f"备{w.tenant.id}",
                        filed_with_id=AreaFactory(tenant=w.tenant, level="社区").id,
                        filed_on=local_today(), document_mime="application/pdf",
                        document_file=uploads.store(uploads.Upload(PDF, "pdf", "f.pdf"),
                                                    w.tenant.id, f"orgs/{org.id}"))
        _db.session.add(record)
        milestone_row = _db.session.get(Milestone, ids["milestone_id"])
        kept.put(milestone_row.evidence_file, PDF)
        files[w.tenant.slug] = {
            "orgs.certificate": (org, "certificate_file", folders / "upload_dir"),
            "projects.evidence": (photo, "file_key", folders / "upload_dir"),
            "funding.receipt": (_db.session.get(Receipt, ids["receipt_id"]), "stored_name",
                                folders / "upload_dir"),
            "exports.download": (export, "file_name", folders / "export_dir"),
            "service.certificate_pdf": (certificate, "number", folders / "export_dir"),
            "marketplace.cover": (project, "cover_key", folders / "upload_dir"),
            "funding.tranche_evidence": (milestone, "file_key", folders / "upload_dir"),
            "imports.annotated": (batch, "annotated_key", folders / "upload_dir"),
            "funding.step_file": (step_file, "file_key", folders / "upload_dir"),
            "grassroots.filing_document": (record, "document_file", folders / "upload_dir"),
            "grassroots.milestone_evidence": (milestone_row, "evidence_file",
                                              folders / "upload_dir"),
        }
    _db.session.flush()
    ids = world.a.extra[0]
    project = files[world.a.tenant.slug]["projects.evidence"][0].project_id
    urls = {  # each with {} where its id goes
        "orgs.certificate": ("/orgs/{}/certificate", world.a.orgs[0].id),
        "projects.evidence": (f"/projects/{project}/evidence/{{}}", ids["evidence_id"]),
        "funding.receipt": ("/funding/receipts/{}", ids["receipt_id"]),
        "exports.download": ("/exports/{}/download", ids["export_id"]),
        "service.certificate_pdf": ("/service/certificates/{}.pdf", ids["certificate_id"]),
        "marketplace.cover": ("/projects/{}/cover", ids["project_id"]),
        "funding.tranche_evidence": ("/funding/tranche-evidence/{}", ids["tranche_evidence_id"]),
        "imports.annotated": ("/imports/{}/errors.xlsx", ids["import_id"]),
        "funding.step_file": ("/funding/step-files/{}", ids["step_file_id"]),
        "grassroots.filing_document": ("/grassroots/groups/{}/filing/document",
                                       world.a.orgs[0].id),
        "grassroots.milestone_evidence": ("/grassroots/milestones/{}/evidence",
                                          ids["milestone_id"]),
    }
    return world, folders, files, {e: (f"/t/{world.a.tenant.slug}{u}", i) for e, (u, i) in urls.items()}


def own_url(urls: dict, endpoint: str) -> str:
    url, id_ = urls[endpoint]
    return url.format(id_)


def client_for(app, login, world, endpoint):
    role = FILE_ROUTES[endpoint]
    return login(getattr(world.a.users, role), c=app.test_client()) if role else app.test_client()


def assert_refused(response, what: str) -> None:
    body = response.get_data()
    assert SECRET.encode() not in body, f"{what} served the secret"
    assert response.status_code in REFUSED, f"{what} -> {response.status_code}"


def test_static_files_refuse_every_traversal(app, client):
    assert client.get("/static/css/app.css").status_code == 200
    for name in TRAVERSALS:
        response = client.get(f"/static/{name}", follow_redirects=True)
        assert response.status_code in REFUSED, f"/static/{name!r} -> {response.status_code}"
        assert b"SECRET_KEY" not in response.get_data() and b"root:" not in response.get_data()


def test_ids_in_file_urls_cannot_be_paths(app, db, scene, login):
    """Each file route answers its own file, and 404 for any path put where an id goes."""
    world, _, _, urls = scene
    for endpoint, (url, id_) in urls.items():
        client = client_for(app, login, world, endpoint)
        assert client.get(url.format(id_)).status_code == 200, url
        for name in TRAVERSALS:
            for given in (quote(name, safe="/%"), quote(name, safe="")):
                for evil in {url.format(given), url.format(f"{id_}/{given}")}:
                    assert_refused(client.get(evil), f"{endpoint} {evil!r}")


def evil_names(folders: Path, root: Path, own: str, theirs: str, suffix: str) -> list[str]:
    """Stored names that would reach outside the file's folder if believed."""
    secret = folders / "outside" / f"secret{suffix}"
    climb = os.path.relpath(secret, root)
    return [climb, str(secret), climb.replace("/", "\\"), quote(climb, safe=""),
            f"{Path(own).parent}/{climb}", f"./{climb}", theirs]


def test_stored_names_never_lead_outside_their_folder(app, db, scene, login):
    """A tampered row naming a file outside the folder, absolute, or another tenant's."""
    world, folders, files, urls = scene
    for endpoint, (row, column, root) in files[world.a.tenant.slug].items():
        client = client_for(app, login, world, endpoint)
        own = getattr(row, column)
        theirs_row, _, _ = files[world.b.tenant.slug][endpoint]
        suffix = Path(own).suffix if endpoint != "service.certificate_pdf" else ""
        names = evil_names(folders, root, own, getattr(theirs_row, column), suffix)
        if endpoint == "service.certificate_pdf":
            # The number names the file (certificates/<number>.pdf) and is unique, so it
            # cannot name another's; a name that is not a path is simply a new PDF's name.
            root = root / "certificates"
            names = [n.removesuffix(".pdf") for n in evil_names(folders, root, own, "", ".pdf")
                     if n and "%" not in n and len(n) <= 32]
        before = (folders / "outside").stat().st_mtime_ns, sorted(os.listdir(folders / "outside"))
        if app.config["STORAGE"] == "database":
            certificate = endpoint == "service.certificate_pdf"
            plant_rows(storage.EXPORTS if root.parent.name == "export_dir" or
                       endpoint == "exports.download" else storage.UPLOADS,
                       [f"certificates/{n}.pdf" for n in names] if certificate else names)
        for name in names:
            setattr(row, column, name)
            db.session.flush()
            assert_refused(client.get(own_url(urls, endpoint)), f"{endpoint} stored as {name!r}")
        setattr(row, column, own)
        db.session.flush()
        assert (folders / "outside").stat().st_mtime_ns == before[0], f"{endpoint} wrote outside"
        assert sorted(os.listdir(folders / "outside")) == before[1], f"{endpoint} wrote outside"
        assert (folders / "outside" / "secret.pdf").read_text() == SECRET


def plant_rows(area: str, keys: list[str]) -> None:
    """The secret kept in the database under each tampered name itself (as if a row had been
    slipped in beside the app's own): believing the name would find it."""
    for key in set(keys) - set(_db.session.scalars(select(StoredFile.key).where(
            StoredFile.area == area))):
        stored = StoredFile(area=area, key=key, size=len(SECRET), chunks=1)
        _db.session.add(stored)
        _db.session.flush()
        _db.session.add(StoredChunk(file_id=stored.id, seq=0, data=SECRET.encode()))
    _db.session.flush()


def plant(link: Path, target: Path) -> None:
    """Replace ``link`` (a file or a folder) with a symbolic link to ``target``."""
    if link.is_dir() and not link.is_symlink():
        link.rename(link.with_name(link.name + ".moved"))
    elif link.exists() or link.is_symlink():
        link.unlink()
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)


@pytest.mark.parametrize("folders", ["local"], indirect=True)
def test_planted_symbolic_links_are_not_followed(app, db, scene, login):
    """A link where a file should be, to the secret or to tenant B's file, and a linked
    folder on the way: refused."""
    world, folders, files, urls = scene
    outside = folders / "outside"
    for endpoint, (row, column, root) in files[world.a.tenant.slug].items():
        client = client_for(app, login, world, endpoint)
        own = getattr(row, column) if endpoint != "service.certificate_pdf" else \
            f"certificates/{row.number}.pdf"
        theirs_row, _, _ = files[world.b.tenant.slug][endpoint]
        theirs = getattr(theirs_row, column) if endpoint != "service.certificate_pdf" else \
            f"certificates/{theirs_row.number}.pdf"
        path = root / own
        original = path.read_bytes()
        assert client.get(own_url(urls, endpoint)).status_code == 200, endpoint
        for target in (outside / f"secret{path.suffix}", root / theirs):
            plant(path, target)
            assert_refused(client.get(own_url(urls, endpoint)), f"{endpoint} linked to {target}")
            path.unlink()
        linked_folder = outside / "linked"
        linked_folder.mkdir(exist_ok=True)
        (linked_folder / path.name).write_text(SECRET)
        plant(path.parent, linked_folder)
        assert_refused(client.get(own_url(urls, endpoint)), f"{endpoint} through a linked folder")
        path.parent.unlink()
        path.parent.with_name(path.parent.name + ".moved").rename(path.parent)
        path.write_bytes(original)
        assert client.get(own_url(urls, endpoint)).status_code == 200, endpoint
        if endpoint == "service.certificate_pdf":
            assert (outside / "secret.pdf").read_text() == SECRET


@pytest.mark.parametrize("folders", ["local"], indirect=True)
def test_the_journal_download_follows_no_links(app, db, scene, login):
    """The journal (files named by the tenant and a year number): paths in the year or the
    tenant give nothing of another place; a year file replaced by a link is never served,
    nor packed into the zip of all years."""
    world, folders, _, _ = scene
    books = folders / "ledger_dir" / world.a.tenant.slug
    books.mkdir(parents=True, exist_ok=True)
    (books / "main.beancount").write_text("; main\n")
    (books / "2025.beancount").write_text("; 2025\n")
    client = login(world.a.users.auditor, c=app.test_client())
    base = f"/t/{world.a.tenant.slug}/books/journal"
    assert client.get(f"{base}?year=2025").get_data(as_text=True) == "; 2025\n"
    for name in TRAVERSALS:
        response = client.get(f"{base}?year={quote(name, safe='')}")
        assert SECRET.encode() not in response.get_data() and b"root:" not in response.get_data()
        assert_refused(client.get(f"/t/{quote(name, safe='')}/books/journal"), f"tenant {name!r}")
    (books / "2099.beancount").symlink_to(folders / "outside" / "2099.beancount")
    assert_refused(client.get(f"{base}?year=2099"), "a linked year file")
    archive = zipfile.ZipFile(io.BytesIO(client.get(base).get_data()))
    assert not [n for n in archive.namelist() if SECRET in archive.read(n).decode()]
    (books / "2025.beancount").unlink()
    (books / "2025.beancount").symlink_to(folders / "outside" / "secret.txt")
    assert_refused(client.get(f"{base}?year=2025"), "a year file replaced by a link")
    response = client.get(base)
    assert SECRET.encode() not in response.get_data()
    if response.status_code == 200:
        archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
        assert not [n for n in archive.namelist() if SECRET in archive.read(n).decode()]


UPLOAD_NAMES = ["../../../../outside/evil.png", "/tmp/evil.png", "..\\..\\..\\outside\\evil.png",
                "%2e%2e%2f%2e%2e%2fevil.png", "....//....//evil.png", "evil.png\x00.txt",
                "证书\x00../../evil.png", "../"]
# A name with a control character is refused as bad input before anything is stored.
REFUSED_NAMES = [name for name in UPLOAD_NAMES if "\x00" in name]


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


def test_uploaded_file_names_never_name_the_stored_file(app, db, folders, login):
    """Certificates, closing photos and receipts sent with hostile file names, through the
    forms and the API: each is stored under a name the app made, inside the upload folder,
    and the name it came with is kept (if at all) without any folder. A name holding a
    control character is refused with a message and nothing is stored."""
    from app.auth.models import Role
    from app.funding.models_spending import Receipt
    from app.funding.samples import receipt_png
    from app.funding.services import today
    from app.orgs.models import Organization
    from app.projects.models import ProjectEvidence
    from tests.factories import user_with
    from tests.funding.factories import funded_contract, funding_world
    from tests.orgs.test_registration import code, form
    from tests.projects.factories import ProjectFactory

    outside_before = files_under(folders / "outside")
    with app.test_request_context("/"):
        w = funding_world()
        contract = funded_contract(w)
    tenant = w.tenant
    multipart = {"content_type": "multipart/form-data"}
    coordinator = login(w.coordinator, c=app.test_client())
    for n, name in enumerate(UPLOAD_NAMES):
        refused = name in REFUSED_NAMES
        resident = login(user_with(tenant, Role.RESIDENT), c=app.test_client())
        response = resident.post(f"/t/{tenant.slug}/orgs/register", data=form(
            name=f"互助会{n}", credit_code=code(n), certificate=(io.BytesIO(PDF), name)),
            **multipart)
        assert response.status_code == (400 if refused else 302), name
        fields = {k: v for k, v in form(name=f"互助社{n}", credit_code=code(100 + n)).items()
                  if k not in ("parent_id", "contact_email")}
        response = login(user_with(tenant, Role.RESIDENT), c=app.test_client()).post(
            f"/api/v1/t/{tenant.slug}/organizations",
            data={**fields, "certificate": (io.BytesIO(PDF), name)}, **multipart)
        assert response.status_code == (400 if refused else 201), (name, response.get_data(as_text=True)[:300])
        for url, status in (("/t/{}/projects/{}/close", 302),
                            ("/api/v1/t/{}/projects/{}/closing", 200)):
            project = ProjectFactory(org=w.org)
            response = coordinator.post(url.format(tenant.slug, project.id), data={
                "report": "服务了 30 位老人", "photos": [(io.BytesIO(png()), name)]}, **multipart)
            assert response.status_code == (400 if refused else status), name
        books = login(w.bookkeeper, c=app.test_client())
        for prefix, status in (("", 302), ("/api/v1", 201)):  # the form, then the API
            expense = {"line_id": contract.lines[0].id, "amount": "1.00", "payee": "出租车公司",
                       "spent_on": today().isoformat(), "description": "交通",
                       "method": "transfer", "receipts": [(io.BytesIO(receipt_png()), name)]}
            response = books.post(f"{prefix}/t/{tenant.slug}/funding/contracts/{contract.id}"
                                  "/expenditures", data=expense, **multipart)
            assert response.status_code == (400 if refused else status), name
    keys = (list(db.session.scalars(select(Organization.certificate_file).where(
        Organization.tenant_id == tenant.id, Organization.certificate_file.is_not(None)))),
        list(db.session.scalars(select(ProjectEvidence.file_key).where(
            ProjectEvidence.tenant_id == tenant.id))),
        list(db.session.scalars(select(Receipt.stored_name).where(
            Receipt.tenant_id == tenant.id))))
    patterns = (rf"{tenant.id}/orgs/\d+/[0-9a-f]{{32}}\.pdf",
                rf"{tenant.id}/projects/\d+/[0-9a-f]{{32}}\.png",
                rf"receipts/{tenant.id}/{w.org.id}/[0-9a-f]{{32}}\.png")
    for stored, pattern in zip(keys, patterns, strict=True):
        assert len(stored) == 2 * (len(UPLOAD_NAMES) - len(REFUSED_NAMES))
        for key in stored:
            assert re.fullmatch(pattern, key), key
            assert storage.area(storage.UPLOADS).exists(key)
    originals = db.session.scalars(select(Receipt.original_name).where(
        Receipt.tenant_id == tenant.id)).all()
    assert not [o for o in originals if "/" in o or "\x00" in o], originals
    strays = {p for p in files_under(folders)
              if p.relative_to(folders).parts[0] not in ("upload_dir", "export_dir", "ledger_dir")}
    assert strays == outside_before
    assert not Path("/tmp/evil.png").exists()
